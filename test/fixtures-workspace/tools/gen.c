#include <stdio.h>

int main(int argc, char **argv) {
    int i;
    for (i = 0; i < argc; i++) {
        if (argv[i][0] == '-') goto usage;
    }
    return 0;
usage:
    fputs("usage: gen\n", stderr);
    return 1;
}
