// C ABI: the last error of each thread, the exception-to-status translation, argument checks
// and the small helpers every other capi file uses.
#include <cstdlib>

#include "capi_internal.hpp"

namespace acg2vec::capi {
namespace {

// The message of the last failure on this thread. When copying the message itself runs out
// of memory, `last_error` points at a static text instead of the (then stale) string.
thread_local std::string last_error_text;
thread_local const char* last_error = "";

}  // namespace

acg2vec_status fail(acg2vec_status status, const char* message) noexcept {
    try {
        last_error_text = message;
        last_error = last_error_text.c_str();
    } catch (...) {
        last_error = "out of memory while recording the error message";
    }
    return status;
}

acg2vec_status fail(acg2vec_status status, const std::string& message) noexcept {
    return fail(status, message.c_str());
}

acg2vec_status to_status(ErrorCode code) noexcept {
    const int value = static_cast<int>(code);
    if (value < ACG2VEC_OK || value > ACG2VEC_INTERNAL) return ACG2VEC_INTERNAL;
    return static_cast<acg2vec_status>(value);
}

void invalid_argument(const std::string& message) { throw ArgumentError{message}; }

void require_index(std::size_t index, std::size_t size, const char* name) {
    if (index >= size) {
        invalid_argument(std::string(name) + " " + std::to_string(index) + " is out of range (size " +
                         std::to_string(size) + ")");
    }
}

std::vector<std::string> string_list(const char* const* strings, std::size_t count, const char* name) {
    require_array(strings, count, name);
    std::vector<std::string> list;
    list.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (strings[i] == nullptr) invalid_argument(std::string(name) + "[" + std::to_string(i) + "] is NULL");
        list.emplace_back(strings[i]);
    }
    return list;
}

char* copy_string(const std::string& text) {
    char* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (copy == nullptr) throw std::bad_alloc();
    std::memcpy(copy, text.c_str(), text.size() + 1);
    return copy;
}

void require_struct_size(std::size_t struct_size, std::size_t expected, const char* name) {
    if (struct_size != expected) {
        invalid_argument(std::string(name) + "->struct_size is " + std::to_string(struct_size) + ", expected " +
                         std::to_string(expected) + " (fill the struct with its _init function)");
    }
}

ImageInput image_input(const acg2vec_image_input* input, const char* name) {
    require(input, name);
    const std::string field = std::string(name) + "->";
    std::string label = input->name != nullptr ? input->name : "";
    switch (raw_enum(input->source)) {
        case ACG2VEC_IMAGE_FILE:
            if (input->text == nullptr) invalid_argument(field + "text (the path) is NULL");
            return ImageInput::file(input->text, std::move(label));
        case ACG2VEC_IMAGE_MEMORY:
            if (input->data == nullptr) invalid_argument(field + "data is NULL");
            return ImageInput::memory(input->data, input->size, std::move(label));
        case ACG2VEC_IMAGE_BASE64:
            if (input->text == nullptr) invalid_argument(field + "text (the base64) is NULL");
            return ImageInput::base64(input->text, std::move(label));
        case ACG2VEC_IMAGE_DECODED:
            if (input->image == nullptr) invalid_argument(field + "image is NULL");
            return ImageInput(input->image->value, std::move(label));
    }
    invalid_argument(field + "source " + std::to_string(raw_enum(input->source)) + " is not an acg2vec_image_source");
}

std::vector<ImageInput> image_inputs(const acg2vec_image_input* inputs, std::size_t count) {
    require_array(inputs, count, "inputs");
    std::vector<ImageInput> list;
    list.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::string name = "inputs[" + std::to_string(i) + "]";
        list.push_back(image_input(&inputs[i], name.c_str()));
    }
    return list;
}

}  // namespace acg2vec::capi

static_assert(ACG2VEC_OK == static_cast<int>(acg2vec::ErrorCode::ok) &&
                  ACG2VEC_INVALID_ARGUMENT == static_cast<int>(acg2vec::ErrorCode::invalid_argument) &&
                  ACG2VEC_INVALID_IMAGE == static_cast<int>(acg2vec::ErrorCode::invalid_image) &&
                  ACG2VEC_UNSUPPORTED_FORMAT == static_cast<int>(acg2vec::ErrorCode::unsupported_format) &&
                  ACG2VEC_IMAGE_TOO_LARGE == static_cast<int>(acg2vec::ErrorCode::image_too_large) &&
                  ACG2VEC_MODEL_LOAD == static_cast<int>(acg2vec::ErrorCode::model_load) &&
                  ACG2VEC_MODEL_METADATA == static_cast<int>(acg2vec::ErrorCode::model_metadata) &&
                  ACG2VEC_SHAPE_MISMATCH == static_cast<int>(acg2vec::ErrorCode::shape_mismatch) &&
                  ACG2VEC_IO == static_cast<int>(acg2vec::ErrorCode::io) &&
                  ACG2VEC_INDEX_FORMAT == static_cast<int>(acg2vec::ErrorCode::index_format) &&
                  ACG2VEC_NOT_FOUND == static_cast<int>(acg2vec::ErrorCode::not_found) &&
                  ACG2VEC_INFERENCE == static_cast<int>(acg2vec::ErrorCode::inference) &&
                  ACG2VEC_DEVICE == static_cast<int>(acg2vec::ErrorCode::device) &&
                  ACG2VEC_INTERNAL == static_cast<int>(acg2vec::ErrorCode::internal),
              "C status codes must equal acg2vec::ErrorCode, value for value");

extern "C" const char* acg2vec_last_error(void) { return acg2vec::capi::last_error; }

extern "C" void acg2vec_string_free(char* string) { std::free(string); }
