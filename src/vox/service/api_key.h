// API key material: generation, hashing and comparison. Only a key's SHA-256 is ever stored; the
// key itself is shown once when created.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vox/core/error.h"

namespace vox::service {

// "vox_" + 43 base62 characters (~256 bits) from the kernel's CSPRNG.
Result<std::string> generate_api_key();

// Lower-case hex SHA-256 of `text` (64 characters).
std::string sha256_hex(std::string_view text);

// Compares without an early exit, so the time taken does not reveal where two strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// The public, non-secret identifier of a key: "key_" + the first 16 hex digits of its hash. Used
// to look a key up (then its full hash is compared in constant time) and to label its usage.
std::string key_id_for_hash(const std::string& hash_hex);

// "Bearer KEY" → "KEY"; "" when the header is absent or not a bearer token.
std::string bearer_token(std::string_view authorization_header);

// UTC calendar day "YYYY-MM-DD" of a Unix time, the unit usage is accounted in.
std::string utc_day(std::int64_t unix_seconds);

}  // namespace vox::service
