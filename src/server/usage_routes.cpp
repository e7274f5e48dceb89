// GET /v1/usage[?start_date=YYYY-MM-DD&end_date=YYYY-MM-DD]: the calling key's usage per UTC day
// (requests, audio seconds transcribed, characters synthesised); the last 30 days by default.
#include <nlohmann/json.hpp>
#include <regex>

#include "server/gate.h"
#include "server/http_errors.h"
#include "vox/service/api_key.h"

namespace vox::server {

namespace {

constexpr int kDefaultDays = 30;

Result<std::string> date_param(const HttpRequest& r, const std::string& name, const std::string& fallback) {
  auto v = r.query_value(name);
  if (!v) return fallback;
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  if (!std::regex_match(*v, kDate)) return Error(ErrorCode::kInvalidArgument, name + " must be YYYY-MM-DD", name);
  return *v;
}

nlohmann::json usage_json(const service::DailyUsage& u) {
  return {{"requests", u.requests}, {"audio_seconds", u.audio_seconds}, {"characters", u.characters}};
}

HttpReply usage(Gate& gate, const HttpRequest& r) {
  auto& access = *gate.services().access;
  std::int64_t now = access.now();
  auto end = date_param(r, "end_date", service::utc_day(now));
  if (!end) return error_reply(end.error());
  auto start = date_param(r, "start_date", service::utc_day(now - std::int64_t(kDefaultDays - 1) * 86400));
  if (!start) return error_reply(start.error());
  if (*start > *end) return error_reply(Error(ErrorCode::kInvalidArgument, "start_date is after end_date", "start_date"));

  nlohmann::json j = {{"object", "usage"}, {"start_date", *start}, {"end_date", *end}, {"key", nullptr},
                      {"data", nlohmann::json::array()}};
  std::vector<service::DailyUsage> days;
  std::string key_id = gate.caller_key_id(r);
  if (!key_id.empty()) {
    auto key = access.key(key_id);
    if (!key) return error_reply(key.error());
    auto rows = access.usage(key_id, *start, *end);
    if (!rows) return error_reply(rows.error());
    days = *rows;
    if (*key) {
      const auto& k = **key;
      j["key"] = {{"id", k.id},
                  {"name", k.name},
                  {"created", k.created_s},
                  {"last_used", k.last_used_s},
                  {"limits",
                   {{"rpm", k.limits.rpm},
                    {"audio_seconds_per_hour", k.limits.audio_seconds_per_hour},
                    {"concurrent", k.limits.concurrent}}}};
    }
  }
  for (const auto& d : days) {
    auto row = usage_json(d);
    row["date"] = d.day;
    j["data"].push_back(row);
  }
  j["total"] = usage_json(service::total_usage(days));
  HttpReply reply;
  reply.body = j.dump();
  return reply;
}

}  // namespace

std::vector<Route> usage_routes(Gate& gate) {
  return {{"GET", "/v1/usage", [&gate](const HttpRequest& r) { return usage(gate, r); }}};
}

}  // namespace vox::server
