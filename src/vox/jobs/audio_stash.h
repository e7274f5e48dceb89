// Where an upload waits until a worker picks its job up. The server that accepts the job chooses:
//  * a directory (--job-dir; in-process mode defaults to VOX_DATA_DIR/jobs): any size and no copy
//    through Redis, but with several machines every worker must see the same path (NFS, a shared
//    volume), or its jobs fail with "cannot read the job's audio";
//  * Redis itself (--queue redis://... without --job-dir): nothing to share but Redis, but each
//    upload sits in Redis memory until its job ends, so uploads are capped (--job-max-redis-audio,
//    64 MiB by default; larger ones are refused with 413 and a hint to use --job-dir).
// The reference stored with the job says which ("file:/path" or "redis:key"), so a worker reads
// whatever the server wrote.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vox/core/error.h"
#include "vox/service/redis_client.h"

namespace vox::jobs {

struct AudioBlob {
  std::string path;   // read the audio from this file, or
  std::string bytes;  // from these bytes (when path is empty)
};

class AudioStash {
 public:
  // `dir` set: uploads go there; else to `redis` (which must then be set).
  AudioStash(std::string dir, std::shared_ptr<service::RedisClient> redis, std::string prefix,
             std::uint64_t max_redis_bytes, double ttl_s);
  Result<std::string> put(const std::string& job_id, std::string_view bytes);
  Result<AudioBlob> fetch(const std::string& ref);
  void remove(const std::string& ref);  // best effort: a leftover expires (Redis) or is overwritten

 private:
  std::string dir_;
  std::shared_ptr<service::RedisClient> redis_;
  std::string prefix_;
  std::uint64_t max_redis_bytes_;
  long long ttl_s_;
};

}  // namespace vox::jobs
