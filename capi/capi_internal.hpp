// Shared by the capi/*.cpp files: what the opaque C handles hold, the guard that turns every
// exception into a status, and the argument checks. Includes only public headers (no torch),
// so the C layer compiles in seconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "acg2vec.h"
#include "acg2vec/analyzer.hpp"
#include "acg2vec/clip_tokenizer.hpp"
#include "acg2vec/duplicates.hpp"
#include "acg2vec/embedder.hpp"
#include "acg2vec/error.hpp"
#include "acg2vec/folder_sync.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/index.hpp"
#include "acg2vec/scorer.hpp"
#include "acg2vec/tagger.hpp"
#include "acg2vec/wordpiece_tokenizer.hpp"

// ---- Handles: one C++ value each, plus strings the C++ API returns by value and a getter
// must keep alive until the handle is freed.

struct acg2vec_image {
    acg2vec::Image value;
};
struct acg2vec_model {
    acg2vec::Model value;
    std::string device;
};
struct acg2vec_tagger {
    acg2vec::Tagger value;
};
struct acg2vec_scorer {
    acg2vec::Scorer value;
};
struct acg2vec_embedder {
    acg2vec::Embedder value;
};
struct acg2vec_analyzer {
    acg2vec::Analyzer value;
};
struct acg2vec_index {
    acg2vec::Index value;
};
struct acg2vec_clip_tokenizer {
    acg2vec::ClipTokenizer value;
};
struct acg2vec_wordpiece_tokenizer {
    acg2vec::WordPieceTokenizer value;
};

struct acg2vec_tag_result {
    acg2vec::TagResult value;
};
struct acg2vec_score_result {
    acg2vec::ScoreResult value;
};
struct acg2vec_vector {
    acg2vec::Vector value;
};
struct acg2vec_zero_shot_result {
    std::vector<acg2vec::LabelProbability> value;
};
struct acg2vec_search_result {
    std::vector<acg2vec::SearchHit> value;
};
struct acg2vec_index_info {
    acg2vec::IndexInfo value;
};
struct acg2vec_strings {
    std::vector<std::string> value;
};
struct acg2vec_ids {
    std::vector<std::int64_t> value;
};
// The parts as handles, so that getters can lend `const acg2vec_*_result*` pointers.
struct acg2vec_analysis {
    std::optional<acg2vec_tag_result> tags;
    std::optional<acg2vec_score_result> scores;
    std::optional<acg2vec_vector> vector;

    explicit acg2vec_analysis(acg2vec::Analysis&& analysis) {
        if (analysis.tags) tags = acg2vec_tag_result{std::move(*analysis.tags)};
        if (analysis.scores) scores = acg2vec_score_result{std::move(*analysis.scores)};
        if (analysis.vector) vector = acg2vec_vector{std::move(*analysis.vector)};
    }
};
struct acg2vec_duplicates {
    std::vector<acg2vec::DuplicateGroup> value;
};

namespace acg2vec::capi {

// One item of a batch: an Outcome whose result is already the C handle, so the batch can lend
// `const Handle*` pointers that stay valid until the batch is freed.
template <class Handle>
struct BatchItem {
    std::string input;
    acg2vec_status status = ACG2VEC_OK;
    std::string message;
    std::optional<Handle> result;
};

}  // namespace acg2vec::capi

struct acg2vec_tag_batch {
    std::vector<acg2vec::capi::BatchItem<acg2vec_tag_result>> items;
};
struct acg2vec_score_batch {
    std::vector<acg2vec::capi::BatchItem<acg2vec_score_result>> items;
};
struct acg2vec_vector_batch {
    std::vector<acg2vec::capi::BatchItem<acg2vec_vector>> items;
};
struct acg2vec_analysis_batch {
    std::vector<acg2vec::capi::BatchItem<acg2vec_analysis>> items;
};
struct acg2vec_search_batch {
    std::vector<acg2vec_search_result> results;
};

