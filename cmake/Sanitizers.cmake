# RACETIMING_SANITIZE=ON builds everything with AddressSanitizer and UndefinedBehaviorSanitizer;
# CI runs the whole test suite in such a build directory too.
option(RACETIMING_SANITIZE "Build with ASan and UBSan" OFF)
if(RACETIMING_SANITIZE)
  # vptr checks need the typeinfo of every polymorphic class we cast, and SOCI does not export its backends
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
  # GCC 12's flow analysis under ASan reports uninitialised boost::optional storage inside Beast's
  # parser (a known false positive); the normal build keeps the warning.
  add_compile_options(-Wno-maybe-uninitialized)
endif()
