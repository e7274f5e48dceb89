#include "vox/service/api_key.h"

#include <openssl/evp.h>
#include <sys/random.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace vox::service {

namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr int kKeyChars = 43;  // 43 x log2(62) ≈ 256 bits

Status fill_random(unsigned char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(out + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kIo, std::string("getrandom failed: ") + std::strerror(errno));
    }
    got += size_t(r);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> generate_api_key() {
  std::string key = "vox_";
  // Rejection sampling: bytes >= 248 (= 4 x 62) are dropped so every character is equally likely.
  unsigned char buf[96];
  while (int(key.size()) < 4 + kKeyChars) {
    if (Status s = fill_random(buf, sizeof(buf)); !s) return s.error();
    for (unsigned char b : buf) {
      if (b >= 248) continue;
      key += kBase62[b % 62];
      if (int(key.size()) == 4 + kKeyChars) break;
    }
  }
  return key;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // The length is not secret (every hash has 64 characters); the contents are.
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
  return diff == 0;
}

std::string key_id_for_hash(const std::string& hash_hex) { return "key_" + hash_hex.substr(0, 16); }

std::string bearer_token(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  if (header.size() < 7) return {};
  std::string scheme(header.substr(0, 7));
  for (auto& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return {};
  std::string_view token = header.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r' || token.back() == '\n')) token.remove_suffix(1);
  return std::string(token);
}

std::string utc_day(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace vox::service
