# acg2vec_web_assets(OUT_VAR): a rule, in the calling directory, that compiles the web page of
# `acg2vec serve` (src/server/web) into a C++ source (cmake/EmbedFiles.cmake); OUT_VAR gets that
# source's path. Used by the server library and by the fuzz target that routes requests.
set(ACG2VEC_WEB_DIR ${CMAKE_CURRENT_LIST_DIR}/../src/server/web)
set(ACG2VEC_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFiles.cmake)

function(acg2vec_web_assets out_var)
  set(files index.html app.css app.js favicon.svg)
  list(TRANSFORM files PREPEND ${ACG2VEC_WEB_DIR}/ OUTPUT_VARIABLE paths)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/server/web_assets.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DBASE_DIR=${ACG2VEC_WEB_DIR} "-DFILES=${files}"
            -P ${ACG2VEC_EMBED_SCRIPT}
    DEPENDS ${paths} ${ACG2VEC_EMBED_SCRIPT}
    COMMENT "Embedding the web page"
    VERBATIM)
  set(${out_var} ${output} PARENT_SCOPE)
endfunction()
