#include "vox/service/service_config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace vox::service {

namespace {

struct ServiceOption {
  std::string flag, env, value, help;
  std::function<Status(ServiceConfig&, const std::string&)> set;
};

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
  for (const auto& o : options()) {
    const char* v = getenv_fn(o.env.c_str());
    if (!v || !*v) continue;
    if (Status s = o.set(config, v); !s) return Error(s.error().code, o.env + ": " + s.error().message, s.error().param);
  }
  return Status::Ok();
}

Status apply_service_flags(ServiceConfig& config, const std::vector<std::string>& args, std::vector<std::string>& rest) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    auto it = std::find_if(options().begin(), options().end(), [&](const ServiceOption& o) { return o.flag == name; });
    if (it == options().end()) {
      rest.push_back(a);
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return Error(ErrorCode::kInvalidArgument, name + " needs a value (" + it->value + ")", name);
      value = args[++i];
    }
    if (Status s = it->set(config, value); !s) return s;
  }
  return Status::Ok();
}

std::string service_options_help() {
  std::ostringstream out;
  for (const auto& o : options()) {
    std::string left = "  " + o.flag + " " + o.value;
    out << left << std::string(left.size() < 30 ? 30 - left.size() : 1, ' ') << o.help << " [env " << o.env << "]\n";
  }
  return out.str();
}

}  // namespace vox::service
