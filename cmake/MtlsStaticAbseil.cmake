# Static builds (MTLS_STATIC): Debian's abseil CMake package points its imported targets at the
# shared objects, though libabsl-dev ships the archives beside them. Point them at the archives.
get_property(_mtls_imported DIRECTORY PROPERTY IMPORTED_TARGETS)
foreach(_target IN LISTS _mtls_imported)
  if(NOT _target MATCHES "^absl::")
    continue()
  endif()
  foreach(_property IMPORTED_LOCATION IMPORTED_LOCATION_NONE IMPORTED_LOCATION_RELEASE
                    IMPORTED_LOCATION_RELWITHDEBINFO)
    get_target_property(_location ${_target} ${_property})
    if(_location MATCHES "\\.so[.0-9]*$")
      string(REGEX REPLACE "\\.so[.0-9]*$" ".a" _archive "${_location}")
      if(NOT EXISTS "${_archive}")
        message(FATAL_ERROR "static build: ${_target} has no archive beside ${_location}")
      endif()
      set_target_properties(${_target} PROPERTIES ${_property} "${_archive}")
    endif()
  endforeach()
endforeach()
