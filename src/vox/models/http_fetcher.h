// The one HTTP operation model downloads need, behind an interface so the download logic is
// tested against a local server and the HTTP library stays in one file (httplib_fetcher.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vox/core/error.h"

namespace vox::models {

struct FetchResponse {
  int status = 0;                      // 200, 206, 416, ...
  std::optional<std::uint64_t> total;  // full size of the resource, when the server says it
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // GET url from byte `offset` (a Range request when > 0), following redirects. on_response is
  // called once with the final status before any data; on_data receives the body in pieces and
  // returns false to stop. Network failures -> kIo.
  virtual Status get(const std::string& url, std::uint64_t offset,
                     const std::function<void(const FetchResponse&)>& on_response,
                     const std::function<bool(std::string_view)>& on_data) = 0;
};

// cpp-httplib (HTTPS through its OpenSSL build).
std::unique_ptr<HttpFetcher> make_httplib_fetcher();

}  // namespace vox::models
