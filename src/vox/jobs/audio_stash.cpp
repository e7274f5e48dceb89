#include "vox/jobs/audio_stash.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace vox::jobs {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kFile = "file:";
constexpr std::string_view kRedis = "redis:";

bool starts_with(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }
}  // namespace

AudioStash::AudioStash(std::string dir, std::shared_ptr<service::RedisClient> redis, std::string prefix,
                       std::uint64_t max_redis_bytes, double ttl_s)
    : dir_(std::move(dir)), redis_(std::move(redis)), prefix_(std::move(prefix)), max_redis_bytes_(max_redis_bytes),
      ttl_s_(std::max<long long>(1, std::llround(ttl_s))) {}

Result<std::string> AudioStash::put(const std::string& job_id, std::string_view bytes) {
  if (dir_.empty()) {
    if (!redis_) return Error(ErrorCode::kInternal, "no place configured for job audio");
    if (bytes.size() > max_redis_bytes_)
      return Error(ErrorCode::kTooLarge,
                   "the upload is larger than " + std::to_string(max_redis_bytes_ >> 20) +
                       " MiB, the most a job sends through Redis; start the server with --job-dir on a directory "
                       "every worker shares to queue larger files",
                   "file");
    std::string key = prefix_ + "job:" + job_id + ":audio";
    auto r = redis_->command({"SET", key, std::string(bytes), "EX", std::to_string(ttl_s_)});
    if (!r) return r.error();
    return std::string(kRedis) + key;
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot create the job directory " + dir_ + ": " + ec.message());
  fs::path final_path = fs::absolute(fs::path(dir_) / (job_id + ".audio"), ec);
  fs::path tmp = final_path;
  tmp += ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out) return Error(ErrorCode::kIo, "cannot write the job's audio to " + tmp.string());
  }
  // Renamed into place so a worker never reads a half-written file.
  fs::rename(tmp, final_path, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot move the job's audio into " + final_path.string() + ": " + ec.message());
  return std::string(kFile) + final_path.string();
}

Result<AudioBlob> AudioStash::fetch(const std::string& ref) {
  AudioBlob blob;
  if (starts_with(ref, kFile)) {
    blob.path = ref.substr(kFile.size());
    std::error_code ec;
    if (!fs::is_regular_file(blob.path, ec))
      return Error(ErrorCode::kIo, "cannot read the job's audio at " + blob.path +
                                       " (is --job-dir a directory this worker shares with the server?)");
    return blob;
  }
  if (starts_with(ref, kRedis)) {
    if (!redis_) return Error(ErrorCode::kUnavailable, "the job's audio is in Redis but this process has no Redis");
    auto r = redis_->command({"GET", ref.substr(kRedis.size())});
    if (!r) return r.error();
    if (r->type != service::RedisValue::kString) return Error(ErrorCode::kNotFound, "the job's audio has expired");
    blob.bytes = std::move(r->str);
    return blob;
  }
  return Error(ErrorCode::kInternal, "unknown job audio reference '" + ref + "'");
}

void AudioStash::remove(const std::string& ref) {
  if (starts_with(ref, kFile)) {
    std::error_code ec;
    fs::remove(ref.substr(kFile.size()), ec);
  } else if (starts_with(ref, kRedis) && redis_) {
    (void)redis_->command({"DEL", ref.substr(kRedis.size())});
  }
}

}  // namespace vox::jobs
