// The extension-host suite's C++ file. `expect:` comments list the rule ids that
// must be reported on their line (the suite checks every other line is clean).
#include <cstdio>
#include <memory>

struct Widget {
  explicit Widget(int n) : n(n) {}
  int n;
};

int area(int n) {
  Widget *w = new Widget(n); // expect: raw-new
  int s = w->n;
  delete w; // expect: raw-delete
  return s;
}

int narrow(double d) {
  return (int)d; // expect: c-style-cast
}

void check(int n) {
  if (n < 0) throw n; // expect: exceptions
}
