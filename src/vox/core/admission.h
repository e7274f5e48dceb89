// Bounded concurrency for engine work: at most `max_running` requests run engines at once, at
// most `max_waiting` more wait for a slot; beyond that callers get ErrorCode::kBusy (HTTP 503 +
// Retry-After) instead of piling up behind a lock.
#pragma once

#include <condition_variable>
#include <mutex>

#include "vox/core/error.h"
#include "vox/core/progress.h"

namespace vox {

class Admission {
 public:
  Admission(int max_running, int max_waiting) : max_running_(max_running), max_waiting_(max_waiting) {}

  // RAII slot; releases on destruction.
  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(Admission* owner) : owner_(owner) {}
    Ticket(Ticket&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
    Ticket& operator=(Ticket&& o) noexcept {
      release();
      owner_ = o.owner_;
      o.owner_ = nullptr;
      return *this;
    }
    ~Ticket() { release(); }

   private:
    void release();
    Admission* owner_ = nullptr;
  };

  // Waits for a slot (polling `cancel` every 100 ms) or fails fast with kBusy when the queue is full.
  Result<Ticket> enter(const CancelToken& cancel);
  int running() const;
  int waiting() const;

 private:
  void leave();
  const int max_running_;
  const int max_waiting_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;
  int waiting_ = 0;
};

}  // namespace vox
