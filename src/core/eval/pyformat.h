// Python's repr() of a float, an int and a str, for messages and printed reports worded as the notebook's
// Python prints them (sklearn's error sentences, analyze()'s lists of tuples).
#pragma once
#include <string>

namespace tf::eval {

std::string py_repr(double x);              // repr(float): shortest round-trip digits, "0.4", "1e-05", "2.0"
std::string py_repr(long long x);           // repr(int)
std::string py_repr(const std::string& s);  // repr(str) of UTF-8 text: quotes and escapes as CPython chooses

}  // namespace tf::eval
