#include "acg2vec/image_input.hpp"

#include "acg2vec/error.hpp"
#include "image/decoders.hpp"
#include "io/read_file.hpp"

namespace acg2vec {

ImageInput::ImageInput(Kind kind, std::string name) : kind_(kind), name_(std::move(name)) {}

ImageInput ImageInput::file(std::string path, std::string name) {
    if (path.empty()) throw Error(ErrorCode::invalid_argument, "image input: empty path");
    ImageInput input(Kind::file, name.empty() ? path : std::move(name));
    input.text_ = std::move(path);
    return input;
}

std::vector<ImageInput> ImageInput::files(const std::vector<std::string>& paths) {
    std::vector<ImageInput> inputs;
    inputs.reserve(paths.size());
    for (const auto& path : paths) inputs.push_back(file(path));
    return inputs;
}

ImageInput ImageInput::memory(const void* data, std::size_t size, std::string name) {
    ImageInput input(Kind::memory, std::move(name));
    input.data_ = data;
    input.size_ = size;
    return input;
}

ImageInput ImageInput::memory(std::vector<std::uint8_t> bytes, std::string name) {
    auto owned = std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
    ImageInput input = memory(owned->data(), owned->size(), std::move(name));
    input.owned_ = std::move(owned);
    return input;
}

ImageInput ImageInput::base64(std::string text, std::string name) {
    ImageInput input(Kind::base64, std::move(name));
    input.text_ = std::move(text);
    return input;
}

ImageInput::ImageInput(const Image& image, std::string name)
    : kind_(Kind::image), name_(std::move(name)), image_(&image) {}

ImageInput::ImageInput(Image&& image, std::string name) : kind_(Kind::image), name_(std::move(name)) {
    auto owned = std::make_shared<const Image>(std::move(image));
    image_ = owned.get();
    owned_ = std::move(owned);
}

Image ImageInput::decode(const DecodeOptions& options, JpegIdct idct) const {
    if (idct == JpegIdct::accurate) return decode(options);
    switch (kind_) {
        case Kind::file: {
            const std::vector<char> bytes = detail::read_file(text_);
            return detail::decode_bytes(bytes.data(), bytes.size(), options, text_, idct);
        }
        case Kind::memory: return detail::decode_bytes(data_, size_, options, name_.empty() ? "<memory>" : name_, idct);
        case Kind::base64: {
            const std::string name = name_.empty() ? "<base64>" : name_;
            const std::vector<std::uint8_t> bytes = decode_base64(text_, name);
            return detail::decode_bytes(bytes.data(), bytes.size(), options, name, idct);
        }
        case Kind::image: return *image_;
    }
    throw Error(ErrorCode::internal, "image input of an unknown kind");
}

Image ImageInput::decode(const DecodeOptions& options) const {
    switch (kind_) {
        case Kind::file: return decode_image_file(text_, options);
        case Kind::memory: return decode_image_memory(data_, size_, options, name_.empty() ? "<memory>" : name_);
        case Kind::base64: return decode_image_base64(text_, options, name_.empty() ? "<base64>" : name_);
        case Kind::image: return *image_;
    }
    throw Error(ErrorCode::internal, "image input of an unknown kind");
}

}  // namespace acg2vec
