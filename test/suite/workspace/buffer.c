/* The extension-host suite's C file. `expect:` comments list the rule ids that
   must be reported on their line (the suite checks every other line is clean). */
#include <stdlib.h>
#include <string.h>

char *copy_name(const char *name) {
  char *out = malloc(strlen(name) + 1); /* expect: malloc-free */
  if (!out)
    goto fail; /* expect: goto */
  strcpy(out, name); /* expect: unsafe-string-call */
  return out;
fail:
  return 0;
}
