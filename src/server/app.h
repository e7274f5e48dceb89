// vox serve: the engines, worker pool and routes behind one HTTP server.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/gate.h"
#include "server/http_types.h"
#include "server/httplib_adapter.h"
#include "vox/audio/decoder.h"
#include "vox/core/admission.h"
#include "vox/core/config.h"
#include "vox/core/thread_pool.h"
#include "vox/engines/registry.h"
#include "vox/pipeline/speech_service.h"
#include "vox/jobs/job_system.h"
#include "vox/pipeline/transcriber.h"

namespace vox::server {

// The open live (WebSocket) sessions, so that a graceful shutdown can finish each one's turns
// and say goodbye (close code 1001) instead of cutting it off.
class LiveSessions {
 public:
  // `goodbye` finishes the session's committed turns, then closes it; returns the entry's id.
  std::uint64_t add(std::function<void()> goodbye);
  void remove(std::uint64_t id);  // waits while close_all() is saying goodbye
  void close_all();
  std::size_t open();

 private:
  std::mutex mu_;
  std::map<std::uint64_t, std::function<void()>> open_;
  std::uint64_t next_ = 0;
};

// Everything a route handler may use. Owned by App; handlers hold a reference.
struct ServiceContext {
  ServiceContext(const Config& config, std::unique_ptr<service::Services> services);

  Config config;
  EngineHost engines;
  ThreadPool workers;
  std::unique_ptr<AudioDecoder> decoder;
  Transcriber transcriber;
  Admission admission;
  SpeechService speech;
  std::unique_ptr<service::Services> services;  // keys, usage, limits, CORS, metrics
  Gate gate;
  std::unique_ptr<jobs::JobSystem> jobs;  // async jobs: in-process, or a queue shared with `vox worker`s
  LiveSessions live;
  enum LoadState { kLoading = 0, kReady = 1, kFailed = 2 };
  std::atomic<int> load_state{kLoading};
  std::string load_error;  // why the default engines failed; written before load_state turns kFailed
};

// A token that fires when the HTTP client goes away (`client_connected` may be empty).
inline CancelToken cancel_on_disconnect(const std::function<bool()>& client_connected) {
  CancelToken cancel;
  if (client_connected) cancel.set_probe([client_connected] { return !client_connected(); });
  return cancel;
}

std::vector<Route> meta_routes(ServiceContext& ctx);
std::vector<Route> transcription_routes(ServiceContext& ctx);
std::vector<Route> speech_routes(ServiceContext& ctx);
std::vector<Route> job_routes(ServiceContext& ctx);
// POST /v1/audio/transcriptions behind a shared queue: a worker runs it, this request waits.
Result<Transcript> transcribe_via_queue(ServiceContext& ctx, const HttpRequest& req, const FormField& file);

class App {
 public:
  // `jobs` null: in-process jobs under config.data_dir.
  App(const Config& config, std::unique_ptr<service::Services> services,
      std::unique_ptr<jobs::JobSystem> jobs = nullptr);
  ~App();
  // Binds the port (0 = a free one) and starts loading the default engines in the background.
  Result<int> start();
  void run();   // blocks until stop()
  void stop();
  // Graceful shutdown: new requests get 503 + Retry-After; the requests in flight (and streamed
  // replies) finish, job event streams end; returns when all are done, after `timeout`, or when
  // `give_up` says so. Call stop() after it.
  void drain(std::chrono::seconds timeout, const std::function<bool()>& give_up);
  ServiceContext& context() { return *ctx_; }

 private:
  std::unique_ptr<ServiceContext> ctx_;
  std::unique_ptr<HttpServer> http_;
  std::thread loader_;
};

}  // namespace vox::server
