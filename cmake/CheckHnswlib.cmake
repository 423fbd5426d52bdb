# src/index/hnsw_graph.cpp reaches into hnswlib's HierarchicalNSW (its own parallel insert,
# validated loading), which the library does not promise to keep. Those members are checked
# here, so another hnswlib fails at configure time with a clear message, not in a compile
# error deep in the build or, worse, in a silent change of behaviour.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_INCLUDES ${HNSWLIB_INCLUDE_DIR})
set(CMAKE_REQUIRED_FLAGS "-std=c++17")
check_cxx_source_compiles([[
#include <hnswlib/hnswlib.h>
using G = hnswlib::HierarchicalNSW<float>;
int main() {
    auto members = {sizeof(&G::linkLists_), sizeof(&G::element_levels_), sizeof(&G::enterpoint_node_),
                    sizeof(&G::maxlevel_), sizeof(&G::cur_element_count), sizeof(&G::cur_element_count_guard_),
                    sizeof(&G::label_lookup_), sizeof(&G::label_offset_), sizeof(&G::link_list_locks_),
                    sizeof(&G::link_list_update_locks_), sizeof(&G::max_elements_), sizeof(&G::maxM_),
                    sizeof(&G::M_), sizeof(&G::mult_), sizeof(&G::num_deleted_), sizeof(&G::offsetData_),
                    sizeof(&G::size_data_per_element_), sizeof(&G::size_links_per_element_), sizeof(&G::data_size_),
                    sizeof(&G::dist_func_param_), sizeof(&G::ef_construction_), sizeof(&G::fstdistfunc_)};
    return int(members.size()) - 22;
}
]] ACG2VEC_HNSWLIB_0_6_2_MEMBERS)
unset(CMAKE_REQUIRED_INCLUDES)
unset(CMAKE_REQUIRED_FLAGS)
if(NOT ACG2VEC_HNSWLIB_0_6_2_MEMBERS)
  message(FATAL_ERROR "hnswlib in ${HNSWLIB_INCLUDE_DIR} lacks members of HierarchicalNSW that acg2vec's index uses "
                      "(written against hnswlib 0.6.2, Debian 12's libhnswlib-dev). Install that version, or port "
                      "src/index/hnsw_graph.cpp.")
endif()
