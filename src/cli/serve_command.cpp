// vox serve: starts the HTTP server and runs until SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/cli.h"
#include "server/app.h"
#include "server/wyoming_server.h"
#include "vox/jobs/job_system.h"
#include "vox/service/service_config.h"

namespace vox::cli {

namespace {

// SIGTERM / SIGINT: the first drains (requests in flight finish, new ones get 503), a second
// stops at once.
std::atomic<int> g_signals{0};
void on_signal(int) { ++g_signals; }

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The web page's build output (web/dist, made by scripts/setup): under the working directory, next
// to the binary's source tree (<repo>/build/vox → <repo>/web/dist, whatever the working directory),
// or in the installed share dir.
std::string default_static_dir() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates = {"web/dist", "../web/dist"};
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    fs::path bin = exe.parent_path();
    for (const char* rel : {"../web/dist", "../../web/dist", "../share/vox/web"}) candidates.push_back(bin / rel);
  }
  candidates.emplace_back("/usr/share/vox/web");
  for (const auto& p : candidates) {
    if (!fs::is_regular_file(p / "index.html", ec)) continue;
    fs::path dir = fs::weakly_canonical(fs::absolute(p), ec);
    return (ec ? fs::absolute(p) : dir).string();
  }
  return {};
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::printf("usage: vox serve [options]\n\nOptions (flags override environment variables):\n%s%s%s",
                  config_options_help().c_str(), service::service_options_help().c_str(),
                  jobs::jobs_options_help().c_str());
      return 0;
    }
  }
  Config config;
  std::vector<std::string> rest;
  if (Status s = load_config(config, args, rest); !s) return fail(s.error());
  service::ServiceConfig sc = service::service_config_from(config);
  std::vector<std::string> unknown;
  if (Status s = service::apply_service_environment(sc, [](const char* n) { return std::getenv(n); }); !s) return fail(s.error());
  if (Status s = service::apply_service_flags(sc, rest, unknown); !s) return fail(s.error());
  jobs::JobsConfig jc = jobs::jobs_config_from(config);
  if (Status s = jobs::apply_jobs_environment(jc, [](const char* n) { return std::getenv(n); }); !s) return fail(s.error());
  std::vector<std::string> not_jobs;
  if (Status s = jobs::apply_jobs_flags(jc, unknown, not_jobs); !s) return fail(s.error());
  unknown = std::move(not_jobs);
  if (!unknown.empty())
    return fail(Error(ErrorCode::kInvalidArgument, "unknown option '" + unknown[0] + "' (see vox serve --help)"));
  auto services = service::open_services(sc);
  if (!services) return fail(services.error());
  auto has_keys = (*services)->keys->has_keys();
  if (!has_keys) return fail(has_keys.error());
  if (!*has_keys && !is_loopback(config.server.host) && !config.server.insecure_no_auth) {
    return fail(Error(ErrorCode::kInvalidArgument,
                      "refusing to serve " + config.server.host +
                          " without API keys; create one with `vox keys create`, bind 127.0.0.1, or pass --insecure-no-auth"));
  }
  // Wyoming has no authentication in the protocol: API keys do not protect it.
  if (config.server.wyoming_port > 0 && !is_loopback(config.server.host) && !config.server.insecure_no_auth) {
    return fail(Error(ErrorCode::kInvalidArgument,
                      "refusing to serve the Wyoming protocol on " + config.server.host +
                          ": it has no authentication (API keys do not apply); bind 127.0.0.1 or pass --insecure-no-auth"));
  }
  if (config.server.static_dir.empty()) config.server.static_dir = default_static_dir();

  auto job_system = jobs::JobSystem::open(jc);
  if (!job_system) return fail(job_system.error());
  server::App app(config, std::move(*services), std::move(*job_system));
  auto port = app.start();
  if (!port) return fail(port.error());
  std::unique_ptr<server::WyomingServer> wyoming;
  if (config.server.wyoming_port > 0) {
    server::WyomingServerOptions wo;
    wo.host = config.server.host;
    wo.port = config.server.wyoming_port;
    wo.idle_timeout_s = config.server.http_timeout_s;
    wyoming = std::make_unique<server::WyomingServer>(app.context(), wo);
    auto wport = wyoming->start();
    if (!wport) return fail(wport.error());
    std::fprintf(stderr, "vox: Wyoming protocol on tcp://%s:%d%s\n", config.server.host.c_str(), *wport,
                 is_loopback(config.server.host) ? "" : " (WARNING: no authentication: anyone who can reach it can use it)");
  }
  std::fprintf(stderr, "vox %s listening on %s://%s:%d (asr=%s, threads=%d)\n", VOX_VERSION,
               config.server.tls_cert.empty() ? "http" : "https", config.server.host.c_str(), *port, config.engines.asr_backend.c_str(), config.engines.threads);
  if (jc.shared())
    std::fprintf(stderr, "vox: jobs queue %s, %d local worker(s)%s\n",
                 jc.queue_url.find('@') == std::string::npos ? jc.queue_url.c_str() : "redis://***", jc.effective_local_workers(),
                 jc.effective_local_workers() == 0 ? ": start `vox worker` processes to run them" : "");
  if (!jc.shared() && jc.effective_local_workers() == 0)
    std::fprintf(stderr, "vox: WARNING: --local-workers 0 without --queue: POST /v1/jobs jobs will never run\n");
  if (!*has_keys)
    std::fprintf(stderr, is_loopback(config.server.host)
                             ? "vox: no API keys configured: serving loopback only, without authentication\n"
                             : "vox: WARNING: no API keys configured and --insecure-no-auth given: anyone can call this server\n");
  std::fflush(stderr);

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread watcher([&app, timeout = config.server.shutdown_timeout_s] {
    while (g_signals == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (g_signals == 1) {
      std::fprintf(stderr, "vox: shutting down: finishing requests in flight (up to %d s; again to stop now)\n", timeout);
      app.drain(std::chrono::seconds(timeout), [] { return g_signals >= 2; });
    }
    app.stop();
  });
  app.run();
  g_signals += 2;  // run() also ends without a signal (the listener failed): release the watcher
  watcher.join();
  if (wyoming) wyoming->stop();
  std::fprintf(stderr, "vox: stopped\n");
  return 0;
}

}  // namespace vox::cli
