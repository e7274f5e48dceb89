#include "server/app.h"

#include <cstdio>
#include <filesystem>

#include "server/http_errors.h"
#include "server/realtime_route.h"
#include "vox/jobs/transcription_job.h"

namespace vox::server {

ServiceContext::ServiceContext(const Config& c, std::unique_ptr<service::Services> s)
    : config(c),
      engines(c),
      workers(c.engines.threads),
      decoder(make_ffmpeg_decoder()),
      transcriber(engines, workers, *decoder),
      admission(c.limits.max_inflight, c.limits.max_queue),
      speech(engines),
      services(std::move(s)),
      gate(*services) {}

App::App(const Config& config, std::unique_ptr<service::Services> services, std::unique_ptr<jobs::JobSystem> jobs)
    : ctx_(std::make_unique<ServiceContext>(config, std::move(services))) {
  if (!jobs) {  // in-process adapters cannot fail to open
    auto opened = jobs::JobSystem::open(jobs::jobs_config_from(config));
    if (opened) jobs = std::move(*opened);
  }
  ctx_->jobs = std::move(jobs);
  AdapterOptions options;
  options.threads = config.server.http_threads;
  options.max_body_bytes = config.limits.max_upload_bytes;
  options.io_timeout_s = config.server.http_timeout_s;
  options.static_dir = config.server.static_dir;
  options.tls_cert = config.server.tls_cert;  // HTTPS and WSS on the same port
  options.tls_key = config.server.tls_key;
  if (!options.static_dir.empty() && !std::filesystem::is_directory(options.static_dir)) options.static_dir.clear();
  Gate& gate = ctx_->gate;
  options.before = [&gate](const HttpRequest& r) { return gate.before(r); };
  options.after = [&gate](const HttpRequest& r, HttpReply& reply) { gate.after(r, reply); };
  options.on_complete = [&gate](const HttpRequest& r, int status, double seconds) {
    gate.on_complete(r, status, seconds);
    std::fprintf(stderr, "{\"level\":\"info\",\"request_id\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"ms\":%.1f}\n",
                 r.request_id.c_str(), r.method.c_str(), r.path.c_str(), status, seconds * 1000);
  };
  http_ = std::make_unique<HttpServer>(std::move(options));
  auto& metrics = ctx_->services->metrics;
  for (auto group : {meta_routes(*ctx_), transcription_routes(*ctx_), speech_routes(*ctx_), job_routes(*ctx_),
                     usage_routes(gate), metrics_routes(ctx_->services->registry)}) {
    for (auto& r : group) {
      metrics.add_route(r.pattern);  // requests are labelled by pattern, never by raw path
      http_->add(r);
    }
  }
  // OpenAI Realtime transcription sessions: WebSocket on the same port.
  auto realtime = realtime_route(*ctx_);
  metrics.add_route(realtime.path);
  http_->add_websocket(realtime);
  metrics.set_inflight_sampler([ctx = ctx_.get()] { return double(ctx->admission.running()); });
  metrics.set_queue_depth_sampler([ctx = ctx_.get()] { return double(ctx->admission.waiting()); });
  metrics.set_workers_sampler([ctx = ctx_.get()] { return double(ctx->workers.size()); });
  metrics.set_jobs_sampler([ctx = ctx_.get()] { return ctx->jobs->counts(); });
}

App::~App() {
  stop();
  if (loader_.joinable()) loader_.join();
}

Result<int> App::start() {
  // A bad --text-rules file stops the server now rather than failing every transcription.
  if (Status s = ctx_->engines.text().load_rules(); !s) return s.error();
  auto port = http_->bind(ctx_->config.server.host, ctx_->config.server.port);
  if (!port) return port;
  const int local_workers = ctx_->jobs->config().effective_local_workers();
  if (local_workers > 0) {
    jobs::WorkerOptions w;
    w.concurrency = local_workers;
    w.on_finished = [ctx = ctx_.get()](const jobs::JobRecord& job, const jobs::JobOutcome&, const jobs::JobResult* result,
                                       double seconds) {
      if (result) ctx->gate.record_transcription(job.owner, result->engine, result->audio_seconds, seconds);
    };
    w.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    ctx_->jobs->start_workers(jobs::make_transcription_executor(ctx_->transcriber), std::move(w));
  }
  if (ctx_->jobs->shared() && local_workers == 0) {
    // Workers elsewhere run the engines; loading them here would only cost memory.
    ctx_->load_state = ServiceContext::kReady;
    return port;
  }
  // Load the default engines off the request path; /ready turns 200 when they are up.
  loader_ = std::thread([ctx = ctx_.get()] {
    auto asr = ctx->engines.default_recognizer();
    auto vad = ctx->engines.default_vad();
    if (asr && vad) {
      ctx->load_state = ServiceContext::kReady;
      return;
    }
    ctx->load_error = !asr ? asr.error().message : vad.error().message;
    ctx->load_state = ServiceContext::kFailed;
    std::fprintf(stderr, "vox: engines failed to load: %s\n", ctx->load_error.c_str());
  });
  return port;
}

void App::run() { http_->run(); }

std::uint64_t LiveSessions::add(std::function<void()> goodbye) {
  std::lock_guard<std::mutex> lock(mu_);
  open_.emplace(++next_, std::move(goodbye));
  return next_;
}

void LiveSessions::remove(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(id);
}

void LiveSessions::close_all() {
  std::lock_guard<std::mutex> lock(mu_);  // sessions ending meanwhile wait in remove()
  for (auto& [id, goodbye] : open_) goodbye();
}

std::size_t LiveSessions::open() {
  std::lock_guard<std::mutex> lock(mu_);
  return open_.size();
}

void App::drain(std::chrono::seconds timeout, const std::function<bool()>& give_up) {
  ctx_->gate.set_draining();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto wait_until = [&](const std::function<bool()>& done) {
    while (!done() && std::chrono::steady_clock::now() < deadline && !(give_up && give_up()))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  // Live sessions: their committed turns are finished and sent, then they are closed (1001).
  ctx_->live.close_all();
  wait_until([&] { return ctx_->live.open() == 0; });
  // Engine work first: synchronous transcriptions, speech streams and their queues.
  wait_until([&] { return ctx_->admission.running() + ctx_->admission.waiting() == 0; });
  // Job event streams last as long as their jobs; end them, then let the rest finish.
  if (ctx_->jobs) ctx_->jobs->close();
  wait_until([&] { return http_->active() == 0; });
}
void App::stop() {
  if (ctx_ && ctx_->jobs) ctx_->jobs->close();  // ends event streams and waits, so HTTP threads can exit
  if (http_) http_->stop();
}

}  // namespace vox::server
