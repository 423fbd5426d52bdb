# cmake --install: headers, the shared library (with SONAME), the CMake package
# (find_package(acg2vec) -> acg2vec::acg2vec) and a pkg-config file.
include(CMakePackageConfigHelpers)

set(ACG2VEC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/acg2vec)

if(TARGET acg2vec_cli)
  install(TARGETS acg2vec_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  # the Python that `acg2vec import` runs (tools/import, tools/export's helpers it uses and
  # tools/nsfwjs's Keras graph builder)
  install(DIRECTORY tools/import tools/export DESTINATION ${CMAKE_INSTALL_DATADIR}/acg2vec/tools
          PATTERN tests EXCLUDE PATTERN __pycache__ EXCLUDE)
  install(FILES tools/nsfwjs/convert.py DESTINATION ${CMAKE_INSTALL_DATADIR}/acg2vec/tools/nsfwjs)
endif()
install(TARGETS acg2vec EXPORT acg2vecTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/acg2vec DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES capi/acg2vec.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(ACG2VEC_LIBRARY_TYPE STREQUAL "STATIC")
  # A static library's users link its dependencies too: they travel in the export, and
  # acg2vecConfig.cmake finds them again.
  install(TARGETS acg2vec_private_deps acg2vec_torch EXPORT acg2vecTargets)
endif()
install(EXPORT acg2vecTargets NAMESPACE acg2vec:: DESTINATION ${ACG2VEC_CMAKE_DIR})

configure_package_config_file(cmake/acg2vecConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/acg2vecConfig.cmake INSTALL_DESTINATION ${ACG2VEC_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/acg2vecConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/acg2vecConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/acg2vecConfigVersion.cmake
  DESTINATION ${ACG2VEC_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own place, so --prefix at install time works.
file(RELATIVE_PATH ACG2VEC_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" ACG2VEC_PC_TO_PREFIX "${ACG2VEC_PC_TO_PREFIX}")
configure_file(cmake/acg2vec.pc.in ${CMAKE_CURRENT_BINARY_DIR}/acg2vec.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/acg2vec.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
