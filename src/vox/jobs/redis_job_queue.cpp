// Redis JobQueue over a stream and one consumer group: at-least-once delivery, with entries of dead
// workers (not renewed within the lease) re-delivered by XAUTOCLAIM. Key layout in redis_jobs.h.
#include <algorithm>
#include <cmath>
#include <mutex>

#include "vox/jobs/redis_jobs.h"

namespace vox::jobs {

namespace {

using service::RedisClient;
using service::RedisValue;

constexpr const char* kGroup = "workers";
// The client's socket timeout is 2 s, so a blocking read must give up well before that.
constexpr long long kMaxBlockMs = 1500;

// KEYS[1] stream; ARGV[1] group, ARGV[2] entry id, ARGV[3] worker. XPENDING filtered by consumer
// tells whether the entry is still ours; XCLAIM with min-idle 0 then resets its idle time.
const char* kRenew = R"lua(
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3])
if #p == 0 then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
return 1)lua";

// KEYS[1] stream; ARGV[1] group, ARGV[2] entry id, ARGV[3] job id: a fresh entry, the old one dropped.
const char* kHandBack = R"lua(
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('XADD', KEYS[1], '*', 'job', ARGV[3])
return 1)lua";

// KEYS[1] stream, KEYS[2] heartbeat key; ARGV[1] group, ARGV[2] worker. A consumer still holding
// entries is kept: DELCONSUMER would drop its pending entries and lose those jobs.
const char* kLeave = R"lua(
redis.call('DEL', KEYS[2])
local p = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #p == 0 then redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2]) end
return 1)lua";

// A stream entry [id, [field, value, ...]] → claim; nullopt when it carries no job field.
std::optional<Claim> entry_claim(const RedisValue& entry) {
  if (entry.elements.size() != 2) return std::nullopt;
  const auto& fields = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2)
    if (fields[i].str == "job") return Claim{fields[i + 1].str, entry.elements[0].str};
  return std::nullopt;
}

class RedisJobQueue final : public JobQueue {
 public:
  RedisJobQueue(std::unique_ptr<RedisClient> client, std::unique_ptr<RedisClient> blocking, const std::string& prefix,
                std::chrono::milliseconds lease)
      : redis_(std::move(client)), blocking_(std::move(blocking)), stream_(prefix + "jobs:stream"),
        worker_prefix_(prefix + "jobs:worker:"), lease_(lease) {}

  Status ensure_group() {
    // From id 0, not $: entries pushed before the group existed must still be delivered.
    auto r = redis_->command({"XGROUP", "CREATE", stream_, kGroup, "0", "MKSTREAM"});
    if (!r && r.error().message.find("BUSYGROUP") == std::string::npos) return r.error();
    return Status::Ok();
  }

  Status push(const std::string& job_id) override {
    auto r = redis_->command({"XADD", stream_, "*", "job", job_id});
    if (!r) return r.error();
    return Status::Ok();
  }

  Result<std::optional<Claim>> pop(const std::string& worker, std::chrono::milliseconds wait) override {
    auto reclaimed = reclaim(worker);
    if (!reclaimed || *reclaimed) return reclaimed;
    long long block = std::clamp<long long>(wait.count(), 1, kMaxBlockMs);
    std::vector<std::string> argv = {"XREADGROUP", "GROUP", kGroup, worker, "COUNT", "1",
                                     "BLOCK", std::to_string(block), "STREAMS", stream_, ">"};
    auto r = blocking_->command(argv);
    if (!r && r.error().message.find("NOGROUP") != std::string::npos) {
      // The stream was deleted (FLUSHALL, a Redis restart without persistence): start it again.
      if (Status s = ensure_group(); !s) return s.error();
      r = blocking_->command(argv);
    }
    if (!r) return r.error();
    // [[stream, [[id, [field, value]]]]] or nil on timeout.
    if (r->elements.empty() || r->elements[0].elements.size() < 2 || r->elements[0].elements[1].elements.empty())
      return std::optional<Claim>();
    return entry_claim(r->elements[0].elements[1].elements[0]);
  }

