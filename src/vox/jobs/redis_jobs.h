// The Redis adapters: every vox serve and vox worker pointed at one Redis shares the jobs.
//
// Keys (P = the prefix, "vox:" by default):
//   P jobs:stream          stream of {job: id}; consumer group "workers". XREADGROUP delivers a
//                          new entry to one worker, XAUTOCLAIM re-delivers one whose worker has not
//                          renewed it (XCLAIM) within the lease, XACK + XDEL drop it when done.
//   P job:ID               hash: status, progress, stage, times, owner, request fields.
//   P job:ID:outcome       the terminal outcome (result or error), written once with SET NX.
//   P job:ID:audio         the upload, when it travels through Redis (see audio_stash.h).
//   P jobs:worker:NAME     worker heartbeat (expires after two leases).
// Every job key expires `ttl` after the job ends (and `ttl` after creation while it waits).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "vox/jobs/job_queue.h"
#include "vox/service/redis_client.h"

namespace vox::jobs {

// Connects twice: one connection for blocking reads (XREADGROUP BLOCK), one for the rest, so a
// worker waiting for work never delays its own lease renewals.
Result<std::unique_ptr<JobQueue>> make_redis_queue(const std::string& url, const std::string& prefix,
                                                   std::chrono::milliseconds lease);
std::unique_ptr<JobStore> make_redis_store(std::shared_ptr<service::RedisClient> client, std::string prefix,
                                           double ttl_s);

}  // namespace vox::jobs
