#include "tasks/image_batch.hpp"

#include <new>

namespace acg2vec::detail {
namespace {

const PreprocessSpec& image_spec(const Model& model) {
    const auto& spec = model.metadata().preprocess;
    if (!spec) throw Error(ErrorCode::model_metadata, model.path() + ": model has no preprocessing for images");
    return *spec;
}

// Splits each batch output into per-item rows and hands them to the items that ran.
void scatter(const NamedTensors& outputs, const std::vector<std::size_t>& ran, std::vector<ItemOutputs>& items) {
    for (const auto& [name, tensor] : outputs) {
        const std::size_t row = tensor.data.size() / ran.size();
        for (std::size_t k = 0; k < ran.size(); ++k) {
            auto begin = tensor.data.begin() + std::ptrdiff_t(k * row);
            items[ran[k]].outputs[name].assign(begin, begin + std::ptrdiff_t(row));
        }
    }
}

}  // namespace

std::vector<ItemOutputs> run_image_batches(const Model& model, std::size_t count,
                                           const std::function<Image(std::size_t)>& load) {
    const PreprocessSpec& spec = image_spec(model);
    const std::size_t batch = std::size_t(model.options().batch_size);
    const std::size_t sample = spec.sample_size();
    std::vector<ItemOutputs> items(count);
    for (std::size_t first = 0; first < count; first += batch) {
        const std::size_t last = std::min(count, first + batch);
        Tensor input;
        input.data.reserve((last - first) * sample);
        std::vector<std::size_t> ready;
        for (std::size_t i = first; i < last; ++i) {
            try {
                const Image image = load(i);
                input.data.resize((ready.size() + 1) * sample);
                preprocess_image_into(image, spec, input.data.data() + ready.size() * sample, sample);
                ready.push_back(i);
            } catch (const Error& e) {
                items[i].error = e.code();
                items[i].message = e.what();
            } catch (const std::bad_alloc&) {
                items[i].error = ErrorCode::image_too_large;
                items[i].message = "out of memory while decoding or preprocessing";
            }
        }
        if (ready.empty()) continue;
        input.data.resize(ready.size() * sample);
        input.shape = spec.batch_shape(std::int64_t(ready.size()));
        try {
            scatter(model.run("image", {input}), ready, items);
        } catch (const Error& e) {
            // The model failed on the whole batch: every item in it reports that.
            for (auto i : ready) {
                items[i].error = e.code();
                items[i].message = e.what();
            }
        }
    }
    return items;
}

std::vector<std::string> batch_names(std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) names.push_back("batch[" + std::to_string(i) + "]");
    return names;
}

std::map<std::string, std::vector<float>> run_single_image(const Model& model, const Image& image) {
    NamedTensors out = model.run("image", {preprocess_image(image, image_spec(model))});
    std::map<std::string, std::vector<float>> rows;
    for (auto& [name, tensor] : out) rows[name] = std::move(tensor.data);
    return rows;
}

}  // namespace acg2vec::detail
