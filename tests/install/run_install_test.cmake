# Installs the build into a scratch prefix and builds consumer/ against it twice: with
# find_package(acg2vec) and with pkg-config, each a C++ and a C program. All must run and
# succeed; the C program is compiled with -std=c99 -pedantic -Werror and pkg-config's flags, so
# a C++-only flag there fails it. With STATIC=ON (a build configured with BUILD_SHARED_LIBS=OFF)
# the library is libacg2vec.a and only the CMake package is tried: its users link libtorch and
# the image libraries too, which the package finds for them (pkg-config has no libtorch).
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

if(STATIC)
  file(GLOB libs ${prefix}/lib*/libacg2vec.a)
  if(NOT libs)
    message(FATAL_ERROR "expected libacg2vec.a in ${prefix}/lib*")
  endif()
  file(GLOB shared ${prefix}/lib*/libacg2vec.so*)
  if(shared)
    message(FATAL_ERROR "a static build installed a shared library: ${shared}")
  endif()
else()
  file(GLOB libs ${prefix}/lib*/libacg2vec.so*)
  list(LENGTH libs n)
  if(n LESS 3)
    message(FATAL_ERROR "expected libacg2vec.so, its SONAME link and the versioned file; found: ${libs}")
  endif()
endif()
list(GET libs 0 first_lib)
get_filename_component(libdir ${first_lib} DIRECTORY)

set(flags "")
if(SANITIZE)
  set(flags "-fsanitize=${SANITIZE}")
endif()

# 1. CMake package
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/consumer -B ${WORK_DIR}/cmake-build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_C_COMPILER=${CC} "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_C_FLAGS=${flags}"
    "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
run(${WORK_DIR}/cmake-build/consumer)
run(${WORK_DIR}/cmake-build/consumer_c)
if(STATIC)
  return()
endif()

# 2. pkg-config
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${libdir}/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs acg2vec OUTPUT_VARIABLE pc_flags RESULT_VARIABLE pc_result
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT pc_result EQUAL 0)
  message(FATAL_ERROR "pkg-config does not find acg2vec in ${libdir}/pkgconfig")
endif()
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
separate_arguments(san_flags UNIX_COMMAND "${flags}")
run(${CXX} -std=c++17 ${san_flags} ${SOURCE_DIR}/consumer/main.cpp -o ${WORK_DIR}/consumer-pc ${pc_flags}
    -Wl,-rpath,${libdir})
run(${WORK_DIR}/consumer-pc)
run(${CC} -std=c99 -pedantic -Wall -Werror ${san_flags} ${SOURCE_DIR}/consumer/main.c -o ${WORK_DIR}/consumer-c-pc
    ${pc_flags} -Wl,-rpath,${libdir})
run(${WORK_DIR}/consumer-c-pc)
