// TorchModule on libtorch's TorchScript interpreter.
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/script.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "acg2vec/error.hpp"
#include "runtime/torch_module.hpp"

namespace acg2vec::detail {
namespace {

// threads = 0 means one intra-op thread per core. libtorch's own default is not that on every
// machine: it asks cpuinfo for physical cores, and on a 2-vCPU VM here it chose 1, leaving a
// core idle (MobileNetV2 one image at a time: 15.4 s for 160 images with 1 thread, 6.9 s
// with 2). So the first model opened with 0 sets one per core, unless OMP_NUM_THREADS chose a
// number or a model already asked for one (the pool is process-wide: the last explicit
// setting wins).
std::once_flag default_threads_once;
std::atomic<bool> threads_set_explicitly{false};

void configure_threads(int threads) {
    if (threads > 0) {
        threads_set_explicitly = true;
        at::set_num_threads(threads);
        return;
    }
    std::call_once(default_threads_once, [] {
        if (threads_set_explicitly || std::getenv("OMP_NUM_THREADS") != nullptr) return;
        const unsigned cores = std::thread::hardware_concurrency();
        if (cores > 0) at::set_num_threads(int(cores));
    });
}

torch::Device parse_device(const std::string& name) {
    if (name == "cpu") return torch::kCPU;
    if (name == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    // "cuda" or "cuda:N" with N of 1 to 3 digits.
    const std::string digits = name.size() > 5 ? name.substr(5) : "";
    const bool well_formed =
        name == "cuda" || (name.compare(0, 5, "cuda:") == 0 && !digits.empty() && digits.size() <= 3 &&
                           digits.find_first_not_of("0123456789") == std::string::npos);
    if (!well_formed) {
        throw Error(ErrorCode::invalid_argument, "device '" + name + "' is not cpu, cuda, cuda:N or auto");
    }
    const int index = digits.empty() ? 0 : std::stoi(digits);
    if (!torch::cuda::is_available()) {
        throw Error(ErrorCode::device, "device '" + name + "': this libtorch build or machine has no CUDA device");
    }
    if (index >= int(torch::cuda::device_count())) {
        throw Error(ErrorCode::device, "device '" + name + "': only " + std::to_string(torch::cuda::device_count()) +
                                           " CUDA device(s) present");
    }
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

torch::ScalarType scalar_type(Precision precision, const torch::Device& device) {
    switch (precision) {
        case Precision::fp32: return torch::kFloat32;
        case Precision::bf16: return torch::kBFloat16;
        case Precision::fp16:
            if (!device.is_cuda())
                throw Error(ErrorCode::device, "precision fp16 needs a CUDA device; use fp32 or bf16 on CPU");
            return torch::kFloat16;
    }
    return torch::kFloat32;
}

Tensor to_plain(const at::Tensor& t) {
    at::Tensor cpu = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    Tensor out;
    out.shape.assign(cpu.sizes().begin(), cpu.sizes().end());
    out.data.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
    return out;
}

// bf16 on the CPU: the module keeps its fp32 weights and inputs, and autocast runs the matrix
// products and convolutions in bf16 (AVX512_BF16 where the CPU has it). Converting the module
// instead fails on traced graphs, which keep fp32 dtype constants (a class token's
// `.to(x.dtype)`, a mask's `zeros(dtype=float32)`); autocast also keeps LayerNorm and softmax
// in fp32. Thread-local, set for the call and restored after it.
class CpuBf16Autocast {
public:
    CpuBf16Autocast() : enabled_(at::autocast::is_cpu_enabled()), dtype_(at::autocast::get_autocast_cpu_dtype()) {
        at::autocast::set_cpu_enabled(true);
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    }
    ~CpuBf16Autocast() {
        at::autocast::set_cpu_enabled(enabled_);
        at::autocast::set_autocast_cpu_dtype(dtype_);
        at::autocast::clear_cache();
    }
    CpuBf16Autocast(const CpuBf16Autocast&) = delete;
    CpuBf16Autocast& operator=(const CpuBf16Autocast&) = delete;

private:
    bool enabled_;
    at::ScalarType dtype_;
};

class ScriptModule final : public TorchModule {
public:
    ScriptModule(torch::jit::Module module, torch::Device device, torch::ScalarType dtype, bool cpu_bf16)
        : module_(std::move(module)), device_(device), dtype_(dtype), cpu_bf16_(cpu_bf16) {}

    std::string device() const override { return device_.str(); }

    MethodOutputs run(const std::string& method, const std::vector<InputTensor>& inputs) const override {
        c10::InferenceMode inference;
        std::optional<CpuBf16Autocast> autocast;
        if (cpu_bf16_) autocast.emplace();
        try {
            std::vector<c10::IValue> args;
            args.reserve(inputs.size());
            for (const InputTensor& input : inputs) args.emplace_back(to_torch(input));
            // Module::get_method is not const, but calling a method is thread-safe.
            c10::IValue result = const_cast<torch::jit::Module&>(module_).get_method(method)(std::move(args));
            return collect(method, result);
        } catch (const Error&) {
            throw;
        } catch (const c10::Error& e) {
            throw Error(ErrorCode::inference, "method '" + method + "' failed: " + e.what_without_backtrace());
        } catch (const std::exception& e) {
            throw Error(ErrorCode::inference, "method '" + method + "' failed: " + e.what());
        }
    }

private:
    at::Tensor to_torch(const InputTensor& input) const {
        if (const auto* f = std::get_if<Tensor>(&input)) {
            // Always a copy: a scripted method may modify its input in place, and the caller's
            // tensor is const (and may be shared by threads running the same input).
            at::Tensor t = torch::from_blob(const_cast<float*>(f->data.data()), f->shape, torch::kFloat32);
            return t.to(device_, dtype_, /*non_blocking=*/false, /*copy=*/true);
        }
        const auto& i = std::get<Int64Tensor>(input);
        at::Tensor t = torch::from_blob(const_cast<std::int64_t*>(i.data.data()), i.shape, torch::kInt64);
        return t.to(device_, torch::kInt64, /*non_blocking=*/false, /*copy=*/true);
    }

    static MethodOutputs collect(const std::string& method, const c10::IValue& result) {
        MethodOutputs out;
        auto fail = [&](const std::string& what) -> MethodOutputs {
            throw Error(ErrorCode::shape_mismatch,
                        "method '" + method + "' returned " + what +
                            "; expected a tensor, a tuple of tensors or a dict str -> tensor");
        };
        if (result.isTensor()) {
            out.tensors.push_back(to_plain(result.toTensor()));
        } else if (result.isTuple() || result.isList()) {
            auto elements = result.isTuple() ? result.toTupleRef().elements().vec() : result.toListRef().vec();
            for (const auto& e : elements) {
                if (!e.isTensor()) return fail("a sequence holding a " + e.tagKind());
                out.tensors.push_back(to_plain(e.toTensor()));
            }
        } else if (result.isGenericDict()) {
            out.named = true;
            for (const auto& entry : result.toGenericDict()) {
                if (!entry.key().isString() || !entry.value().isTensor())
                    return fail("a dict that is not str -> tensor");
                out.names.push_back(entry.key().toStringRef());
                out.tensors.push_back(to_plain(entry.value().toTensor()));
            }
        } else {
            return fail("a " + result.tagKind());
        }
        return out;
    }

    torch::jit::Module module_;
    torch::Device device_;
    torch::ScalarType dtype_;  // of the module's floating inputs
    bool cpu_bf16_;            // run under CpuBf16Autocast
};

torch::jit::Module optimize(const torch::jit::Module& module, const TorchModule::LoadOptions& options) {
    if (options.optimization == Optimization::none) return module;
    torch::jit::Module copy = module;  // freeze takes a non-const module for optimize_for_inference
    std::vector<std::string> keep;
    for (const auto& m : options.methods) {
        if (m != "forward") keep.push_back(m);
    }
    const bool numerics = options.optimization == Optimization::full;
    torch::jit::Module frozen = torch::jit::freeze(copy, keep, numerics);
    if (numerics) frozen = torch::jit::optimize_for_inference(frozen, keep);
    return frozen;
}

// An int8 model (Quantization::dynamic_int8) runs quantized::linear_dynamic, which exists for
// the CPU only and takes fp32 activations. Its file stores int8 weights and scales; loading
// packs them for the process's quantized engine, chosen here first: oneDNN (VNNI on this
// machine's CPUs) or FBGEMM when the build has them, else whatever engine it has.
torch::Device int8_device(const torch::Device& device, const TorchModule::LoadOptions& options) {
    const auto fail = [](const std::string& why) {
        throw Error(ErrorCode::device, "the model's linear layers are int8 (quantization dynamic_int8): " + why);
    };
    if (options.precision != Precision::fp32) fail("it runs in precision fp32 only");
    if (device.is_cuda()) {
        if (options.device != "auto") fail("its int8 kernels exist for the CPU only; use device cpu");
        return torch::kCPU;
    }
    const auto engines = at::globalContext().supportedQEngines();
    std::optional<at::QEngine> chosen;
    for (const at::QEngine preferred : {at::QEngine::ONEDNN, at::QEngine::FBGEMM}) {
        if (std::find(engines.begin(), engines.end(), preferred) != engines.end()) {
            chosen = preferred;
            break;
        }
    }
    if (!chosen) {
        for (const at::QEngine e : engines) {
            if (e != at::QEngine::NoQEngine) chosen = e;
        }
    }
    if (!chosen) fail("this libtorch has no quantized engine");
    if (at::globalContext().qEngine() != *chosen) at::globalContext().setQEngine(*chosen);
    return device;
}

}  // namespace

std::unique_ptr<TorchModule> TorchModule::load(const std::string& path, const LoadOptions& options) {
    torch::Device device = parse_device(options.device);
    if (options.quantization == Quantization::dynamic_int8) device = int8_device(device, options);
    // bf16 on the CPU runs through autocast on the fp32 module (CpuBf16Autocast); on CUDA the
    // module and its inputs are converted.
    const bool cpu_bf16 = options.precision == Precision::bf16 && !device.is_cuda();
    const torch::ScalarType dtype = cpu_bf16 ? torch::kFloat32 : scalar_type(options.precision, device);
    configure_threads(options.threads);
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, device);
    } catch (const c10::Error& e) {
        throw Error(ErrorCode::model_load, path + ": cannot load TorchScript module: " + e.what_without_backtrace());
    } catch (const std::exception& e) {
        throw Error(ErrorCode::model_load, path + ": cannot load TorchScript module: " + e.what());
    }
    for (const auto& m : options.methods) {
        if (!module.find_method(m)) {
            throw Error(ErrorCode::model_metadata,
                        path + ": acg2vec.json names method '" + m + "', which the TorchScript module does not have");
        }
    }
    module.eval();
    try {
        if (dtype != torch::kFloat32) module.to(dtype);
    } catch (const std::exception& e) {
        throw Error(ErrorCode::device, path + ": cannot convert the module to the requested precision: " + e.what());
    }
    try {
        module = optimize(module, options);
    } catch (const std::exception&) {
        // Some scripted modules cannot be frozen (e.g. they mutate attributes); they still run as saved.
    }
    return std::make_unique<ScriptModule>(std::move(module), device, dtype, cpu_bf16);
}

}  // namespace acg2vec::detail
