// HttpFetcher on cpp-httplib. The only file that sees the HTTP library.
#include <httplib.h>

#include <charconv>

#include "vox/models/http_fetcher.h"

namespace vox::models {

namespace {

// "bytes 100-199/1234" -> 1234.
std::optional<std::uint64_t> content_range_total(const std::string& v) {
  const auto slash = v.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data() + slash + 1, v.data() + v.size(), n);
  if (ec != std::errc()) return std::nullopt;
  return n;
}

class HttplibFetcher : public HttpFetcher {
 public:
  Status get(const std::string& url, std::uint64_t offset,
             const std::function<void(const FetchResponse&)>& on_response,
             const std::function<bool(std::string_view)>& on_data) override {
    // scheme://host[:port]/path
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return Error(ErrorCode::kInvalidArgument, "not a URL: " + url);
    const auto path_start = url.find('/', scheme_end + 3);
    const std::string origin = url.substr(0, path_start);
    const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
    httplib::Client client(origin);
    if (!client.is_valid()) return Error(ErrorCode::kInvalidArgument, "unsupported URL: " + url);
    client.set_follow_location(true);
    client.set_connection_timeout(30);
    client.set_read_timeout(120);
    httplib::Headers headers;
    if (offset > 0) headers.emplace("Range", "bytes=" + std::to_string(offset) + "-");
    bool stopped = false;
    auto res = client.Get(
        path, headers,
        [&](const httplib::Response& r) {
          FetchResponse fr;
          fr.status = r.status;
          if (r.status == 206 && r.has_header("Content-Range")) fr.total = content_range_total(r.get_header_value("Content-Range"));
          else if (r.status == 416 && r.has_header("Content-Range")) fr.total = content_range_total(r.get_header_value("Content-Range"));
          else if (r.status == 200 && r.has_header("Content-Length")) {
            std::uint64_t n = 0;
            const std::string v = r.get_header_value("Content-Length");
            if (std::from_chars(v.data(), v.data() + v.size(), n).ec == std::errc()) fr.total = n;
          }
          on_response(fr);
          return true;
        },
        [&](const char* data, std::size_t len) {
          if (!on_data(std::string_view(data, len))) {
            stopped = true;
            return false;
          }
          return true;
        });
    if (!res && !stopped)
      return Error(ErrorCode::kIo, "download of " + url + " failed: " + httplib::to_string(res.error()));
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<HttpFetcher> make_httplib_fetcher() { return std::make_unique<HttplibFetcher>(); }

}  // namespace vox::models
