# The gameye C/C++ SDK (@PLATFORM@), relocatable: find_package(gameye) from wherever the archive
# was unpacked (pass -DCMAKE_PREFIX_PATH=<that folder>).
#   gameye::gameye          the shared library
#   gameye::gameye_static   the static library, with the system libraries it needs (on Windows
#                           for MinGW only: MSVC links the DLL through lib/gameye.lib)
get_filename_component(_gameye_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(_gameye_os "@OS@")

if(NOT TARGET gameye::gameye)
  add_library(gameye::gameye SHARED IMPORTED)
  set_target_properties(gameye::gameye PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_gameye_prefix}/include")
  if(_gameye_os STREQUAL "windows")
    if(MSVC)
      set(_gameye_implib "${_gameye_prefix}/lib/gameye.lib")
    else()
      set(_gameye_implib "${_gameye_prefix}/lib/libgameye.dll.a")
    endif()
    set_target_properties(gameye::gameye PROPERTIES
      IMPORTED_LOCATION "${_gameye_prefix}/bin/gameye.dll"
      IMPORTED_IMPLIB "${_gameye_implib}")
    unset(_gameye_implib)
  elseif(_gameye_os STREQUAL "macos")
    set_target_properties(gameye::gameye PROPERTIES
      IMPORTED_LOCATION "${_gameye_prefix}/lib/libgameye.dylib"
      IMPORTED_SONAME "@rpath/libgameye.dylib")
  else()
    set_target_properties(gameye::gameye PROPERTIES
      IMPORTED_LOCATION "${_gameye_prefix}/lib/libgameye.so.@MAJOR@"
      IMPORTED_SONAME "libgameye.so.@MAJOR@")
  endif()
endif()
if(NOT TARGET gameye::gameye_static AND NOT (_gameye_os STREQUAL "windows" AND MSVC))
  add_library(gameye::gameye_static STATIC IMPORTED)
  set_target_properties(gameye::gameye_static PROPERTIES
    IMPORTED_LOCATION "${_gameye_prefix}/lib/libgameye.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_gameye_prefix}/include"
    INTERFACE_LINK_LIBRARIES "@STATIC_LIBS@")
endif()
unset(_gameye_os)
unset(_gameye_prefix)
