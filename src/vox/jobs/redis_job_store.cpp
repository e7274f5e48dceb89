// Redis JobStore: a hash per job for the live status, and a separate outcome key written once with
// SET NX, so of two workers racing on one job only the first result is ever visible. Multi-step
// updates run as Lua scripts: the client shares one connection between threads, so MULTI/EXEC
// blocks could interleave with other threads' commands.
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "vox/jobs/redis_jobs.h"

namespace vox::jobs {

namespace {

using service::RedisValue;
using Json = nlohmann::json;

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.6f", std::isfinite(v) ? v : 0.0);
  return buf;
}

double to_double(const std::string& s) { return s.empty() ? 0.0 : std::strtod(s.c_str(), nullptr); }

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string encode_fields(const FormFields& fields) {
  Json a = Json::array();
  for (const auto& [k, v] : fields) a.push_back(Json::array({k, v}));
  return dump(a);
}

FormFields decode_fields(const std::string& text) {
  FormFields out;
  Json a = Json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& p : a)
    if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string())
      out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
  return out;
}

std::string encode_outcome(const JobOutcome& o) {
  Json j = {{"state", job_state_name(o.state)}, {"finished_at", o.finished_at}, {"result", o.result}};
  if (o.state == JobState::kFailed)
    j["error"] = {{"code", error_code_name(o.error.code)}, {"message", o.error.message}, {"param", o.error.param}};
  return dump(j);
}

// Applies a stored outcome to the record; false when the text is not one.
bool apply_outcome(const std::string& text, JobRecord& job) {
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("state") || !j["state"].is_string()) return false;
  auto state = parse_job_state(j["state"].get<std::string>());
  if (!state) return false;
  job.state = *state;
  if (j.contains("finished_at") && j["finished_at"].is_number()) job.finished_at = j["finished_at"].get<double>();
  if (j.contains("result") && j["result"].is_string()) job.result = j["result"].get<std::string>();
  if (j.contains("error") && j["error"].is_object()) {
    const Json& e = j["error"];
    auto str = [&e](const char* k) { return e.contains(k) && e[k].is_string() ? e[k].get<std::string>() : std::string(); };
    job.error = Error(error_code_from_name(str("code")), str("message"), str("param"));
  }
  if (job.state == JobState::kSucceeded) job.progress = 1.0;
  return true;
}

JobRecord from_hash(const RedisValue& flat) {
  std::map<std::string, std::string> h;
  for (size_t i = 0; i + 1 < flat.elements.size(); i += 2) h[flat.elements[i].str] = flat.elements[i + 1].str;
  JobRecord job;
  job.id = h["id"];
  job.owner = h["owner"];
  if (auto s = parse_job_state(h["state"])) job.state = *s;
  job.progress = to_double(h["progress"]);
  job.stage = h["stage"];
  job.created_at = to_double(h["created_at"]);
  job.started_at = to_double(h["started_at"]);
  job.fields = decode_fields(h["fields"]);
  job.format = h["format"].empty() ? "json" : h["format"];
  job.audio = h["audio"];
  job.worker = h["worker"];
  job.attempts = int(to_double(h["attempts"]));
  job.cancel_requested = h["cancel"] == "1";
  return job;
}

// KEYS[1] hash; ARGV[1] ttl, ARGV[2..] field/value pairs.
const char* kCreate = R"lua(
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1)lua";

// KEYS[1] hash, KEYS[2] outcome.
const char* kGet = R"lua(
return {redis.call('HGETALL', KEYS[1]), redis.call('GET', KEYS[2])})lua";

// KEYS[1] hash; ARGV[1] worker, ARGV[2] now, ARGV[3] ttl. -1 when the job is gone.
const char* kMarkRunning = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'running', 'worker', ARGV[1], 'progress', '0', 'stage', '')
local started = redis.call('HGET', KEYS[1], 'started_at')
if not started or tonumber(started) == 0 then redis.call('HSET', KEYS[1], 'started_at', ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return attempts)lua";

// KEYS[1] hash; ARGV field/value pairs. Never recreates an expired job's hash (it would not expire).
const char* kUpdate = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return 1)lua";

// KEYS[1] hash, KEYS[2] outcome; ARGV[1] outcome JSON, ARGV[2] ttl, ARGV[3] state, ARGV[4] finished_at.
const char* kFinish = R"lua(
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'EX', ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'finished_at', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1)lua";

