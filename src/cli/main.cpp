// titleforest: the native command-line tool. Errors are one sentence on standard error prefixed with
// "titleforest: "; exit status 2 for usage and input errors, 1 for internal ones.
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "common/error.h"

namespace {

// nlohmann's exception texts start with "[json.exception.out_of_range.403] ": keep only the sentence.
std::string clean(std::string message) {
  for (std::size_t at; (at = message.find("[json.exception.")) != std::string::npos;) {
    const auto end = message.find("] ", at);
    if (end == std::string::npos) break;
    message.erase(at, end + 2 - at);
  }
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return tf::cli::run(args);
  } catch (const tf::cli::UsageError& e) {
    std::cout.flush();
    std::cerr << "titleforest: " << e.what() << "\n";
    return 2;
  } catch (const tf::Error& e) {
    std::cout.flush();
    std::cerr << "titleforest: " << clean(e.what()) << "\n";
    switch (e.code) {
      case tf::ErrorCode::internal:
      case tf::ErrorCode::not_fitted: return 1;
      case tf::ErrorCode::cancelled: return 130;
      default: return 2;
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "titleforest: out of memory.\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "titleforest: internal error: " << clean(e.what()) << "\n";
    return 1;
  }
}
