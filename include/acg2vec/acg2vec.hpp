// Everything of acg2vec's C++ API in one include.
#pragma once

#include "acg2vec/analyzer.hpp"
#include "acg2vec/clip_tokenizer.hpp"
#include "acg2vec/duplicates.hpp"
#include "acg2vec/embedder.hpp"
#include "acg2vec/error.hpp"
#include "acg2vec/folder_sync.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/index.hpp"
#include "acg2vec/labels.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/preprocess.hpp"
#include "acg2vec/scorer.hpp"
#include "acg2vec/tagger.hpp"
#include "acg2vec/version.hpp"
#include "acg2vec/wordpiece_tokenizer.hpp"
