// vox worker: runs queued transcription jobs from a shared Redis queue; start any number, on any
// machines. SIGTERM/SIGINT: stop taking work, finish the running jobs, exit 0; a second signal
// hands the running jobs back to the queue instead (another worker restarts them) and exits 0.
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/cli.h"
#include "vox/audio/decoder.h"
#include "vox/core/thread_pool.h"
#include "vox/engines/registry.h"
#include "vox/jobs/job_system.h"
#include "vox/jobs/transcription_job.h"
#include "vox/service/service_config.h"
#include "vox/service/services.h"

namespace vox::cli {

namespace {

std::atomic<int> g_signals{0};
void on_signal(int) { g_signals.fetch_add(1); }

const char* kWorkerUsage =
    "usage: vox worker --queue redis://host:port [options]\n"
    "\n"
    "Runs transcription jobs queued by `vox serve --queue` on this machine's engines.\n"
    "\n"
    "Worker options:\n"
    "  --concurrency N               jobs run at once (default 1; each uses --threads engine threads) [env VOX_WORKER_CONCURRENCY]\n"
    "  --name NAME                   worker name in logs and heartbeats (default host:pid:random)\n"
    "  --redis URL                   the key store of the servers, so usage is charged to the job's key\n"
    "\n"
    "Options (flags override environment variables):\n";

Status take_worker_flags(std::vector<std::string>& args, int& concurrency, std::string& name) {
  if (const char* env = std::getenv("VOX_WORKER_CONCURRENCY"); env && *env) concurrency = std::atoi(env);
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool is_concurrency = a == "--concurrency" || a.rfind("--concurrency=", 0) == 0;
    bool is_name = a == "--name" || a.rfind("--name=", 0) == 0;
    if (!is_concurrency && !is_name) {
      rest.push_back(a);
      continue;
    }
    std::string value;
    if (auto eq = a.find('='); eq != std::string::npos) value = a.substr(eq + 1);
    else if (i + 1 < args.size()) value = args[++i];
    else return Error(ErrorCode::kInvalidArgument, a + " needs a value", a);
    if (is_name) {
      name = value;
    } else {
      char* end = nullptr;
      long n = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end || n < 1 || n > 256)
        return Error(ErrorCode::kInvalidArgument, "--concurrency must be an integer in 1..256, got '" + value + "'", "concurrency");
      concurrency = int(n);
    }
  }
  if (concurrency < 1) return Error(ErrorCode::kInvalidArgument, "VOX_WORKER_CONCURRENCY must be at least 1", "concurrency");
  args = std::move(rest);
  return Status::Ok();
}

}  // namespace

int run_worker(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::printf("%s%s%s", kWorkerUsage, config_options_help().c_str(), jobs::jobs_options_help().c_str());
      return 0;
    }
  }
  Config config;
  std::vector<std::string> rest;
  if (Status s = load_config(config, args, rest); !s) return fail(s.error());
  jobs::JobsConfig jc = jobs::jobs_config_from(config);
  if (Status s = jobs::apply_jobs_environment(jc, [](const char* n) { return std::getenv(n); }); !s) return fail(s.error());
  std::vector<std::string> after_jobs, unknown;
  if (Status s = jobs::apply_jobs_flags(jc, rest, after_jobs); !s) return fail(s.error());
  service::ServiceConfig sc = service::service_config_from(config);
  if (Status s = service::apply_service_environment(sc, [](const char* n) { return std::getenv(n); }); !s) return fail(s.error());
  if (Status s = service::apply_service_flags(sc, after_jobs, unknown); !s) return fail(s.error());
  int concurrency = 1;
  std::string name;
  if (Status s = take_worker_flags(unknown, concurrency, name); !s) return fail(s.error());
  if (!unknown.empty())
    return fail(Error(ErrorCode::kInvalidArgument, "unknown option '" + unknown[0] + "' (see vox worker --help)"));
  if (!jc.shared())
    return fail(Error(ErrorCode::kInvalidArgument, "vox worker needs a shared queue: --queue redis://host:port (or VOX_QUEUE)"));

  auto backends = jobs::open_job_backends(jc);
  if (!backends) return fail(backends.error());
  // Usage is charged in the servers' key store when it is shared (Redis); a worker has no SQLite
  // file of the servers' to write to.
  std::unique_ptr<service::Services> services;
  if (!sc.redis_url.empty()) {
    auto opened = service::open_services(sc);
    if (!opened) return fail(opened.error());
    services = std::move(*opened);
  }

  EngineHost engines(config);
  if (Status s = engines.text().load_rules(); !s) return fail(s.error());
  ThreadPool threads(config.engines.threads);
  auto decoder = make_ffmpeg_decoder();
  Transcriber transcriber(engines, threads, *decoder);
  // Load before taking work: a worker whose engines cannot load would only fail every job.
  auto asr = engines.default_recognizer();
  if (!asr) return fail(asr.error());
  auto vad = engines.default_vad();
  if (!vad) return fail(vad.error());

  jobs::WorkerOptions w;
  w.name = name;
  w.concurrency = concurrency;
  w.lease = std::chrono::milliseconds(std::llround(jc.lease_s * 1000));
  w.log = [](const std::string& line) {
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  };
  if (services)
    w.on_finished = [&services](const jobs::JobRecord& job, const jobs::JobOutcome&, const jobs::JobResult* result,
                                double seconds) {
      if (result) services->access->record_transcription(job.owner, result->engine, result->audio_seconds, seconds);
    };
  jobs::JobWorkerPool pool(*backends, jobs::make_transcription_executor(transcriber), std::move(w));

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  pool.start();
  std::fprintf(stderr, "vox %s worker running %d job(s) at once (asr=%s, threads=%d)\n", VOX_VERSION, concurrency,
               config.engines.asr_backend.c_str(), config.engines.threads);
  std::fflush(stderr);

  while (g_signals.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::fprintf(stderr, "vox: worker stopping: finishing %d running job(s); signal again to hand them back\n",
               pool.running());
  std::fflush(stderr);
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    pool.stop(true);
    stopped = true;
  });
  while (!stopped) {
    if (g_signals.load() >= 2) pool.hand_back_running();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stopper.join();
  std::fprintf(stderr, "vox: worker stopped\n");
  return 0;
}

}  // namespace vox::cli