namespace acg2vec::capi {

// Thrown by the argument checks of this layer; the guard prefixes the C function's name.
struct ArgumentError {
    std::string message;
};

// Records the message for acg2vec_last_error() on this thread and returns `status`. Never throws.
acg2vec_status fail(acg2vec_status status, const char* message) noexcept;
acg2vec_status fail(acg2vec_status status, const std::string& message) noexcept;

acg2vec_status to_status(ErrorCode code) noexcept;

// Runs `body` and turns whatever it throws into a status: acg2vec::Error keeps its code,
// std::bad_alloc becomes ACG2VEC_INTERNAL ("out of memory"; the C++ API has no memory code and
// image_too_large would misname a failure that is not about an image), anything else
// ACG2VEC_INTERNAL. `function` is the C function's name, for messages this layer writes.
template <class Body>
acg2vec_status guard(const char* function, Body&& body) noexcept {
    try {
        body();
        return ACG2VEC_OK;
    } catch (const ArgumentError& e) {
        return fail(ACG2VEC_INVALID_ARGUMENT, std::string(function) + ": " + e.message);
    } catch (const Error& e) {
        return fail(to_status(e.code()), e.what());
    } catch (const std::bad_alloc&) {
        return fail(ACG2VEC_INTERNAL, std::string(function) + ": out of memory");
    } catch (const std::exception& e) {
        return fail(ACG2VEC_INTERNAL, std::string(function) + ": unexpected exception: " + e.what());
    } catch (...) {
        return fail(ACG2VEC_INTERNAL, std::string(function) + ": unexpected exception");
    }
}

[[noreturn]] void invalid_argument(const std::string& message);

// A required pointer argument (input or output).
template <class T>
void require(const T* pointer, const char* name) {
    if (pointer == nullptr) invalid_argument(std::string(name) + " is NULL");
}

// The handle out-parameter: required, and NULL from here on until the call succeeds.
template <class T>
void begin_out(T** out, const char* name = "out") {
    require(out, name);
    *out = nullptr;
}

// An array argument: NULL is allowed only with a count of 0.
template <class T>
void require_array(const T* pointer, std::size_t count, const char* name) {
    if (pointer == nullptr && count != 0) invalid_argument(std::string(name) + " is NULL but its count is not 0");
}

// The number a C caller stored in an enum-typed field or parameter. Read through memcpy because
// a C caller may store any int there, and in C++ a value outside the enumerators' range may not
// be loaded as the enum type itself.
template <class Enum>
long long raw_enum(const Enum& value) {
    std::underlying_type_t<Enum> raw;
    std::memcpy(&raw, &value, sizeof raw);
    return static_cast<long long>(raw);
}

acg2vec_metric c_metric(Metric value);

// An index into `size` elements.
void require_index(std::size_t index, std::size_t size, const char* name);

// Each string of a `const char* const*` array, checked for NULL and copied.
std::vector<std::string> string_list(const char* const* strings, std::size_t count, const char* name);

// A copy the caller frees with acg2vec_string_free (malloc, so that free() would work too).
char* copy_string(const std::string& text);

// Checks the struct_size of an options struct. Only one version of each struct exists so far,
// so the size must be exactly ours; later versions will accept every earlier size.
void require_struct_size(std::size_t struct_size, std::size_t expected, const char* name);

// C options -> C++ options. Each argument may be NULL (the defaults).
ModelOptions model_options(const acg2vec_model_options* options);
// `name` is the parameter's name in errors.
DecodeOptions decode_options(const acg2vec_decode_options* options, const char* name = "options");
TagOptions tag_options(const acg2vec_tag_options* options);
ScoreOptions score_options(const acg2vec_score_options* options);
EmbedOptions embed_options(const acg2vec_embed_options* options);
DuplicateOptions duplicate_options(const acg2vec_duplicate_options* options);
IndexOptions index_options(const acg2vec_index_options* options);
SearchFilter search_filter(const acg2vec_search_filter* options);
ClipTokenizerOptions clip_tokenizer_options(const acg2vec_clip_tokenizer_options* options);
WordPieceOptions wordpiece_options(const acg2vec_wordpiece_options* options);

// An acg2vec_image_input as the C++ value, checked (`name` names the argument in errors). It
// borrows what the C struct points to, which lives for the call.
ImageInput image_input(const acg2vec_image_input* input, const char* name = "input");
std::vector<ImageInput> image_inputs(const acg2vec_image_input* inputs, std::size_t count);

template <class Handle, class Result>
std::vector<BatchItem<Handle>> batch_items(std::vector<Outcome<Result>>&& outcomes) {
    std::vector<BatchItem<Handle>> items;
    items.reserve(outcomes.size());
    for (auto& outcome : outcomes) {
        BatchItem<Handle> item;
        item.input = std::move(outcome.input);
        item.status = to_status(outcome.error);
        item.message = std::move(outcome.message);
        if (outcome.result) item.result = Handle{std::move(*outcome.result)};
        items.push_back(std::move(item));
    }
    return items;
}

// The batch getters, shared by the tag, score and vector batches.
template <class Batch>
acg2vec_status batch_count(const char* function, const Batch* batch, std::size_t* count) {
    return guard(function, [&] {
        require(batch, "batch");
        require(count, "count");
        *count = batch->items.size();
    });
}

template <class Batch>
acg2vec_status batch_item(const char* function, const Batch* batch, std::size_t index, acg2vec_status* status,
                          const char** input, const char** message) {
    return guard(function, [&] {
        require(batch, "batch");
        require(status, "status");
        require(input, "input");
        require(message, "message");
        require_index(index, batch->items.size(), "index");
        const auto& item = batch->items[index];
        *status = item.status;
        *input = item.input.c_str();
        *message = item.message.c_str();
    });
}

// Lends the item's result; a failed item returns its own status and message.
template <class Batch, class Handle>
acg2vec_status batch_result(const char* function, const Batch* batch, std::size_t index, const Handle** result) {
    const BatchItem<Handle>* failed = nullptr;
    const acg2vec_status status = guard(function, [&] {
        begin_out(result, "result");
        require(batch, "batch");
        require_index(index, batch->items.size(), "index");
        const auto& item = batch->items[index];
        if (item.result) {
            *result = &*item.result;
        } else {
            failed = &item;
        }
    });
    if (status != ACG2VEC_OK || failed == nullptr) return status;
    // An item without a result always carries an error; the check keeps OK + NULL impossible.
    return fail(failed->status == ACG2VEC_OK ? ACG2VEC_INTERNAL : failed->status, failed->message);
}

template <class Handle, class Value>
Handle* new_handle(Value&& value) {
    return new Handle{std::forward<Value>(value)};
}

}  // namespace acg2vec::capi
