// `titleforest` subcommands (DESIGN.md section 3). run() returns the exit status; it throws UsageError
// (exit 2), tf::Error (exit 2 for input and parameter errors, 1 for internal ones) or std::exception (1).
#pragma once
#include <string>
#include <vector>

namespace tf::cli {

int run(const std::vector<std::string>& args);  // args without the program name

}  // namespace tf::cli
