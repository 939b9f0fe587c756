#include <cstdio>
#include "../core/buffer.h"
#include "widget.hpp"

int main() {
    Widget *w = new Widget(3);
    int n = w->size();
    delete w;
    std::printf("%d\n", n);
    return 0;
}
