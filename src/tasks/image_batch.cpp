// The batch engine: images are decoded and preprocessed by worker threads straight into
// batch buffers, while the calling thread runs the model on the previous batch (overlap) or
// in turns with it (alternate, see DecodeSchedule). A ring of a few buffers bounds memory
// whatever the number of inputs; results come back in input order.
#include "tasks/image_batch.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <new>
#include <thread>

namespace acg2vec::detail {
namespace {

constexpr std::size_t kRingBatches = 3;  // batches being filled or waiting; bounds memory

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

// Decodes (unless it is decoded already) and preprocesses an input into `out`.
void preprocess_input(const ImageInput& input, const DecodeOptions& decode, const PreprocessSpec& spec, float* out) {
    if (const Image* image = input.image()) {
        preprocess_image_into(*image, spec, out, spec.sample_size());
    } else {
        preprocess_image_into(input.decode(decode, spec.jpeg_idct), spec, out, spec.sample_size());
    }
}

// Prepares input i into `out`; a failure is recorded on the item.
bool prepare(const ImageInput& input, const DecodeOptions& decode, const PreprocessSpec& spec, float* out,
             ItemOutputs& item) {
    try {
        preprocess_input(input, decode, spec, out);
        return true;
    } catch (const Error& e) {
        item.error = e.code();
        item.message = e.what();
    } catch (const std::bad_alloc&) {
        item.error = ErrorCode::image_too_large;
        item.message = "out of memory while decoding or preprocessing";
    } catch (const std::exception& e) {  // a bug: reported on the item, never a terminated process
        item.error = ErrorCode::internal;
        item.message = input.name() + ": unexpected error while decoding: " + e.what();
    }
    return false;
}

// Hands item i to the sink and empties its slot: an rvalue reference alone moves nothing, and
// every item's rows would stay in `items` to the end (20,000 tagger outputs: +790 MB).
void deliver(const ItemSink& sink, std::size_t i, std::vector<ItemOutputs>& items) {
    ItemOutputs item = std::move(items[i]);
    items[i] = ItemOutputs{};
    sink(i, std::move(item));
}

struct DecodePlan {
    bool alternate = false;
    std::size_t workers = 1;
};

// ModelOptions::decode_schedule and decode_threads resolved against the machine's cores. A
// model on a GPU takes no cores worth keeping free: automatic overlaps there.
DecodePlan plan_decoding(const Model& model, std::size_t count) {
    const ModelOptions& options = model.options();
    const bool on_cpu = model.device() == "cpu";
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t model_threads = options.threads > 0 ? std::size_t(options.threads) : cores;  // libtorch's default
    const std::size_t free_cores = cores > model_threads ? cores - model_threads : 0;
    DecodePlan plan;
    switch (options.decode_schedule) {
        case DecodeSchedule::alternate: plan.alternate = true; break;
        case DecodeSchedule::overlap: plan.alternate = false; break;
        case DecodeSchedule::automatic:
            plan.alternate =
                on_cpu && (options.decode_threads > 0 ? model_threads + std::size_t(options.decode_threads) > cores
                                                      : free_cores == 0);
            break;
    }
    plan.workers = options.decode_threads > 0 ? std::size_t(options.decode_threads)
                   : plan.alternate           ? cores
                   : on_cpu                   ? std::max<std::size_t>(1, free_cores)
                                              : std::max<std::size_t>(1, cores / 2);
    plan.workers = std::min(plan.workers, count);
    return plan;
}

// The ring: worker threads claim items in input order and fill slot (item mod batch) of
// buffer (batch number mod ring size); an item waits while its batch is more than the ring
// ahead of the one the model runs, and, when alternating, while the model runs.
class BatchRing {
public:
    BatchRing(std::size_t count, std::size_t batch, std::size_t sample, bool alternate)
        : count_(count),
          batch_(batch),
          sample_(sample),
          alternate_(alternate),
          buffers_(kRingBatches),
          ready_(kRingBatches) {
        for (auto& b : buffers_) b.resize(batch * sample);
    }

    // Worker loop: returns when every item is claimed or the ring is shut down.
    void work(const std::vector<ImageInput>& inputs, const DecodeOptions& decode, const PreprocessSpec& spec,
              std::vector<ItemOutputs>& items) {
        while (true) {
            std::size_t i = 0;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                if (next_ >= count_ || stopped_) return;
                i = next_++;
                room_.wait(lock, [&] {
                    return stopped_ || (i / batch_ < consumed_ + kRingBatches && !(alternate_ && model_running_));
                });
                if (stopped_) return;
            }
            const std::size_t b = i / batch_;
            float* slot = buffers_[b % kRingBatches].data() + (i % batch_) * sample_;
            const bool ok = prepare(inputs[i], decode, spec, slot, items[i]);
            std::lock_guard<std::mutex> lock(mutex_);
            ready_[b % kRingBatches].push_back({i, ok});
            filled_.notify_all();
        }
    }

    // Waits for batch b to be complete; returns its buffer and which items succeeded.
    std::vector<float>& wait_for(std::size_t b, std::vector<std::size_t>& ok_items,
                                 std::vector<std::size_t>& positions) {
        const std::size_t first = b * batch_, size = std::min(count_, first + batch_) - first;
        std::unique_lock<std::mutex> lock(mutex_);
        filled_.wait(lock, [&] { return ready_[b % kRingBatches].size() == size; });
        auto& done = ready_[b % kRingBatches];
        std::sort(done.begin(), done.end());
        ok_items.clear();
        positions.clear();
        for (const auto& [i, ok] : done) {
            if (!ok) continue;
            ok_items.push_back(i);
            positions.push_back(i - first);
        }
        return buffers_[b % kRingBatches];
    }

