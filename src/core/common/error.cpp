#include "common/error.h"

namespace tf {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_parameter: return "invalid_parameter";
    case ErrorCode::bad_input: return "bad_input";
    case ErrorCode::empty_vocabulary: return "empty_vocabulary";
    case ErrorCode::not_fitted: return "not_fitted";
    case ErrorCode::model_format: return "model_format";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

void throw_invalid_parameter(const std::string& name, const std::string& allowed, const std::string& got) {
  throw Error(ErrorCode::invalid_parameter,
              "The '" + name + "' parameter must be " + allowed + ". Got " + got + " instead.", name);
}

}  // namespace tf
