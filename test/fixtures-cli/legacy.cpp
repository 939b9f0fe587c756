// CLI test fixture: C++ with findings that have safe fixes (null-macro,
// c-style-cast, raw-new) and one that has none (raw-delete stays reported
// until raw-new's fix removes the delete).
#include <cstdio>

struct Widget {
    int size;
};

int widget_area(const Widget *w) {
    if (w == NULL)
        return 0;
    return (int)(w->size * 2.5);
}

void print_widget() {
    Widget *w = new Widget();
    w->size = 4;
    std::printf("%d\n", widget_area(w));
    delete w;
}
