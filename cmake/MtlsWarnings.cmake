# Warning flags for the project's own targets (never for the libraries it measures).
function(mtls_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow
                                           $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)
  if(MTLS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
