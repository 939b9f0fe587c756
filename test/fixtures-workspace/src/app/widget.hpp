#pragma once

class Widget {
public:
    explicit Widget(int n) : n_(n) {}
    int size() const { return n_; }

private:
    int n_;
};
