#include "vox/service/key_store.h"

#include "vox/service/redis_key_store.h"
#include "vox/service/sqlite_key_store.h"

namespace vox::service {

Result<std::unique_ptr<KeyStore>> open_key_store(const ServiceConfig& config) {
  if (!config.redis_url.empty()) {
    auto client = RedisClient::connect(config.redis_url);
    if (!client) return client.error();
    return make_redis_key_store(std::shared_ptr<RedisClient>(std::move(*client)), config.redis_prefix);
  }
  if (config.data_dir.empty()) return Error(ErrorCode::kInvalidArgument, "no data directory for the key store", "data_dir");
  return open_sqlite_key_store(config.data_dir + "/vox.db");
}

DailyUsage total_usage(const std::vector<DailyUsage>& days) {
  DailyUsage t;
  for (const auto& d : days) {
    t.requests += d.requests;
    t.audio_seconds += d.audio_seconds;
    t.characters += d.characters;
  }
  return t;
}

}  // namespace vox::service
