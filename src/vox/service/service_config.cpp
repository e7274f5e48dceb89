#include "vox/service/service_config.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "vox/core/option_table.h"

namespace vox::service {

namespace {

using ServiceOption = Option<ServiceConfig>;

Result<double> parse_number(const std::string& text, const std::string& what, double hi) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) || v < 0 || v > hi)
    return Error(ErrorCode::kInvalidArgument, what + " must be a number in 0.." + std::to_string(int64_t(hi)) + ", got '" + text + "'",
                 what);
  return v;
}

const std::vector<ServiceOption>& options() {
  static const std::vector<ServiceOption> o = {
      {"--redis", "VOX_REDIS", "URL", "keep API keys, usage and rate limits in Redis (redis://host:port/db)",
       [](ServiceConfig& c, const std::string& v) {
         if (v.rfind("redis://", 0) != 0)
           return Status(Error(ErrorCode::kInvalidArgument, "redis URL must start with redis://, got '" + v + "'", "redis"));
         c.redis_url = v;
         return Status::Ok();
       }},
      {"--default-rpm", "VOX_DEFAULT_RPM", "N", "requests per minute for keys without their own limit (0 = unlimited)",
       [](ServiceConfig& c, const std::string& v) {
         auto r = parse_number(v, "default-rpm", 1e9);
         if (!r) return Status(r.error());
         c.default_rpm = *r;
         return Status::Ok();
       }},
      {"--default-audio-seconds-per-hour", "VOX_DEFAULT_AUDIO_SECONDS_PER_HOUR", "N",
       "audio seconds per hour for keys without their own limit (0 = unlimited)",
       [](ServiceConfig& c, const std::string& v) {
         auto r = parse_number(v, "default-audio-seconds-per-hour", 1e12);
         if (!r) return Status(r.error());
         c.default_audio_seconds_per_hour = *r;
         return Status::Ok();
       }},
      {"--default-concurrent", "VOX_DEFAULT_CONCURRENT", "N",
       "concurrent jobs for keys without their own limit (0 = unlimited)",
       [](ServiceConfig& c, const std::string& v) {
         auto r = parse_number(v, "default-concurrent", 1e6);
         if (!r) return Status(r.error());
         if (*r != std::floor(*r)) return Status(Error(ErrorCode::kInvalidArgument, "default-concurrent must be an integer", "default-concurrent"));
         c.default_concurrent = int(*r);
         return Status::Ok();
       }},
  };
  return o;
}

}  // namespace

ServiceConfig service_config_from(const Config& config) {
  ServiceConfig s;
  s.data_dir = config.data_dir;
  s.cors_origins = config.server.cors_origins;
  return s;
}

Status apply_service_environment(ServiceConfig& config, const std::function<const char*(const char*)>& getenv_fn) {
  return apply_option_environment(options(), config, getenv_fn);
}

Status apply_service_flags(ServiceConfig& config, const std::vector<std::string>& args, std::vector<std::string>& rest) {
  return apply_option_flags(options(), config, args, rest);
}

std::string service_options_help() { return option_help(options()); }

}  // namespace vox::service
