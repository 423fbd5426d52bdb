// One value for every way an image reaches a task: a file, encoded bytes in memory, base64
// text or a data URL, or an already decoded Image. Tagger, Scorer, Embedder and Analyzer take
// it, one image at a time or in batches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "acg2vec/export.hpp"
#include "acg2vec/image.hpp"

namespace acg2vec {

class ACG2VEC_API ImageInput {
public:
    enum class Kind { file, memory, base64, image };

    // A path, read when the task runs. `name` (default: the path) names it in outcomes.
    static ImageInput file(std::string path, std::string name = {});
    // Paths, one file input each (for the *_batch calls).
    static std::vector<ImageInput> files(const std::vector<std::string>& paths);
    // Encoded bytes (JPEG, PNG, WebP, ...). Borrowed: they must stay alive and unchanged until
    // the call that takes this input returns.
    static ImageInput memory(const void* data, std::size_t size, std::string name = {});
    // Encoded bytes, owned by the input.
    static ImageInput memory(std::vector<std::uint8_t> bytes, std::string name = {});
    // Plain base64 (line breaks allowed) or a data URL ("data:image/png;base64,...").
    static ImageInput base64(std::string text, std::string name = {});

    // A decoded image: borrowed from an lvalue (it must outlive the call that takes this
    // input), moved in from an rvalue.
    ImageInput(const Image& image, std::string name = {});  // NOLINT: implicit on purpose
    ImageInput(Image&& image, std::string name = {});       // NOLINT: implicit on purpose

    Kind kind() const noexcept { return kind_; }
    // The name given, else the path of a file input (may be empty). Outcome::input and
    // errors use it; a batch names an unnamed input "batch[i]".
    const std::string& name() const noexcept { return name_; }
    // The decoded image of an image input, else null.
    const Image* image() const noexcept { return image_; }

    // Reads and decodes (an image input is copied). Throws Error naming the input.
    Image decode(const DecodeOptions& options = {}) const;
    // The same, JPEG files decoded with `idct` (what a model's PreprocessSpec::jpeg_idct asks
    // for; the tasks decode this way). An image input is copied as it is.
    Image decode(const DecodeOptions& options, JpegIdct idct) const;

private:
    ImageInput(Kind kind, std::string name);

    Kind kind_;
    std::string name_;
    std::string text_;            // the path, or the base64 text
    const void* data_ = nullptr;  // the encoded bytes
    std::size_t size_ = 0;
    const Image* image_ = nullptr;       // the decoded image
    std::shared_ptr<const void> owned_;  // keeps owned bytes or an owned image alive
};

}  // namespace acg2vec
