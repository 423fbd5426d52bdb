# ACG2VEC_SANITIZE=address,undefined or thread: applied to everything built here.
if(ACG2VEC_SANITIZE)
  add_compile_options(-fsanitize=${ACG2VEC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ACG2VEC_SANITIZE})
endif()
