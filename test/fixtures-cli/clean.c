/* CLI test fixture: C with nothing to report. */
int add(int a, int b)
{
    return a + b;
}
