// Reads the extra files of a TorchScript archive (what torch.jit.save(..., _extra_files=)
// stores under <archive>/extra/) without loading the model itself, and checks the archive
// before libtorch parses any of it.
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/versions.h>
#include <zlib.h>

#include <algorithm>

#include "acg2vec/error.hpp"
#include "io/zip_directory.hpp"
#include "runtime/torch_module.hpp"

namespace acg2vec::detail {
namespace {

std::uint32_t crc32_of(const void* data, std::size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (const auto* p = static_cast<const Bytef*>(data); size > 0;) {  // zlib takes uInt lengths
        const uInt n = uInt(std::min<std::size_t>(size, 1u << 30));
        crc = crc32(crc, p, n);
        p += n;
        size -= n;
    }
    return std::uint32_t(crc);
}

// PyTorchStreamReader's constructor opens the zip (allocating miniz's state) and then checks
// the archive; when a check throws, its destructor never runs and that state leaks (about
// 1 KB per attempt; LeakSanitizer in tests/fault/model_file_test.cpp). torch::jit::load builds
// one too. So its checks are made here first, on the directory: the first entry sits in a
// folder, that folder has a version record, readable as miniz would read it (not encrypted,
// stored or deflated, sizes consistent), and the version (CRC-checked) is a number libtorch
// 1.13 reads.
void check_what_the_reader_checks(const std::string& path, const std::vector<ZipEntry>& entries) {
    auto fail = [&](const std::string& why) {
        throw Error(ErrorCode::model_load, path + ": not a TorchScript archive (" + why + ")");
    };
    if (entries.empty()) fail("no files");
    const auto slash = entries.front().name.find('/');
    if (slash == std::string::npos) fail("its first file is not in a folder");
    const std::string folder = entries.front().name.substr(0, slash + 1);
    const ZipEntry* version = nullptr;
    for (const char* name : {".data/version", "version"}) {
        for (const ZipEntry& entry : entries) {
            if (version == nullptr && entry.name == folder + name) version = &entry;
        }
    }
    if (version == nullptr) fail("no version record");
    const std::string text = read_zip_entry(path, *version, 64);
    std::uint64_t number = 0;
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' && digits < 18) {
        number = number * 10 + std::uint64_t(text[digits++] - '0');
    }
    const bool rest_blank = text.find_first_not_of(" \t\r\n", digits) == std::string::npos;
    if (digits == 0 || !rest_blank || number < caffe2::serialize::kMinSupportedFileFormatVersion ||
        number > caffe2::serialize::kMaxSupportedFileFormatVersion) {
        fail("unsupported version record");
    }
}

}  // namespace

// libtorch's zip reader does not check CRCs, and its TorchScript parser and unpickler are not
// hardened: a bit flipped in code/__torch__.py crashed torch::jit::load (a call to a wild
// address from ScriptTypeParser::parseClassConstant; tests/fault/model_file_test.cpp). So
// every record libtorch parses (code, pickles, constants, version, extra files) must match
// the CRC-32 of the zip directory first. Tensor storages (data/) are skipped: libtorch copies
// them as numbers without parsing them, and they are most of a model's size.
std::map<std::string, std::string> read_archive_files(const std::string& path) {
    const std::vector<ZipEntry> entries = read_zip_directory(path);
    check_what_the_reader_checks(path, entries);
    std::map<std::string, std::uint32_t> crc_of;  // record name (without the archive's folder) -> CRC
    for (const ZipEntry& entry : entries) {
        const auto slash = entry.name.find('/');
        if (slash != std::string::npos) crc_of[entry.name.substr(slash + 1)] = entry.crc32;
    }
    std::map<std::string, std::string> files;
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        const std::string prefix = "extra/";
        for (const std::string& record : reader.getAllRecords()) {
            if (record.compare(0, 5, "data/") == 0) continue;
            auto [data, size] = reader.getRecord(record);
            const auto crc = crc_of.find(record);
            if (crc == crc_of.end() || crc32_of(data.get(), size) != crc->second) {
                throw Error(ErrorCode::model_load,
                            path + ": the archive is damaged (record '" + record + "' fails its CRC-32 check)");
            }
            if (record.compare(0, prefix.size(), prefix) != 0) continue;
            files.emplace(record.substr(prefix.size()), std::string(static_cast<const char*>(data.get()), size));
        }
    } catch (const c10::Error& e) {
        throw Error(ErrorCode::model_load, path + ": not a TorchScript archive (" + e.what_without_backtrace() + ")");
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {  // e.g. std::invalid_argument from its std::stoull
        throw Error(ErrorCode::model_load, path + ": not a TorchScript archive (" + e.what() + ")");
    }
    return files;
}

}  // namespace acg2vec::detail
