# Compiler flags shared by every Vigil target: the warning set of STYLE.md, sanitizers for the
# dev preset, hardening for release.
add_library(vigil_flags INTERFACE)

target_compile_options(vigil_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Woverloaded-virtual -Wimplicit-fallthrough -Wno-missing-field-initializers)

if(VIGIL_WERROR)
  target_compile_options(vigil_flags INTERFACE -Werror)
endif()

if(VIGIL_SANITIZE)
  target_compile_options(vigil_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(vigil_flags INTERFACE -fsanitize=address,undefined)
endif()

if(VIGIL_HARDEN)
  # GCC 12 reports known false positives at -O2; they stay warnings in release (issue 2).
  target_compile_options(vigil_flags INTERFACE
    -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -D_GLIBCXX_ASSERTIONS -fstack-protector-strong
    -fstack-clash-protection -fcf-protection -fPIE
    -Wno-error=restrict -Wno-error=stringop-overflow -Wno-error=array-bounds)
  target_link_options(vigil_flags INTERFACE -pie -Wl,-z,relro,-z,now)
endif()

if(VIGIL_FUZZ)
  target_compile_options(vigil_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(vigil_flags INTERFACE -fsanitize=address,undefined)
endif()
