#include "vox/service/redis_client.h"

#include <hiredis.h>

#include <charconv>

namespace vox::service {

namespace {

RedisValue convert(const redisReply* r) {
  RedisValue v;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      v.type = RedisValue::kString;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      v.type = RedisValue::kStatus;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      v.type = RedisValue::kInteger;
      v.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      v.type = RedisValue::kArray;
      for (size_t i = 0; i < r->elements; ++i) v.elements.push_back(convert(r->element[i]));
      break;
    default:
      v.type = RedisValue::kNil;
  }
  return v;
}

Result<int> parse_port_or_db(const std::string& text, const std::string& what, int hi) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 0 || v > hi)
    return Error(ErrorCode::kInvalidArgument, "bad " + what + " in redis URL: '" + text + "'", "redis");
  return v;
}

}  // namespace

Result<RedisAddress> parse_redis_url(const std::string& url) {
  const std::string scheme = "redis://";
  if (url.rfind(scheme, 0) != 0)
    return Error(ErrorCode::kInvalidArgument, "redis URL must start with redis://, got '" + url + "'", "redis");
  std::string rest = url.substr(scheme.size());
  RedisAddress a;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    std::string db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty()) {
      auto d = parse_port_or_db(db, "database", 1 << 20);
      if (!d) return d.error();
      a.db = *d;
    }
  }
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = userinfo.find(':');
    a.password = colon == std::string::npos ? userinfo : userinfo.substr(colon + 1);
  }
  if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
    auto p = parse_port_or_db(rest.substr(colon + 1), "port", 65535);
    if (!p) return p.error();
    a.port = *p;
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) a.host = rest;
  return a;
}

Result<std::unique_ptr<RedisClient>> RedisClient::connect(const std::string& url) {
  auto address = parse_redis_url(url);
  if (!address) return address.error();
  std::unique_ptr<RedisClient> client(new RedisClient(*address));
  std::lock_guard lock(client->mu_);
  if (Status s = client->reconnect(); !s) return s.error();
  return client;
}

RedisClient::~RedisClient() {
  if (ctx_) redisFree(ctx_);
}

Status RedisClient::reconnect() {
  if (ctx_) redisFree(ctx_);
  struct timeval timeout = {2, 0};
  ctx_ = redisConnectWithTimeout(address_.host.c_str(), address_.port, timeout);
  std::string where = address_.host + ":" + std::to_string(address_.port);
  if (!ctx_ || ctx_->err) {
    std::string msg = ctx_ ? ctx_->errstr : "out of memory";
    if (ctx_) redisFree(ctx_);
    ctx_ = nullptr;
    return Error(ErrorCode::kUnavailable, "cannot connect to redis at " + where + ": " + msg);
  }
  redisSetTimeout(ctx_, timeout);
  if (!address_.password.empty()) {
    auto r = run({"AUTH", address_.password});
    if (!r) return r.error();
  }
  if (address_.db != 0) {
    auto r = run({"SELECT", std::to_string(address_.db)});
    if (!r) return r.error();
  }
  return Status::Ok();
}

Result<RedisValue> RedisClient::run(const std::vector<std::string>& argv) {
  if (!ctx_) return Error(ErrorCode::kUnavailable, "not connected to redis");
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(ctx_, int(args.size()), args.data(), lens.data()));
  if (!reply) {
    std::string msg = ctx_->errstr;
    redisFree(ctx_);  // the connection is unusable after an I/O error
    ctx_ = nullptr;
    return Error(ErrorCode::kUnavailable, "redis: " + msg);
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    std::string msg(reply->str, reply->len);
    freeReplyObject(reply);
    return Error(ErrorCode::kIo, "redis " + argv[0] + ": " + msg);
  }
  RedisValue v = convert(reply);
  freeReplyObject(reply);
  return v;
}

Result<RedisValue> RedisClient::command(const std::vector<std::string>& argv) {
  std::lock_guard lock(mu_);
  if (!ctx_) {
    if (Status s = reconnect(); !s) return s.error();
  }
  auto r = run(argv);
  if (r || r.error().code != ErrorCode::kUnavailable) return r;
  // A dropped connection (server restart, idle timeout): one fresh attempt.
  if (Status s = reconnect(); !s) return s.error();
  return run(argv);
}

}  // namespace vox::service
