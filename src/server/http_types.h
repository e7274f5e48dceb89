// Neutral request/response types: route handlers never see the HTTP library, so the adapter
// (httplib_adapter.cpp) is the only file that would change if cpp-httplib were replaced.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vox::server {

struct FormField {
  std::string name;
  std::string_view value;  // points into the adapter's request storage, valid during the handler
  std::string filename;
  std::string content_type;
};

struct HttpRequest {
  std::string method;
  std::string path;
  std::string remote_addr;
  std::string request_id;
  std::map<std::string, std::string> path_params;        // e.g. {"id": "job_..."}
  std::multimap<std::string, std::string> query;
  std::function<std::string(const std::string&)> header;  // case-insensitive lookup, "" when absent
  std::string_view body;
  std::vector<FormField> form;                            // multipart/form-data fields, in order
  std::function<bool()> client_connected;                 // false once the client has gone away

  const FormField* field(std::string_view name) const {
    for (const auto& f : form)
      if (f.name == name) return &f;
    return nullptr;
  }
  std::vector<std::string_view> fields(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& f : form)
      if (f.name == name) out.push_back(f.value);
    return out;
  }
  std::optional<std::string> query_value(const std::string& key) const {
    auto it = query.find(key);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

// Writes one piece of a streamed body; returns false when the client is gone.
using BodyWriter = std::function<bool(std::string_view)>;

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is produced incrementally with chunked transfer encoding.
  std::function<void(const BodyWriter& write)> stream;
};

using RouteHandler = std::function<HttpReply(const HttpRequest&)>;

struct Route {
  std::string method;   // GET, POST, DELETE
  std::string pattern;  // "/v1/jobs/{id}"
  RouteHandler handler;
};

}  // namespace vox::server
