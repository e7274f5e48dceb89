// Cross-origin rules for browsers: an exact allowlist of origins (VOX_CORS_ORIGINS); "*" only when
// configured as "*". Pure decisions: the HTTP gate turns them into headers and replies.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vox::service {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct PreflightAnswer {
  int status = 204;    // 204 allowed, 403 refused
  HeaderList headers;  // CORS headers for an allowed origin; only Vary otherwise
};

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> origins);

  bool enabled() const { return !origins_.empty(); }
  bool allows_origin(const std::string& origin) const;
  // A preflight is OPTIONS with both Origin and Access-Control-Request-Method.
  static bool is_preflight(const std::string& method, const std::string& origin, const std::string& request_method);
  PreflightAnswer preflight(const std::string& origin, const std::string& request_method,
                            const std::string& request_headers) const;
  // Headers for an ordinary reply to a request carrying `origin` ("" when it had none).
  HeaderList response_headers(const std::string& origin) const;

  static constexpr const char* kAllowedMethods = "GET, POST, DELETE, OPTIONS";
  static constexpr int kMaxAgeS = 600;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;  // configured as "*"
};

}  // namespace vox::service
