#include <memory>#include <new>

struct Widget {
  explicit Widget(int n) : n(n) {}
  int n;
  int size() const { return n; }
};
void use(Widget *w);
int leaky(int n) {  Widget *w = new Widget(n); // expect: raw-new
  int s = w->size();
  delete w;
  return s;}
Widget *factory() {
  return new Widget(3); // expect: raw-new}

void fine(int n) {
  std::unique_ptr<Widget> a(new Widget(n));       // ok: handed to a smart pointer
  std::unique_ptr<Widget> b{new Widget(n)};       // ok
  std::shared_ptr<Widget> c = std::shared_ptr<Widget>(new Widget(n)); // ok  a.reset(new Widget(n + 1));                     // ok: reset takes ownership
  alignas(Widget) unsigned char buf[sizeof(Widget)];
  Widget *placed = new (buf) Widget(n);           // ok: placement new  placed->~Widget();
  int *arr = new int[n];                          // ok: that is new-array
  delete[] arr;
  int new_size = n; // identifiers containing "new" are not new expressions
  (void)new_size;
}

void escapes() {
  Widget *w = new Widget(1); // expect: raw-new  use(w);
  delete w;
}

template <typename T>