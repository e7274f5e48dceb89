// Port: where API keys and their per-day usage live. Two adapters (SQLite file, Redis); callers
// only ever see this interface, chosen by open_key_store() from the config.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/service/service_config.h"

namespace vox::service {

// A key's own limits; 0 = the server's default (ServiceConfig::default_*).
struct KeyLimits {
  double rpm = 0;
  double audio_seconds_per_hour = 0;
  int concurrent = 0;
};

struct ApiKey {
  std::string id;    // key_id_for_hash(hash): public, used in usage and logs
  std::string name;  // unique among active keys
  std::string hash;  // sha256_hex of the secret key
  std::int64_t created_s = 0;
  std::int64_t last_used_s = 0;  // 0 = never
  bool revoked = false;
  KeyLimits limits;
};

// What one event adds to a key's usage.
struct UsageDelta {
  std::int64_t requests = 0;
  double audio_seconds = 0;
  std::int64_t characters = 0;
};

struct DailyUsage {
  std::string day;  // "YYYY-MM-DD" (UTC)
  std::int64_t requests = 0;
  double audio_seconds = 0;
  std::int64_t characters = 0;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // kInvalidArgument when an active key already has that name.
  virtual Status add(const ApiKey& key) = 0;
  // The key whose hash equals `hash` (compared in constant time), revoked or not; nullopt if none.
  virtual Result<std::optional<ApiKey>> find_by_hash(const std::string& hash) = 0;
  virtual Result<std::optional<ApiKey>> find_by_id(const std::string& id) = 0;
  // Every key, oldest first.
  virtual Result<std::vector<ApiKey>> list() = 0;
  // Revokes the active key called `name`; kNotFound when there is none.
  virtual Status revoke(const std::string& name) = 0;
  // True once any key was created, revoked ones included: revoking the last key locks the server
  // rather than turning it back into an open one.
  virtual Result<bool> has_keys() = 0;
  // Adds `delta` to the key's usage on `day` and, for requests, marks it used at `now_s`.
  virtual Status record_usage(const std::string& key_id, const std::string& day, const UsageDelta& delta,
                              std::int64_t now_s) = 0;
  // Usage per day in [first_day, last_day] (inclusive, "YYYY-MM-DD"), oldest first; days without
  // activity are left out.
  virtual Result<std::vector<DailyUsage>> usage(const std::string& key_id, const std::string& first_day,
                                                const std::string& last_day) = 0;
};

// SQLite at data_dir/vox.db, or Redis when redis_url is set.
Result<std::unique_ptr<KeyStore>> open_key_store(const ServiceConfig& config);

// Sums a range of daily usage.
DailyUsage total_usage(const std::vector<DailyUsage>& days);

}  // namespace vox::service
