#include <string>
#include <vector>

int total(const std::vector<int> &values) {
    int sum = 0;
    for (int v : values) sum += v;
    return sum;
}

std::string greet(const std::string &name) {
    return "hello " + name;
}
