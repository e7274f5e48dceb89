// A small thread-safe Redis client over hiredis: one connection behind a mutex, reconnected once
// when a command finds it broken. Shared by the Redis key store and the Redis rate limiter.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vox/core/error.h"

struct redisContext;

namespace vox::service {

struct RedisValue {
  enum Type { kNil, kString, kInteger, kArray, kStatus } type = kNil;
  std::string str;              // kString, kStatus
  long long integer = 0;        // kInteger
  std::vector<RedisValue> elements;  // kArray
};

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  int db = 0;
};

// redis://[[user]:password@]host[:port][/db]
Result<RedisAddress> parse_redis_url(const std::string& url);

class RedisClient {
 public:
  static Result<std::unique_ptr<RedisClient>> connect(const std::string& url);
  ~RedisClient();
  // Runs one command; a Redis error reply becomes ErrorCode::kIo.
  Result<RedisValue> command(const std::vector<std::string>& argv);

 private:
  explicit RedisClient(RedisAddress address) : address_(std::move(address)) {}
  Status reconnect();  // mu_ held
  Result<RedisValue> run(const std::vector<std::string>& argv);  // mu_ held

  RedisAddress address_;
  std::mutex mu_;
  redisContext* ctx_ = nullptr;
};

}  // namespace vox::service
