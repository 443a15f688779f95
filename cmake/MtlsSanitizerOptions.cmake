# Sanitizer trees: CTest runs every test with fuzz/sanitizer_options.txt's settings (each unless
# the caller set it), so that a plain `ctest` stops at the same reports as scripts/test and
# scripts/fuzz do, and replays the committed regression inputs against the same suppressions.
file(STRINGS "${PROJECT_SOURCE_DIR}/fuzz/sanitizer_options.txt" mtls_sanitizer_lines
     REGEX "^[A-Z]+_OPTIONS=")
set(mtls_sanitizer_script "")
foreach(line IN LISTS mtls_sanitizer_lines)
  string(REGEX MATCH "^([A-Z]+_OPTIONS)=(.*)$" _ "${line}")
  string(REPLACE "suppressions=" "suppressions=${PROJECT_SOURCE_DIR}/fuzz/" value
                 "${CMAKE_MATCH_2}")
  string(APPEND mtls_sanitizer_script
         "if(NOT DEFINED ENV{${CMAKE_MATCH_1}})\n  set(ENV{${CMAKE_MATCH_1}} \"${value}\")\nendif()\n")
endforeach()
file(WRITE "${CMAKE_BINARY_DIR}/sanitizer_options.cmake" "${mtls_sanitizer_script}")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND
             PROPERTY TEST_INCLUDE_FILES "${CMAKE_BINARY_DIR}/sanitizer_options.cmake")
