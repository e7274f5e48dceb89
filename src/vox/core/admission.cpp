#include "vox/core/admission.h"

#include <chrono>

namespace vox {

void Admission::Ticket::release() {
  if (owner_) owner_->leave();
  owner_ = nullptr;
}

Result<Admission::Ticket> Admission::enter(const CancelToken& cancel) {
  std::unique_lock<std::mutex> lock(mu_);
  if (running_ >= max_running_) {
    if (waiting_ >= max_waiting_) {
      Error e(ErrorCode::kBusy, "server is at capacity (" + std::to_string(running_) + " running, " +
                                    std::to_string(waiting_) + " waiting); retry later");
      e.retry_after_s = 2;
      return e;
    }
    ++waiting_;
    while (running_ >= max_running_) {
      cv_.wait_for(lock, std::chrono::milliseconds(100));
      if (cancel.cancelled()) {
        --waiting_;
        return Error(ErrorCode::kCancelled, "request cancelled while waiting for a free engine");
      }
    }
    --waiting_;
  }
  ++running_;
  return Ticket(this);
}

void Admission::leave() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
  }
  cv_.notify_one();
}

int Admission::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

int Admission::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_;
}

}  // namespace vox