  Result<bool> renew(const Claim& claim, const std::string& worker) override {
    auto r = redis_->command({"EVAL", kRenew, "1", stream_, kGroup, claim.receipt, worker});
    if (!r) return r.error();
    return r->integer == 1;
  }

  Status ack(const Claim& claim) override {
    auto r = redis_->command({"XACK", stream_, kGroup, claim.receipt});
    if (!r) return r.error();
    // Acknowledged entries are deleted, so XLEN counts only work still to do.
    auto d = redis_->command({"XDEL", stream_, claim.receipt});
    if (!d) return d.error();
    return Status::Ok();
  }

  Status hand_back(const Claim& claim) override {
    auto r = redis_->command({"EVAL", kHandBack, "1", stream_, kGroup, claim.receipt, claim.job_id});
    if (!r) return r.error();
    return Status::Ok();
  }

  Status heartbeat(const std::string& worker, const std::string& info) override {
    long long ttl_ms = std::max<long long>(1000, 2 * lease_.count());
    auto r = redis_->command({"SET", worker_prefix_ + worker, info, "PX", std::to_string(ttl_ms)});
    if (!r) return r.error();
    return Status::Ok();
  }

  Status leave(const std::string& worker) override {
    auto r = redis_->command({"EVAL", kLeave, "2", stream_, worker_prefix_ + worker, kGroup, worker});
    if (!r) return r.error();
    return Status::Ok();
  }

  Result<QueueCounts> counts() override {
    auto len = redis_->command({"XLEN", stream_});
    if (!len) return len.error();
    auto pending = redis_->command({"XPENDING", stream_, kGroup});
    QueueCounts c;
    // Summary form: [count, smallest id, greatest id, [[consumer, count]...]]; NOGROUP before any worker.
    if (pending && !pending->elements.empty()) c.claimed = pending->elements[0].integer;
    c.waiting = std::max(0LL, len->integer - c.claimed);
    return c;
  }

 private:
  // XAUTOCLAIM walks the pending list from a cursor; keeping the cursor between calls means a long
  // list of live claims cannot hide an expired one behind the scan limit.
  Result<std::optional<Claim>> reclaim(const std::string& worker) {
    std::string cursor;
    {
      std::lock_guard lock(mu_);
      cursor = cursor_;
    }
    auto r = redis_->command({"XAUTOCLAIM", stream_, kGroup, worker, std::to_string(lease_.count()), cursor, "COUNT", "1"});
    if (!r) {
      if (r.error().message.find("NOGROUP") == std::string::npos) return r.error();
      if (Status s = ensure_group(); !s) return s.error();
      return std::optional<Claim>();
    }
    // [next cursor, [[id, [field, value]]...], [deleted ids]]
    if (r->elements.size() < 2) return std::optional<Claim>();
    {
      std::lock_guard lock(mu_);
      cursor_ = r->elements[0].str.empty() ? "0-0" : r->elements[0].str;
    }
    for (const auto& entry : r->elements[1].elements)
      if (auto c = entry_claim(entry)) return std::optional<Claim>(*c);
    return std::optional<Claim>();
  }

  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<RedisClient> blocking_;
  const std::string stream_;
  const std::string worker_prefix_;
  const std::chrono::milliseconds lease_;
  std::mutex mu_;
  std::string cursor_ = "0-0";
};

}  // namespace

Result<std::unique_ptr<JobQueue>> make_redis_queue(const std::string& url, const std::string& prefix,
                                                   std::chrono::milliseconds lease) {
  auto client = RedisClient::connect(url);
  if (!client) return client.error();
  auto blocking = RedisClient::connect(url);
  if (!blocking) return blocking.error();
  auto queue = std::make_unique<RedisJobQueue>(std::move(*client), std::move(*blocking), prefix, lease);
  if (Status s = queue->ensure_group(); !s) return s.error();
  return std::unique_ptr<JobQueue>(std::move(queue));
}

}  // namespace vox::jobs
