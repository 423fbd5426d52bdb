// The C API's byte- and text-taking entry points, called as a C program would: images from
// memory and from base64 (full size and DCT-scaled, acg2vec_decode_options.jpeg_min_side), and
// texts through both tokenizers (opened once through the C API). The tasks' acg2vec_image_input
// calls need a model, which this build cannot load (no_torch_runtime.cpp); they share the
// decoders fuzzed here.
// The first byte picks the entry point; the rest is its input. Every call must return a
// status: OK with a usable result, or a documented error code with a message. No exception
// may cross, and nothing may leak (LeakSanitizer checks at exit of each run's process).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "acg2vec.h"
#include "fuzz_common.hpp"

namespace {

acg2vec_clip_tokenizer* clip = nullptr;
acg2vec_wordpiece_tokenizer* wordpiece = nullptr;

void check_status(acg2vec_status status) {
    if (status == ACG2VEC_OK) return;
    if (status == ACG2VEC_INTERNAL || status < 0 || status > ACG2VEC_INTERNAL) {
        acg2vec::fuzz::finding(std::string("status ") + acg2vec_status_name(status) + ": " + acg2vec_last_error());
    }
    acg2vec::fuzz::require(std::strlen(acg2vec_last_error()) > 0, "a failed call leaves a message");
}

// Decode options varied by the input's size, so the corpus keeps its meaning: EXIF orientation
// on odd sizes, and full-size, 1/2-1/8 DCT-scaled or heavily scaled JPEG decoding.
acg2vec_decode_options decode_options(std::size_t size) {
    acg2vec_decode_options options;
    acg2vec_decode_options_init(&options);
    options.max_pixels = 1 << 20;
    options.apply_exif_orientation = size % 2;
    static const int min_sides[3] = {0, 64, 1};
    options.jpeg_min_side = min_sides[(size / 2) % 3];
    return options;
}

void decode_memory(const std::uint8_t* data, std::size_t size) {
    const acg2vec_decode_options options = decode_options(size);
    acg2vec_image* image = nullptr;
    // A zero-size input still passes a valid pointer: NULL is refused by argument checks.
    const acg2vec_status status =
        acg2vec_image_decode_memory(size ? data : reinterpret_cast<const std::uint8_t*>(""), size, &options, &image);
    check_status(status);
    acg2vec::fuzz::require((status == ACG2VEC_OK) == (image != nullptr), "a handle exactly on success");
    if (image == nullptr) return;
    int width = 0, height = 0, channels = 0;
    const std::uint8_t* pixels = nullptr;
    std::size_t bytes = 0;
    const char* format = nullptr;
    check_status(acg2vec_image_dimensions(image, &width, &height, &channels));
    check_status(acg2vec_image_pixels(image, &pixels, &bytes));
    check_status(acg2vec_image_format(image, &format));
    acg2vec::fuzz::require(bytes == std::size_t(width) * std::size_t(height) * std::size_t(channels), "pixel bytes");
    acg2vec_image_free(image);
}

void decode_base64(const std::string& text) {
    acg2vec_image* image = nullptr;
    const acg2vec_decode_options options = decode_options(text.size());
    const acg2vec_status status = acg2vec_image_decode_base64(text.c_str(), &options, &image);
    check_status(status);
    acg2vec::fuzz::require((status == ACG2VEC_OK) == (image != nullptr), "a handle exactly on success");
    acg2vec_image_free(image);
}

void clip_text(const std::string& text) {
    acg2vec_ids* ids = nullptr;
    acg2vec_strings* pieces = nullptr;
    char* cleaned = nullptr;
    check_status(acg2vec_clip_tokenizer_tokenize(clip, text.c_str(), &ids));
    check_status(acg2vec_clip_tokenizer_pieces(clip, text.c_str(), &pieces));
    check_status(acg2vec_clip_tokenizer_clean(clip, text.c_str(), &cleaned));
    if (ids != nullptr) {
        const std::int64_t* data = nullptr;
        std::size_t count = 0;
        check_status(acg2vec_ids_data(ids, &data, &count));
        char* decoded = nullptr;
        check_status(acg2vec_clip_tokenizer_decode(clip, data, count, &decoded));
        acg2vec_string_free(decoded);
    }
    acg2vec_ids_free(ids);
    acg2vec_strings_free(pieces);
    acg2vec_string_free(cleaned);
}

void wordpiece_text(const std::string& text) {
    acg2vec_strings* pieces = nullptr;
    acg2vec_ids *ids = nullptr, *mask = nullptr;
    check_status(acg2vec_wordpiece_tokenizer_tokenize(wordpiece, text.c_str(), &pieces));
    check_status(acg2vec_wordpiece_tokenizer_encode_padded(wordpiece, text.c_str(), 32, &ids, &mask));
    acg2vec::fuzz::require((ids == nullptr) == (mask == nullptr), "both handles or neither");
    std::int64_t id = 0;
    check_status(acg2vec_wordpiece_tokenizer_token_id(wordpiece, text.c_str(), &id));
    acg2vec_strings_free(pieces);
    acg2vec_ids_free(ids);
    acg2vec_ids_free(mask);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (acg2vec_clip_tokenizer_open(ACG2VEC_SHARED_DATA "/clip/bpe_simple_vocab_16e6.txt.gz", nullptr, &clip) !=
            ACG2VEC_OK ||
        acg2vec_wordpiece_tokenizer_open(ACG2VEC_SHARED_DATA "/bert/bert-base-uncased-vocab.txt", nullptr,
                                         &wordpiece) != ACG2VEC_OK) {
        acg2vec::fuzz::finding(std::string("cannot open the shared vocabularies: ") + acg2vec_last_error());
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t* body = data + 1;
    const std::size_t length = size - 1;
    const std::string text(reinterpret_cast<const char*>(body), length);  // C sees it up to the first NUL
    switch (data[0] % 4) {
        case 0: decode_memory(body, length); break;
        case 1: decode_base64(text); break;
        case 2: clip_text(text); break;
        default: wordpiece_text(text); break;
    }
    return 0;
}
