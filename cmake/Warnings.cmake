# One place for the warning set every target of ours compiles with.
function(racetiming_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                         $<$<BOOL:${RACETIMING_WERROR}>:-Werror>)
endfunction()