// KEYS[1] hash, KEYS[2] outcome.
const char* kShouldStop = R"lua(
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 1 end
return 0)lua";

class RedisJobStore final : public JobStore {
 public:
  RedisJobStore(std::shared_ptr<service::RedisClient> client, std::string prefix, double ttl_s)
      : redis_(std::move(client)), prefix_(std::move(prefix)), ttl_(std::to_string(std::max<long long>(1, std::llround(ttl_s)))) {}

  Status create(const JobRecord& job) override {
    std::vector<std::string> argv = {"EVAL", kCreate, "1", hash(job.id), ttl_,
                                     "id", job.id, "owner", job.owner, "state", job_state_name(job.state),
                                     "progress", num(job.progress), "stage", job.stage,
                                     "created_at", num(job.created_at), "started_at", num(job.started_at),
                                     "fields", encode_fields(job.fields), "format", job.format, "audio", job.audio,
                                     "worker", job.worker, "attempts", std::to_string(job.attempts),
                                     "cancel", job.cancel_requested ? "1" : "0"};
    auto r = redis_->command(argv);
    if (!r) return r.error();
    return Status::Ok();
  }

  Result<std::optional<JobRecord>> get(const std::string& id) override {
    auto r = redis_->command({"EVAL", kGet, "2", hash(id), outcome(id)});
    if (!r) return r.error();
    if (r->elements.size() != 2) return Error(ErrorCode::kIo, "redis: unexpected reply to the job lookup");
    const RedisValue& h = r->elements[0];
    const RedisValue& o = r->elements[1];
    if (h.elements.empty() && o.type != RedisValue::kString) return std::optional<JobRecord>();
    JobRecord job = from_hash(h);
    if (job.id.empty()) job.id = id;
    if (o.type == RedisValue::kString) apply_outcome(o.str, job);
    return std::optional<JobRecord>(std::move(job));
  }

  Result<int> mark_running(const std::string& id, const std::string& worker, double now) override {
    auto r = redis_->command({"EVAL", kMarkRunning, "1", hash(id), worker, num(now), ttl_});
    if (!r) return r.error();
    if (r->integer < 0) return Error(ErrorCode::kNotFound, "no job " + id);
    return int(r->integer);
  }

  Status mark_queued(const std::string& id) override {
    return update(id, {"state", "queued", "progress", "0", "stage", ""});
  }

  Status set_progress(const std::string& id, std::string_view stage, double progress) override {
    return update(id, {"stage", std::string(stage), "progress", num(progress)});
  }

  Result<bool> finish(const std::string& id, const JobOutcome& o) override {
    auto r = redis_->command({"EVAL", kFinish, "2", hash(id), outcome(id), encode_outcome(o), ttl_,
                              job_state_name(o.state), num(o.finished_at)});
    if (!r) return r.error();
    return r->integer == 1;
  }

  Status request_cancel(const std::string& id) override { return update(id, {"cancel", "1"}); }

  Result<bool> should_stop(const std::string& id) override {
    auto r = redis_->command({"EVAL", kShouldStop, "2", hash(id), outcome(id)});
    if (!r) return r.error();
    return r->integer == 1;
  }

  // Counting would mean scanning every job key; the queue's counts stand in (job_system.cpp).
  Result<std::vector<std::pair<JobState, long long>>> counts() override {
    return std::vector<std::pair<JobState, long long>>();
  }

 private:
  std::string hash(const std::string& id) const { return prefix_ + "job:" + id; }
  std::string outcome(const std::string& id) const { return hash(id) + ":outcome"; }

  Status update(const std::string& id, std::vector<std::string> pairs) {
    std::vector<std::string> argv = {"EVAL", kUpdate, "1", hash(id)};
    argv.insert(argv.end(), pairs.begin(), pairs.end());
    auto r = redis_->command(argv);
    if (!r) return r.error();
    return Status::Ok();
  }

  std::shared_ptr<service::RedisClient> redis_;
  const std::string prefix_;
  const std::string ttl_;
};

}  // namespace

std::unique_ptr<JobStore> make_redis_store(std::shared_ptr<service::RedisClient> client, std::string prefix,
                                           double ttl_s) {
  return std::make_unique<RedisJobStore>(std::move(client), std::move(prefix), ttl_s);
}

}  // namespace vox::jobs
