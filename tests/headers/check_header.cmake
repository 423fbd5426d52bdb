# Compiles include/${HEADER} alone (-fsyntax-only, only include/ on the path), then lists the
# files it pulls in and fails if any belongs to a dependency.
# A one-line translation unit that includes just this header.
set(unit ${CMAKE_CURRENT_BINARY_DIR}/header_alone_${NAME}.cpp)
file(WRITE ${unit} "#include <${HEADER}>\n")
execute_process(
  COMMAND ${COMPILER} -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I${INCLUDE_DIR} ${unit}
  RESULT_VARIABLE compile_result ERROR_VARIABLE compile_errors)
if(NOT compile_result EQUAL 0)
  message(FATAL_ERROR "${HEADER} does not compile on its own:\n${compile_errors}")
endif()
execute_process(
  COMMAND ${COMPILER} -std=c++17 -M -I${INCLUDE_DIR} ${unit}
  OUTPUT_VARIABLE deps RESULT_VARIABLE deps_result)
if(NOT deps_result EQUAL 0)
  message(FATAL_ERROR "cannot list the includes of ${HEADER}")
endif()
foreach(forbidden torch/ ATen/ c10/ caffe2/ stb hnswlib nlohmann/ fmt/ jpeglib jerror turbojpeg webp/ utf8proc doctest)
  string(FIND "${deps}" "/${forbidden}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${HEADER} includes a dependency header (${forbidden}):\n${deps}")
  endif()
endforeach()
message(STATUS "${HEADER}: compiles alone, standard library only")
