#include "server/httplib_adapter.h"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <httplib.h>
#include <random>
#include <regex>

#include "server/connection_probe.h"
#include "server/http_errors.h"

namespace vox::server {

namespace {

std::string new_request_id() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t salt = std::random_device{}();
  char buf[32];
  std::snprintf(buf, sizeof(buf), "req_%08llx%06llx", static_cast<unsigned long long>(salt & 0xffffffff),
                static_cast<unsigned long long>(++counter));
  return buf;
}

// Content types of the web page's files (web/dist), with the charset for text.
constexpr std::pair<const char*, const char*> kStaticTypes[] = {
    {"html", "text/html; charset=utf-8"},      {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},              {"map", "application/json"},
    {"svg", "image/svg+xml"},                  {"txt", "text/plain; charset=utf-8"},
    {"webmanifest", "application/manifest+json"}, {"woff2", "font/woff2"},
    {"wasm", "application/wasm"},              {"ico", "image/x-icon"},
};

// "/v1/jobs/{id}" → regex "/v1/jobs/([^/]+)" and the capture names.
std::pair<std::string, std::vector<std::string>> compile_pattern(const std::string& pattern) {
  std::string re;
  std::vector<std::string> names;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      names.push_back(pattern.substr(i + 1, close - i - 1));
      re += "([^/]+)";
      i = close;
    } else if (std::string("().[]+*?^$\\|").find(pattern[i]) != std::string::npos) {
      re += '\\';
      re += pattern[i];
    } else {
      re += pattern[i];
    }
  }
  return {re, names};
}

void write_reply(const HttpReply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  if (reply.stream) {
    auto stream = reply.stream;
    res.set_chunked_content_provider(reply.content_type, [stream](size_t, httplib::DataSink& sink) {
      stream([&sink](std::string_view data) { return data.empty() || sink.write(data.data(), data.size()); });
      sink.done();
      return true;
    });
  } else {
    res.set_content(reply.body, reply.content_type);
  }
}

}  // namespace

struct HttpServer::Impl {
  AdapterOptions options;
  httplib::Server server;
  int listen_fd = -1;

  HttpRequest convert(const httplib::Request& req) {
    HttpRequest r;
    r.method = req.method;
    r.path = req.path;
    r.remote_addr = req.remote_addr;
    r.request_id = new_request_id();
    r.query = req.params;
    r.header = [&req](const std::string& name) { return req.get_header_value(name); };
    r.body = req.body;
    for (const auto& [name, f] : req.files)
      r.form.push_back(FormField{name, std::string_view(f.content), f.filename, f.content_type});
    r.client_connected = make_connection_probe(req.remote_addr, req.remote_port);
    return r;
  }

  void finish(const HttpRequest& r, HttpReply& reply, httplib::Response& res,
              std::chrono::steady_clock::time_point t0) {
    if (options.after) options.after(r, reply);
    reply.headers.emplace_back("X-Request-Id", r.request_id);
    write_reply(reply, res);
    if (options.on_complete)
      options.on_complete(r, reply.status,
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
};

HttpServer::HttpServer(AdapterOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto& s = impl_->server;
  const int threads = impl_->options.threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_payload_max_length(impl_->options.max_body_bytes + (1 << 20));  // + room for the multipart framing
  // cpp-httplib 0.11 applies these to each socket read / write (a slow upload, a slow reader),
  // never to the time a handler runs: a synchronous transcription of a long file may take an hour
  // and is not cut off (tests/integration/test_jobs.py runs one longer than a 1 s timeout).
  s.set_read_timeout(impl_->options.io_timeout_s);
  s.set_write_timeout(impl_->options.io_timeout_s);
  s.set_keep_alive_max_count(1000);
  // cpp-httplib hard-codes a listen backlog of 5; remember the socket to re-listen with more.
  s.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl_->listen_fd = sock;
  });
  s.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a route already wrote its reply
    HttpReply reply = error_reply_for_status(res.status, req.path);
    HttpRequest r = impl_->convert(req);
    impl_->finish(r, reply, res, std::chrono::steady_clock::now());
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    HttpReply reply = error_reply(Error(ErrorCode::kInternal, "internal error"));
    write_reply(reply, res);
  });
  if (!impl_->options.static_dir.empty()) {
    // cpp-httplib refuses paths that climb out of the directory ("/../x", "%2e%2e") with a 404.
    s.set_mount_point("/", impl_->options.static_dir);
    for (const auto& [ext, type] : kStaticTypes) s.set_file_extension_and_mimetype_mapping(ext, type);
    s.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
      // Vite names the files under assets/ by their content hash: they never change, so they may
      // be kept for a year. Anything else (index.html) is revalidated, so a rebuilt page shows.
      res.set_header("Cache-Control", req.path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable"
                                                                           : "no-cache");
      res.set_header("X-Content-Type-Options", "nosniff");
    });
  }
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!impl_->options.before) return httplib::Server::HandlerResponse::Unhandled;
    auto t0 = std::chrono::steady_clock::now();
    HttpRequest r = impl_->convert(req);
    auto early = impl_->options.before(r);
    if (!early) return httplib::Server::HandlerResponse::Unhandled;
    impl_->finish(r, *early, res, t0);
    return httplib::Server::HandlerResponse::Handled;
  });
}

HttpServer::~HttpServer() = default;

void HttpServer::add(const Route& route) {
  auto [re, names] = compile_pattern(route.pattern);
  auto handler = route.handler;
  auto wrapped = [this, handler, names](const httplib::Request& req, httplib::Response& res) {
    auto t0 = std::chrono::steady_clock::now();
    HttpRequest r = impl_->convert(req);
    for (size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i) r.path_params[names[i]] = req.matches[i + 1];
    HttpReply reply = handler(r);
    impl_->finish(r, reply, res, t0);
  };
  auto& s = impl_->server;
  if (route.method == "GET") s.Get(re, wrapped);
  else if (route.method == "POST") s.Post(re, wrapped);
  else if (route.method == "DELETE") s.Delete(re, wrapped);
  else if (route.method == "OPTIONS") s.Options(re, wrapped);
  else if (route.method == "PUT") s.Put(re, wrapped);
}

Result<int> HttpServer::bind(const std::string& host, int port) {
  int bound = port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) return Error(ErrorCode::kIo, "cannot listen on " + host + ":" + std::to_string(port) + " (address in use?)");
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, 1024);
  return bound;
}

void HttpServer::run() { impl_->server.listen_after_bind(); }
void HttpServer::stop() { impl_->server.stop(); }

}  // namespace vox::server
