# ACG2VEC_SANITIZE=address,undefined or thread: applied to everything built here.
# ACG2VEC_FUZZ=ON (clang only) implies address,undefined and adds libFuzzer's coverage
# instrumentation to every object; the fuzz targets themselves link -fsanitize=fuzzer.
if(ACG2VEC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ACG2VEC_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ (Debian: clang, libclang-rt-14-dev)")
  endif()
  if(NOT ACG2VEC_SANITIZE)
    set(ACG2VEC_SANITIZE "address,undefined" CACHE STRING "Sanitizers to build with" FORCE)
  elseif(ACG2VEC_SANITIZE MATCHES "thread")
    message(FATAL_ERROR "ACG2VEC_FUZZ runs under AddressSanitizer; ACG2VEC_SANITIZE=thread cannot be combined with it")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(ACG2VEC_SANITIZE)
  add_compile_options(-fsanitize=${ACG2VEC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ACG2VEC_SANITIZE})
endif()
