// Progress and cancellation for long work (fastText's callback cadence, Manifold's ExecutionContext).
// Both callbacks are optional. on_progress(fraction in [0, 1], stage name); cancelled() is polled at a
// cheap cadence and, when it returns true, the work throws Error(ErrorCode::cancelled, ...).
#pragma once
#include <functional>
#include <string>

#include "common/error.h"

namespace tf {

struct FitControl {
  std::function<void(double fraction, const std::string& stage)> on_progress;
  std::function<bool()> cancelled;

  void progress(double fraction, const std::string& stage) const {
    if (on_progress) on_progress(fraction, stage);
  }
  void check_cancelled() const {
    if (cancelled && cancelled()) throw Error(ErrorCode::cancelled, "The work was cancelled.");
  }
};

}  // namespace tf
