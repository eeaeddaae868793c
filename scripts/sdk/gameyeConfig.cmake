# The gameye C/C++ SDK, relocatable: find_package(gameye) from wherever the archive was unpacked
# (pass -DCMAKE_PREFIX_PATH=<that folder>).
#   gameye::gameye          the shared library (libgameye.so.0)
#   gameye::gameye_static   the static library, with the system libraries it needs
get_filename_component(_gameye_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET gameye::gameye)
  add_library(gameye::gameye SHARED IMPORTED)
  set_target_properties(gameye::gameye PROPERTIES
    IMPORTED_LOCATION "${_gameye_prefix}/lib/libgameye.so.@MAJOR@"
    IMPORTED_SONAME "libgameye.so.@MAJOR@"
    INTERFACE_INCLUDE_DIRECTORIES "${_gameye_prefix}/include")
endif()
if(NOT TARGET gameye::gameye_static)
  add_library(gameye::gameye_static STATIC IMPORTED)
  set_target_properties(gameye::gameye_static PROPERTIES
    IMPORTED_LOCATION "${_gameye_prefix}/lib/libgameye.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_gameye_prefix}/include"
    INTERFACE_LINK_LIBRARIES "pthread;dl;m;rt")
endif()
unset(_gameye_prefix)
