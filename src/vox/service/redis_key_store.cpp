#include "vox/service/redis_key_store.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "vox/service/api_key.h"

namespace vox::service {

namespace {

// Multi-key updates run as Lua scripts so that concurrent servers never see half a key.
constexpr const char* kAddScript = R"lua(
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('HSET', KEYS[2], 'name', ARGV[2], 'hash', ARGV[3], 'created', ARGV[4], 'last_used', 0, 'revoked', 0,
           'rpm', ARGV[5], 'aph', ARGV[6], 'concurrent', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1
)lua";

constexpr const char* kRevokeScript = R"lua(
local id = redis.call('GET', KEYS[1])
if not id then return 0 end
redis.call('HSET', ARGV[1] .. 'key:' .. id, 'revoked', 1)
redis.call('DEL', KEYS[1])
return 1
)lua";

constexpr const char* kUsageScript = R"lua(
redis.call('HINCRBY', KEYS[1], 'requests', ARGV[2])
redis.call('HINCRBYFLOAT', KEYS[1], 'audio_seconds', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'characters', ARGV[4])
redis.call('SADD', KEYS[2], ARGV[1])
if tonumber(ARGV[2]) > 0 and redis.call('EXISTS', KEYS[3]) == 1 then
  local last = tonumber(redis.call('HGET', KEYS[3], 'last_used') or '0')
  if tonumber(ARGV[5]) > last then redis.call('HSET', KEYS[3], 'last_used', ARGV[5]) end
end
return 1
)lua";

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

double to_double(const std::string& s) { return s.empty() ? 0.0 : std::strtod(s.c_str(), nullptr); }
long long to_int(const std::string& s) { return s.empty() ? 0 : std::strtoll(s.c_str(), nullptr, 10); }

std::map<std::string, std::string> as_map(const RedisValue& v) {
  std::map<std::string, std::string> m;
  for (size_t i = 0; i + 1 < v.elements.size(); i += 2) m[v.elements[i].str] = v.elements[i + 1].str;
  return m;
}

class RedisKeyStore final : public KeyStore {
 public:
  RedisKeyStore(std::shared_ptr<RedisClient> client, std::string prefix)
      : redis_(std::move(client)), p_(std::move(prefix)) {}

  Status add(const ApiKey& k) override {
    auto r = redis_->command({"EVAL", kAddScript, "3", p_ + "keyname:" + k.name, p_ + "key:" + k.id, p_ + "keys", k.id, k.name, k.hash, std::to_string(k.created_s), num(k.limits.rpm),
                              num(k.limits.audio_seconds_per_hour), std::to_string(k.limits.concurrent)});
    if (!r) return r.error();
    if (r->integer == 0) return Error(ErrorCode::kInvalidArgument, "an active key named '" + k.name + "' already exists", "name");
    return Status::Ok();
  }

  Result<std::optional<ApiKey>> find_by_hash(const std::string& hash) override {
    if (hash.size() < 16) return std::optional<ApiKey>();
    auto found = find_by_id(key_id_for_hash(hash));
    if (!found || !*found) return found;
    if (!constant_time_equal((*found)->hash, hash)) return std::optional<ApiKey>();
    return found;
  }

  Result<std::optional<ApiKey>> find_by_id(const std::string& id) override {
    auto r = redis_->command({"HGETALL", p_ + "key:" + id});
    if (!r) return r.error();
    if (r->elements.empty()) return std::optional<ApiKey>();
    auto m = as_map(*r);
    ApiKey k;
    k.id = id;
    k.name = m["name"];
    k.hash = m["hash"];
    k.created_s = to_int(m["created"]);
    k.last_used_s = to_int(m["last_used"]);
    k.revoked = to_int(m["revoked"]) != 0;
    k.limits.rpm = to_double(m["rpm"]);
    k.limits.audio_seconds_per_hour = to_double(m["aph"]);
    k.limits.concurrent = int(to_int(m["concurrent"]));
    return std::optional<ApiKey>(k);
  }

  Result<std::vector<ApiKey>> list() override {
    auto ids = redis_->command({"ZRANGE", p_ + "keys", "0", "-1"});
    if (!ids) return ids.error();
    std::vector<ApiKey> out;
    for (const auto& id : ids->elements) {
      auto k = find_by_id(id.str);
      if (!k) return k.error();
      if (*k) out.push_back(**k);
    }
    return out;
  }

  Status revoke(const std::string& name) override {
    auto r = redis_->command({"EVAL", kRevokeScript, "1", p_ + "keyname:" + name, p_});
    if (!r) return r.error();
    if (r->integer == 0) return Error(ErrorCode::kNotFound, "no active key named '" + name + "'", "name");
    return Status::Ok();
  }

  Result<bool> has_keys() override {
    auto r = redis_->command({"ZCARD", p_ + "keys"});
    if (!r) return r.error();
    return r->integer > 0;
  }

  Status record_usage(const std::string& key_id, const std::string& day, const UsageDelta& d,
                      std::int64_t now_s) override {
    auto r = redis_->command({"EVAL", kUsageScript, "3", p_ + "usage:" + key_id + ":" + day, p_ + "usagedays:" + key_id,
                              p_ + "key:" + key_id, day, std::to_string(d.requests), num(d.audio_seconds),
                              std::to_string(d.characters), std::to_string(now_s)});
    if (!r) return r.error();
    return Status::Ok();
  }

  Result<std::vector<DailyUsage>> usage(const std::string& key_id, const std::string& first_day,
                                        const std::string& last_day) override {
    auto days = redis_->command({"SMEMBERS", p_ + "usagedays:" + key_id});
    if (!days) return days.error();
    std::vector<std::string> wanted;
    for (const auto& d : days->elements)
      if (d.str >= first_day && d.str <= last_day) wanted.push_back(d.str);
    std::sort(wanted.begin(), wanted.end());
    std::vector<DailyUsage> out;
    for (const auto& day : wanted) {
      auto r = redis_->command({"HGETALL", p_ + "usage:" + key_id + ":" + day});
      if (!r) return r.error();
      auto m = as_map(*r);
      out.push_back({day, to_int(m["requests"]), to_double(m["audio_seconds"]), to_int(m["characters"])});
    }
    return out;
  }

 private:
  std::shared_ptr<RedisClient> redis_;
  std::string p_;
};

}  // namespace

std::unique_ptr<KeyStore> make_redis_key_store(std::shared_ptr<RedisClient> client, std::string prefix) {
  return std::make_unique<RedisKeyStore>(std::move(client), std::move(prefix));
}

}  // namespace vox::service
