// Damaged index files: truncated, bit-flipped, and altered with valid checksums. Every one
// must fail with index_format (or load, when the change is harmless) and never crash; the
// sanitizer build runs these too.
#include <doctest/doctest.h>

#include <zlib.h>

#include <cstring>
#include <fstream>

#include "acg2vec/index.hpp"
#include "support/error_capture.hpp"
#include "support/test_data.hpp"
#include "support/vectors.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes saved_index(const std::string& path) {
    IndexOptions o;
    o.dimension = 4;
    o.model_name = "fixture";
    Index index = Index::create(o);
    const auto set = test::embedding_like(40, 4, 11);
    std::vector<std::vector<std::string>> categories(40, std::vector<std::string>{"c"});
    index.add_batch(test::numbered_keys(40), set.values, categories);
    index.remove("item5");
    index.save(path);
    return test::read_bytes(path);
}

void write(const std::string& path, const Bytes& bytes, std::size_t size) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(size));
}

std::uint32_t crc(const std::uint8_t* data, std::size_t size) { return std::uint32_t(crc32(0, data, uInt(size))); }

// Re-seals a modified file: payload checksum at offset 60, header checksum at its end.
void reseal(Bytes& b) {
    std::uint32_t header_size;
    std::memcpy(&header_size, &b[12], 4);
    const std::uint32_t payload = crc(b.data() + header_size, b.size() - header_size);
    std::memcpy(&b[60], &payload, 4);
    const std::uint32_t header = crc(b.data(), header_size - 4);
    std::memcpy(&b[header_size - 4], &header, 4);
}

}  // namespace

