# RACETIMING_SANITIZE=ON builds everything with AddressSanitizer and UndefinedBehaviorSanitizer;
# CI runs the whole test suite in such a build directory too.
option(RACETIMING_SANITIZE "Build with ASan and UBSan" OFF)
if(RACETIMING_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
