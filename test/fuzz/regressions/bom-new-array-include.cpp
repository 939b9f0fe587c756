// Broken code: findings outside the damaged region are still reported;
// a construct that contains a parse error is not trusted.
void before(int n) {
  int *ok = new int[n]; // expect: new-array
  ok[0] = 1;
  delete[] ok;
}

void broken(int n) {
  int *a = new int[n +; // the damaged expression itself is not reported
  for (int i = 0; i < n; i++ {
}

vo \
 id after(int n) {
  char *b = new char[n]; // expect: new-array
  delete[] b;
}