TEST_SUITE("index") {
    TEST_CASE("truncated at every length: index_format, never a crash") {
        const std::string path = test::scratch_dir() + "/truncate.idx";
        const Bytes good = saved_index(path);
        REQUIRE(Index::load(path).size() == 39);
        int trials = 0;
        for (std::size_t n = 0; n < good.size(); n += 1 + n / 200) {
            write(path, good, n);
            const ErrorCode code = code_of([&] { Index::load(path); });
            CAPTURE(n);
            CHECK((code == ErrorCode::index_format || (n == 0 && code == ErrorCode::invalid_argument) ||
                   code == ErrorCode::index_format));
            ++trials;
        }
        MESSAGE(trials << " truncations of a " << good.size() << "-byte index refused");
    }

    TEST_CASE("a flipped bit anywhere is caught by the checksums") {
        const std::string path = test::scratch_dir() + "/flip.idx";
        const Bytes good = saved_index(path);
        int trials = 0;
        for (std::size_t at = 0; at < good.size(); at += 1 + at / 300) {
            Bytes bad = good;
            bad[at] ^= std::uint8_t(1u << (at % 8));
            write(path, bad, bad.size());
            CAPTURE(at);
            CHECK(code_of([&] { Index::load(path); }) == ErrorCode::index_format);
            ++trials;
        }
        MESSAGE(trials << " single-bit flips refused");
    }

    TEST_CASE("changes with valid checksums are validated structurally: refused or harmless, never a crash") {
        const std::string path = test::scratch_dir() + "/forged.idx";
        const Bytes good = saved_index(path);
        std::uint32_t header_size;
        std::memcpy(&header_size, &good[12], 4);
        int refused = 0, loaded = 0;
        for (std::size_t at = header_size; at < good.size(); at += 3) {
            for (std::uint8_t value : {std::uint8_t(0xFF), std::uint8_t(0x00), std::uint8_t(good[at] + 1)}) {
                Bytes bad = good;
                if (bad[at] == value) continue;
                bad[at] = value;
                reseal(bad);
                write(path, bad, bad.size());
                ErrorCode code = ErrorCode::ok;
                try {
                    Index index = Index::load(path);
                    // Whatever loaded must be usable.
                    index.search({1, 0, 0, 0}, 5);
                    index.add("probe", {0, 1, 0, 0});
                } catch (const Error& e) {
                    code = e.code();
                }
                CAPTURE(at);
                CHECK((code == ErrorCode::ok || code == ErrorCode::index_format));
                (code == ErrorCode::ok ? loaded : refused) += 1;
            }
        }
        MESSAGE("forged payloads: " << refused << " refused, " << loaded << " harmless and loaded");
        CHECK(refused > 0);
    }

    // Found by fuzz_index_load (UBSan: a null neighbour list read in hnswlib's updatePoint): an
    // upper-level list linking to an element that does not reach that level passed validation,
    // and hnswlib then follows the link into a list the element does not have.
    TEST_CASE("a link on an upper level to an element below that level is refused") {
        const std::string path = test::scratch_dir() + "/level_link.idx";
        IndexOptions o;
        o.dimension = 4;
        o.M = 4;  // a quarter of the elements reach level 1
        Index index = Index::create(o);
        index.add_batch(test::numbered_keys(200), test::embedding_like(200, 4, 3).values, {}, 1);
        index.save(path);
        Bytes b = test::read_bytes(path);
        // Walk to the graph: header, then categories and the key table of the payload.
        std::uint32_t header_size;
        std::memcpy(&header_size, &b[12], 4);
        std::size_t at = header_size;
        auto u32 = [&](std::size_t offset) {
            std::uint32_t v;
            std::memcpy(&v, &b[offset], 4);
            return v;
        };
        const std::uint32_t categories = u32(at);
        at += 4;
        for (std::uint32_t c = 0; c < categories; ++c) at += 4 + u32(at);
        std::uint64_t slots;
        std::memcpy(&slots, &b[36 + 8], 8);  // the header's slot count
        for (std::uint64_t slot = 0; slot < slots; ++slot) {
            at += 4 + u32(at);      // key
            at += 4 + 4 * u32(at);  // category ids
        }
        at += 8;  // graph size
        // hnswlib's layout: 96 bytes of header (element count at 16, bytes per element at 24),
        // level 0 of every element, then per element its upper lists' size and the lists.
        std::uint64_t count, per_element;
        std::memcpy(&count, &b[at + 16], 8);
        std::memcpy(&per_element, &b[at + 24], 8);
        const std::size_t list_bytes = 4 + 4 * o.M;  // an upper list: count word and M neighbour ids
        std::size_t upper = at + 96 + count * per_element;
        std::vector<std::size_t> list_of(count), levels(count);
        for (std::size_t i = 0; i < count; ++i) {
            levels[i] = u32(upper) / list_bytes;
            list_of[i] = upper + 4;
            upper += 4 + u32(upper);
        }
        std::size_t high = count, low = count;
        for (std::size_t i = 0; i < count; ++i) {
            if (levels[i] >= 1 && (u32(list_of[i]) & 0xFFFF) > 0 && high == count) high = i;
            if (levels[i] == 0 && low == count) low = i;
        }
        REQUIRE(high < count);
        REQUIRE(low < count);
        const std::uint32_t target = std::uint32_t(low);
        std::memcpy(&b[list_of[high] + 4], &target, 4);  // its first level-1 neighbour: a level-0 element
        reseal(b);
        write(path, b, b.size());
        CHECK(code_of([&] { Index::load(path); }) == ErrorCode::index_format);
        CHECK(test::message_of([&] { Index::load(path); }).find("does not reach") != std::string::npos);
    }

    TEST_CASE("files that are not indexes") {
        const std::string path = test::scratch_dir() + "/not_an_index.idx";
        write(path, Bytes{'h', 'e', 'l', 'l', 'o'}, 5);
        CHECK(code_of([&] { Index::load(path); }) == ErrorCode::index_format);
        CHECK(test::message_of([&] { Index::load(path); }).find(path) == 0);
        CHECK(code_of([&] { Index::load(test::scratch_dir()); }) == ErrorCode::io);
    }

}  // TEST_SUITE
