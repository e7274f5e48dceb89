// The in-process adapters (the default): the queue and the store live in this server's memory, so
// jobs do not survive a restart; run with --queue redis://... for that and for several machines.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "vox/jobs/job_queue.h"

namespace vox::jobs {

// A claim not renewed within `lease` goes to the next pop(), as with Redis; in one process that
// only happens when a worker thread is stuck, but it keeps both adapters to one contract.
std::unique_ptr<JobQueue> make_memory_queue(std::chrono::milliseconds lease);
// Finished jobs are forgotten `ttl_s` seconds after they end; `clock` gives unix seconds (tests).
std::unique_ptr<JobStore> make_memory_store(double ttl_s, std::function<double()> clock = unix_now);

}  // namespace vox::jobs
