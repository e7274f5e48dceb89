#include "vox/service/access_control.h"

#include <chrono>

#include "vox/service/api_key.h"

namespace vox::service {

namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Error rate_limited(const std::string& message, double retry_after_s) {
  Error e(ErrorCode::kRateLimited, message);
  e.retry_after_s = retry_after_s;
  return e;
}

}  // namespace

AccessControl::AccessControl(const ServiceConfig& config, KeyStore& keys, RateLimiter& limiter, ServiceMetrics& metrics,
                             std::function<std::int64_t()> now_s)
    : config_(config), keys_(keys), limiter_(limiter), metrics_(metrics), now_(now_s ? std::move(now_s) : unix_now) {}

KeyLimits AccessControl::effective(const KeyLimits& own) const {
  KeyLimits l;
  l.rpm = own.rpm > 0 ? own.rpm : config_.default_rpm;
  l.audio_seconds_per_hour = own.audio_seconds_per_hour > 0 ? own.audio_seconds_per_hour
                                                             : config_.default_audio_seconds_per_hour;
  l.concurrent = own.concurrent > 0 ? own.concurrent : config_.default_concurrent;
  return l;
}

Result<Caller> AccessControl::authenticate(const std::string& token) {
  auto any = keys_.has_keys();
  if (!any) {
    metrics_.store_error();
    return Error(ErrorCode::kUnavailable, "the API key store is unavailable: " + any.error().message);
  }
  if (!*any) return Caller{};  // no key was ever created: open mode (the server only binds loopback then)
  if (token.empty()) {
    metrics_.auth_failed("missing");
    return Error(ErrorCode::kUnauthorized,
                 "You didn't provide an API key. Send it as the header 'Authorization: Bearer YOUR_KEY'.");
  }
  auto found = keys_.find_by_hash(sha256_hex(token));
  if (!found) {
    metrics_.store_error();
    return Error(ErrorCode::kUnavailable, "the API key store is unavailable: " + found.error().message);
  }
  if (!*found) {
    metrics_.auth_failed("invalid");
    return Error(ErrorCode::kUnauthorized, "Incorrect API key provided.");
  }
  if ((*found)->revoked) {
    metrics_.auth_failed("revoked");
    return Error(ErrorCode::kUnauthorized, "This API key has been revoked.");
  }
  Caller c;
  c.anonymous = false;
  c.key_id = (*found)->id;
  c.key_name = (*found)->name;
  c.limits = effective((*found)->limits);
  return c;
}

Status AccessControl::admit(const Caller& caller, bool job) {
  if (caller.anonymous) return Status::Ok();
  const auto& l = caller.limits;
  if (l.rpm > 0) {
    auto t = limiter_.take("rpm:" + caller.key_id, per_minute(l.rpm), 1);
    if (!t) return Error(ErrorCode::kUnavailable, "rate limiter unavailable: " + t.error().message);
    if (!t->allowed) {
      metrics_.rate_limited("requests");
      return rate_limited("Rate limit reached for requests: this key allows " + std::to_string(int(l.rpm)) +
                              " requests per minute.", t->retry_after_s);
    }
  }
  if (job)
    if (Status s = check_audio(caller); !s) return s;
  if (job && l.concurrent > 0) {
    auto got = limiter_.acquire_slot("jobs:" + caller.key_id, l.concurrent);
    if (!got) return Error(ErrorCode::kUnavailable, "rate limiter unavailable: " + got.error().message);
    if (!*got) {
      metrics_.rate_limited("concurrent");
      return rate_limited("Too many concurrent jobs: this key allows " + std::to_string(l.concurrent) + " at once.", 1.0);
    }
  }
  add_usage(caller.key_id, UsageDelta{1, 0, 0});
  return Status::Ok();
}

Status AccessControl::check_audio(const Caller& caller) {
  const auto& l = caller.limits;
  if (caller.anonymous || l.audio_seconds_per_hour <= 0) return Status::Ok();
  // Audio is charged after each transcription; new work waits until the debt is refilled.
  auto t = limiter_.take("audio:" + caller.key_id, per_hour(l.audio_seconds_per_hour), 0);
  if (!t) return Error(ErrorCode::kUnavailable, "rate limiter unavailable: " + t.error().message);
  if (!t->allowed) {
    metrics_.rate_limited("audio_seconds");
    return rate_limited("Rate limit reached for audio: this key allows " + std::to_string(int(l.audio_seconds_per_hour)) +
                            " audio seconds per hour.",
                        t->retry_after_s);
  }
  return Status::Ok();
}

void AccessControl::release_job(const Caller& caller) {
  if (caller.anonymous || caller.limits.concurrent <= 0) return;
  if (!limiter_.release_slot("jobs:" + caller.key_id)) metrics_.store_error();
}

void AccessControl::add_usage(const std::string& key_id, const UsageDelta& delta) {
  std::int64_t now = now_();
  if (!keys_.record_usage(key_id, utc_day(now), delta, now)) metrics_.store_error();
}

void AccessControl::record_transcription(const std::string& key_id, const std::string& engine, double audio_s,
                                         double processing_s) {
  metrics_.transcription_finished(engine, audio_s, processing_s);
  if (key_id.empty() || !(audio_s > 0)) return;
  add_usage(key_id, UsageDelta{0, audio_s, 0});
  auto k = keys_.find_by_id(key_id);
  if (!k || !*k) return;
  double per_hour_limit = effective((*k)->limits).audio_seconds_per_hour;
  if (per_hour_limit > 0 && !limiter_.charge("audio:" + key_id, per_hour(per_hour_limit), audio_s)) metrics_.store_error();
}

void AccessControl::record_speech(const std::string& key_id, const std::string& engine, std::size_t characters,
                                  double audio_s, double processing_s) {
  metrics_.speech_finished(engine, characters, audio_s, processing_s);
  if (key_id.empty() || characters == 0) return;
  add_usage(key_id, UsageDelta{0, 0, std::int64_t(characters)});
}

Result<std::vector<DailyUsage>> AccessControl::usage(const std::string& key_id, const std::string& first_day,
                                                     const std::string& last_day) {
  return keys_.usage(key_id, first_day, last_day);
}

}  // namespace vox::service
