# Every dependency is a Debian 12 package (scripts/install-deps.sh installs them).
find_package(Torch REQUIRED)           # libtorch-dev
find_package(JPEG REQUIRED)            # libjpeg62-turbo-dev: the libjpeg API of libjpeg-turbo
find_package(nlohmann_json 3 REQUIRED) # nlohmann-json3-dev
find_package(ZLIB REQUIRED)            # zlib1g-dev: model archive entries, PNG CRCs
find_package(PkgConfig REQUIRED)
pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp libwebpdemux)   # libwebp-dev
pkg_check_modules(DEFLATE REQUIRED IMPORTED_TARGET libdeflate)         # libdeflate-dev: PNG image data
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)      # libutf8proc-dev: tokenizers
find_path(STB_INCLUDE_DIR stb_image.h PATH_SUFFIXES stb REQUIRED)      # libstb-dev
find_package(Threads REQUIRED)
if(ACG2VEC_BUILD_CLI OR ACG2VEC_BUILD_TESTS)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)      # libcpp-httplib-dev: acg2vec serve
endif()
if(ACG2VEC_BUILD_CLI OR ACG2VEC_BUILD_TESTS OR ACG2VEC_FUZZ)
  find_package(simdjson REQUIRED)      # libsimdjson-dev: acg2vec serve's request bodies (and its fuzz target)
endif()
find_path(HNSWLIB_INCLUDE_DIR hnswlib/hnswlib.h REQUIRED)              # libhnswlib-dev (0.6.2)
include(${CMAKE_CURRENT_LIST_DIR}/CheckHnswlib.cmake)

# Only the objects under src/runtime include torch; everything else must compile without it.
add_library(acg2vec_torch INTERFACE)
target_link_libraries(acg2vec_torch INTERFACE ${TORCH_LIBRARIES})
