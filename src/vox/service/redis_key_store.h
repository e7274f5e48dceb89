// KeyStore in Redis, for several vox servers sharing keys and usage. Layout (P = redis_prefix):
//   P key:<id>            hash  name, hash, created, last_used, revoked, rpm, aph, concurrent
//   P keys                zset  every key id, scored by creation time
//   P keyname:<name>      str   id of the active key with that name
//   P usage:<id>:<day>    hash  requests, audio_seconds, characters
//   P usagedays:<id>      set   days with usage
#pragma once

#include <memory>
#include <string>

#include "vox/service/key_store.h"
#include "vox/service/redis_client.h"

namespace vox::service {

std::unique_ptr<KeyStore> make_redis_key_store(std::shared_ptr<RedisClient> client, std::string prefix);

}  // namespace vox::service
