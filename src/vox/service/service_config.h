// Settings of the service layer (API keys, rate limits, storage). The module owns its options so
// libvox's core config stays free of storage details; the CLI applies them after the global ones.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "vox/core/config.h"
#include "vox/core/error.h"

namespace vox::service {

struct ServiceConfig {
  std::string data_dir;          // SQLite store lives at data_dir/vox.db (Config::data_dir)
  std::string redis_url;         // VOX_REDIS: redis://[:password@]host[:port][/db]; set → Redis adapters
  std::string redis_prefix = "vox:";  // namespace of every Redis key vox writes
  // Limits for keys created without their own (0 = unlimited).
  double default_rpm = 0;                     // VOX_DEFAULT_RPM
  double default_audio_seconds_per_hour = 0;  // VOX_DEFAULT_AUDIO_SECONDS_PER_HOUR
  int default_concurrent = 0;                 // VOX_DEFAULT_CONCURRENT
  std::vector<std::string> cors_origins;      // Config::server.cors_origins; "*" allows any origin
};

// The service fields taken from the global config (data dir, CORS origins).
ServiceConfig service_config_from(const Config& config);

// Service options (--redis, --default-rpm, ...): environment first, then flags. Unknown arguments
// are appended to `rest`, in order.
Status apply_service_environment(ServiceConfig& config, const std::function<const char*(const char*)>& getenv_fn);
Status apply_service_flags(ServiceConfig& config, const std::vector<std::string>& args, std::vector<std::string>& rest);
std::string service_options_help();

}  // namespace vox::service
