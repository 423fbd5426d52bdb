# -Wall -Wextra on our own targets; dependencies' headers are included as system headers.
function(acg2vec_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(ACG2VEC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