    // The model is done with batch b's buffer, which may take batch b + ring size; with
    // `model_starts` the model runs from now on, and when alternating no worker starts an item
    // until model_done (one critical section, so none slips in between).
    void release(std::size_t b, bool model_starts) {
        std::lock_guard<std::mutex> lock(mutex_);
        ready_[b % kRingBatches].clear();
        consumed_ = b + 1;
        model_running_ = model_starts;
        room_.notify_all();
    }

    void model_done() {
        std::lock_guard<std::mutex> lock(mutex_);
        model_running_ = false;
        room_.notify_all();
    }

    void stop() {
        std::lock_guard<std::mutex> lock(mutex_);
        stopped_ = true;
        room_.notify_all();
    }

private:
    const std::size_t count_, batch_, sample_;
    const bool alternate_;
    bool model_running_ = false;
    std::vector<std::vector<float>> buffers_;
    std::vector<std::vector<std::pair<std::size_t, bool>>> ready_;  // per buffer: (item, succeeded)
    std::size_t next_ = 0, consumed_ = 0;
    bool stopped_ = false;
    std::mutex mutex_;
    std::condition_variable room_, filled_;
};

}  // namespace

void run_image_batches(const Model& model, const std::vector<ImageInput>& inputs, const DecodeOptions& decode,
                       const ItemSink& sink) {
    const PreprocessSpec& spec = image_spec(model);
    const std::size_t count = inputs.size();
    const std::size_t batch = std::size_t(model.options().batch_size);
    const std::size_t sample = spec.sample_size();
    // One slot per input: workers record failures in it, the model's rows go into it, and it
    // is emptied (moved to the sink) when its batch is done.
    std::vector<ItemOutputs> items(count);
    if (count == 0) return;

    if (count == 1) {
        // One image: decoded on this thread. Decode threads cannot overlap anything here, and
        // starting one per call made a lone image ~3.5 ms slower (MobileNetV2: 16.4 ms through
        // the single-image path, 20.2 ms through the ring; the server runs lone requests so).
        Tensor input;
        input.shape = spec.batch_shape(1);
        input.data.resize(sample);
        if (prepare(inputs[0], decode, spec, input.data.data(), items[0])) {
            try {
                scatter(model.run("image", {input}), {0}, items);
            } catch (const Error& e) {
                items[0].error = e.code();
                items[0].message = e.what();
            }
        }
        deliver(sink, 0, items);
        return;
    }
    const DecodePlan plan = plan_decoding(model, count);
    BatchRing ring(count, batch, sample, plan.alternate);
    std::vector<std::thread> workers;
    struct JoinOnExit {  // also when the model, or starting a thread, throws
        BatchRing& ring;
        std::vector<std::thread>& workers;
        ~JoinOnExit() {
            ring.stop();
            for (auto& w : workers) w.join();
        }
    } join_on_exit{ring, workers};
    for (std::size_t t = 0; t < plan.workers; ++t)
        workers.emplace_back([&] { ring.work(inputs, decode, spec, items); });

    std::vector<std::size_t> ok_items, positions;
    for (std::size_t b = 0; b * batch < count; ++b) {
        std::vector<float>& buffer = ring.wait_for(b, ok_items, positions);
        if (!ok_items.empty()) {
            Tensor input;
            input.shape = spec.batch_shape(std::int64_t(ok_items.size()));
            // Failed items leave holes: move the good samples together (rarely needed).
            input.data.resize(ok_items.size() * sample);
            for (std::size_t k = 0; k < ok_items.size(); ++k)
                std::copy_n(buffer.begin() + std::ptrdiff_t(positions[k] * sample), sample,
                            input.data.begin() + std::ptrdiff_t(k * sample));
            ring.release(b, true);  // the samples are copied: the buffer may be refilled
            struct ModelDone {      // also when the model throws
                BatchRing& ring;
                ~ModelDone() { ring.model_done(); }
            } model_done{ring};
            try {
                scatter(model.run("image", {input}), ok_items, items);
            } catch (const Error& e) {
                // The model failed on the whole batch: every item in it reports that.
                for (auto i : ok_items) {
                    items[i].error = e.code();
                    items[i].message = e.what();
                }
            }
        } else {
            ring.release(b, false);
        }
        // Workers write only into items of later batches (their own slots): this batch's
        // items are settled and may leave.
        for (std::size_t i = b * batch; i < std::min(count, (b + 1) * batch); ++i) deliver(sink, i, items);
    }
}

std::string outcome_name(const ImageInput& input, std::size_t i) {
    return input.name().empty() ? "batch[" + std::to_string(i) + "]" : input.name();
}

ItemRows run_single_image(const Model& model, const ImageInput& input, const DecodeOptions& decode) {
    const PreprocessSpec& spec = image_spec(model);
    Tensor sample;
    sample.shape = spec.batch_shape(1);
    sample.data.resize(spec.sample_size());
    preprocess_input(input, decode, spec, sample.data.data());
    ItemRows rows;
    for (auto& [name, tensor] : model.run("image", {sample})) rows[name] = std::move(tensor.data);
    return rows;
}

}  // namespace acg2vec::detail
