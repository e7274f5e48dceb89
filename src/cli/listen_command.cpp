// vox listen URL FILE: streams a file to a Realtime (/v1/realtime?intent=transcription) server at
// real-time speed (or faster) and prints partials and finals, like a microphone would.
#include <unistd.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli.h"
#include "cli/ws_client.h"
#include "vox/audio/decoder.h"
#include "vox/core/base64.h"

namespace vox::cli {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const char* kHelp =
    "usage: vox listen [options] URL FILE\n"
    "\n"
    "Streams FILE (any audio or video file) to an OpenAI Realtime transcription server, as a\n"
    "microphone would, and prints each turn's final as '[SPEAKER] text' (partials overwrite one\n"
    "line on a terminal). URL: ws://HOST:PORT or wss://HOST:PORT (the path /v1/realtime and\n"
    "?intent=transcription are added when missing), or an http(s):// base URL.\n"
    "\n"
    "  --speed X           times real time (default 1; 0 = as fast as possible)\n"
    "  --key KEY           API key, sent as Authorization: Bearer (default $VOX_API_KEY)\n"
    "  --language L        language of the speech (e.g. en)\n"
    "  --model M           transcription model (a vox engine name such as sphinx, or an OpenAI name)\n"
    "  --manual            no server VAD: the client commits turns (at pauses, at least every 25 s)\n"
    "  --json              print every server event as one JSON line instead\n"
    "  --rate HZ           pcm16 sample rate sent (default 16000; 24000 is OpenAI's, 8000..48000)\n"
    "  --chunk-ms MS       audio per input_audio_buffer.append event, 20..100 (default 50)\n"
    "  --timeout S         seconds to wait for the last transcript after the audio (default 60)\n"
    "  --ca FILE           trust this CA certificate (PEM) for wss://\n"
    "  --insecure          skip TLS certificate verification\n"
    "\n"
    "Exit status: 0 done; 2 bad usage; 3 undecodable file; 4 no such file or route; 5 cannot\n"
    "connect (refused, TLS failure); 6 key refused, rate limited or server busy; 1 server error.\n";

struct Options {
  double speed = 1.0;
  std::string key;
  std::string language;
  std::string model;
  bool manual = false;
  bool json = false;
  int rate = 16000;
  int chunk_ms = 50;
  double timeout_s = 60;
  TlsOptions tls;
  std::string url;
  std::string file;
};

Result<double> parse_number(const std::string& name, const std::string& value) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(v))
    return Error(ErrorCode::kInvalidArgument, name + " needs a number, not '" + value + "'");
  return v;
}

Result<Options> parse_args(const std::vector<std::string>& args, bool& help) {
  Options o;
  if (const char* k = std::getenv("VOX_API_KEY")) o.key = k;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    if (name == "-h" || name == "--help") {
      help = true;
      return o;
    }
    if (name.rfind("--", 0) != 0) {
      positional.push_back(name);
      continue;
    }
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) value = name.substr(eq + 1), name = name.substr(0, eq), has_value = true;
    if (name == "--manual" || name == "--json" || name == "--insecure") {
      if (has_value) return Error(ErrorCode::kInvalidArgument, name + " takes no value");
      if (name == "--manual") o.manual = true;
      if (name == "--json") o.json = true;
      if (name == "--insecure") o.tls.verify = false;
      continue;
    }
    static const std::set<std::string> kValued = {"--speed", "--key",      "--language", "--model", "--rate",
                                                  "--chunk-ms", "--timeout", "--ca"};
    if (!kValued.count(name)) return Error(ErrorCode::kInvalidArgument, "unknown option " + name + " (see vox listen --help)");
    if (!has_value) {
      if (i + 1 >= args.size()) return Error(ErrorCode::kInvalidArgument, name + " needs a value");
      value = args[++i];
    }
    if (name == "--key") o.key = value;
    else if (name == "--language") o.language = value;
    else if (name == "--model") o.model = value;
    else if (name == "--ca") o.tls.ca_file = value;
    else {
      auto v = parse_number(name, value);
      if (!v) return v.error();
      if (name == "--speed") {
        if (*v < 0) return Error(ErrorCode::kInvalidArgument, "--speed must be 0 (as fast as possible) or more");
        o.speed = *v;
      } else if (name == "--rate") {
        if (*v < 8000 || *v > 48000 || *v != std::floor(*v))
          return Error(ErrorCode::kInvalidArgument, "--rate must be a sample rate from 8000 to 48000");
        o.rate = static_cast<int>(*v);
      } else if (name == "--chunk-ms") {
        if (*v < 20 || *v > 100) return Error(ErrorCode::kInvalidArgument, "--chunk-ms must be 20 to 100");
        o.chunk_ms = static_cast<int>(*v);
      } else if (name == "--timeout") {
        if (*v <= 0) return Error(ErrorCode::kInvalidArgument, "--timeout must be positive");
        o.timeout_s = *v;
      }
    }
  }
  if (positional.size() != 2)
    return Error(ErrorCode::kInvalidArgument, "usage: vox listen [options] URL FILE (see vox listen --help)");
  o.url = positional[0];
  o.file = positional[1];
  if (!o.tls.verify && !o.tls.ca_file.empty())
    return Error(ErrorCode::kInvalidArgument, "--insecure and --ca exclude each other");
  return o;
}

// Where --manual commits: at the quietest 20 ms within [15 s, 25 s] after the previous commit
// (the server holds at most 30 s without a commit); the end of the file always commits.
std::vector<std::size_t> manual_cuts(const std::vector<float>& s, int rate) {
  std::vector<std::size_t> cuts;
  const std::size_t frame = static_cast<std::size_t>(rate / 50);
  const std::size_t lo = static_cast<std::size_t>(15) * rate, hi = static_cast<std::size_t>(25) * rate;
  std::size_t last = 0;
  while (s.size() - last > hi) {
    std::size_t best = last + hi;
    double best_energy = 1e300;
    for (std::size_t at = last + lo; at + frame <= last + hi; at += frame) {
      double e = 0;
      for (std::size_t k = at; k < at + frame; ++k) e += double(s[k]) * s[k];
      if (e < best_energy) best_energy = e, best = at + frame / 2;
    }
    cuts.push_back(best);
    last = best;
  }
  cuts.push_back(s.size());
  return cuts;
}

std::string pcm16(const float* s, std::size_t n) {
  std::string out(n * 2, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    float v = std::clamp(s[i], -1.0f, 1.0f);
    auto x = static_cast<std::int16_t>(std::lrint(v * 32767.0f));
    out[2 * i] = static_cast<char>(x & 0xFF);
    out[2 * i + 1] = static_cast<char>((x >> 8) & 0xFF);
  }
  return out;
}

ErrorCode code_of_server_error(const std::string& code, const std::string& type) {
  if (code == "unauthorized" || code == "invalid_api_key") return ErrorCode::kUnauthorized;
  if (code.find("rate_limit") != std::string::npos || code == "rate_limited") return ErrorCode::kRateLimited;
  if (code == "model_not_found") return ErrorCode::kModelNotFound;
  if (code == "server_busy") return ErrorCode::kBusy;
  if (type == "invalid_request_error") return ErrorCode::kInvalidArgument;
  return ErrorCode::kInternal;
}

// Prints events as they come and keeps what says when the stream is done.
class Printer {
 public:
  explicit Printer(const Options& o) : json_(o.json), tty_(!o.json && isatty(STDOUT_FILENO)) {}

  // False with `fatal` set on a server error event.
  bool handle(const std::string& text, bool commit_sent) {
    last_event_ = Clock::now();
    if (json_) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fputc('\n', stdout);
      std::fflush(stdout);
    }
    json e = json::parse(text, nullptr, false);
    if (!e.is_object() || !e.contains("type") || !e["type"].is_string()) return true;
    const std::string type = e["type"].get<std::string>();
    const std::string item = e.value("item_id", std::string());
    auto end_ms = [&] {
      if (auto it = e.find("audio_end_ms"); it != e.end() && it->is_number())
        max_end_ms_ = std::max(max_end_ms_, it->get<double>());
    };
    if (type == "error") {
      const json err = e.value("error", json::object());
      const std::string code = err.is_object() && err.contains("code") && err["code"].is_string() ? err["code"].get<std::string>() : "";
      const std::string etype = err.is_object() && err.contains("type") && err["type"].is_string() ? err["type"].get<std::string>() : "";
      if (commit_sent && code == "input_audio_buffer_commit_empty") {
        commit_empty_ = true;
        return true;
      }
      std::string message = err.is_object() && err.contains("message") && err["message"].is_string()
                                ? err["message"].get<std::string>()
                                : text;
      fatal_ = Error(code_of_server_error(code, etype), "server error" + (code.empty() ? "" : " (" + code + ")") + ": " + message);
      return false;
    }
    if (type == "session.updated" || type == "transcription_session.updated") updated_ = true;
    else if (type == "input_audio_buffer.speech_started") open_.insert(item);
    else if (type == "input_audio_buffer.speech_stopped") end_ms();
    else if (type == "input_audio_buffer.committed") {
      open_.erase(item);
      committed_.insert(item);
    } else if (type == "conversation.item.input_audio_transcription.delta") {
      if (tty_) show_partial(e.value("text", std::string()));
    } else if (type == "conversation.item.input_audio_transcription.completed") {
      done_.insert(item);
      open_.erase(item);
      end_ms();
      std::string transcript = e.value("transcript", std::string());
      if (!json_) {
        if (partial_shown_) std::fputs("\r\033[K", stdout), partial_shown_ = false;
        if (!transcript.empty()) {
          std::string speaker = e.contains("speaker") && e["speaker"].is_string() ? e["speaker"].get<std::string>() : "?";
          std::printf("[%s] %s\n", speaker.c_str(), transcript.c_str());
        }
        std::fflush(stdout);
      }
    } else if (type == "conversation.item.input_audio_transcription.failed") {
      done_.insert(item);
      open_.erase(item);
      ++failed_;
      std::string message = e.contains("error") && e["error"].is_object() ? e["error"].value("message", std::string()) : "";
      if (partial_shown_) std::fputs("\r\033[K", stdout), partial_shown_ = false;
      std::fflush(stdout);
      std::fprintf(stderr, "vox: turn %s failed: %s\n", item.c_str(), message.c_str());
    }
    return true;
  }

  // Every turn that began has its final, and the audio up to its end has been heard.
  bool finished(double sent_ms) const {
    if (!open_.empty()) return false;
    for (const auto& c : committed_)
      if (!done_.count(c)) return false;
    if (commit_empty_ || max_end_ms_ >= sent_ms - 250) return true;
    return Clock::now() - last_event_ > std::chrono::seconds(3);  // the commit took no audio
  }
  std::size_t pending() const {
    std::size_t n = open_.size();
    for (const auto& c : committed_) n += done_.count(c) ? 0 : 1;
    return n;
  }

  bool updated() const { return updated_; }
  const std::optional<Error>& fatal() const { return fatal_; }
  int failed() const { return failed_; }
  void end_line() {
    if (partial_shown_) std::fputs("\r\033[K", stdout), partial_shown_ = false;
    std::fflush(stdout);
  }

 private:
  void show_partial(const std::string& text) {
    int width = 80;
    winsize ws{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) width = ws.ws_col;
    std::string shown = text;
    const std::size_t room = static_cast<std::size_t>(width - 4);
    if (shown.size() > room) {
      shown = shown.substr(shown.size() - room);
      while (!shown.empty() && (static_cast<unsigned char>(shown[0]) & 0xC0) == 0x80) shown.erase(0, 1);  // UTF-8
      shown = "…" + shown;
    }
    std::printf("\r\033[K\033[2m%s\033[0m", shown.c_str());
    std::fflush(stdout);
    partial_shown_ = !shown.empty();
  }

  bool json_, tty_;
  bool partial_shown_ = false;
  bool updated_ = false;
  bool commit_empty_ = false;
  double max_end_ms_ = -1;
  int failed_ = 0;
  std::set<std::string> open_, committed_, done_;
  std::optional<Error> fatal_;
  Clock::time_point last_event_ = Clock::now();
};

}  // namespace

int run_listen(const std::vector<std::string>& args) {
  bool help = false;
  auto parsed = parse_args(args, help);
  if (help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (!parsed) return fail(parsed.error());
  const Options& o = *parsed;
  auto url = parse_realtime_url(o.url);
  if (!url) return fail(url.error());
  if (!std::filesystem::exists(o.file)) return fail(Error(ErrorCode::kNotFound, o.file + ": no such file"));
  std::signal(SIGPIPE, SIG_IGN);

  DecodeOptions decode;
  decode.target_sample_rate = o.rate;
  auto audio = make_ffmpeg_decoder()->decode_file(o.file, decode);
  if (!audio) return fail(Error(audio.error().code, o.file + ": " + audio.error().message));
  const std::vector<float>& samples = audio->samples;

  std::vector<std::pair<std::string, std::string>> headers;
  if (!o.key.empty()) headers.emplace_back("Authorization", "Bearer " + o.key);
  auto connected = WsClient::connect(*url, o.tls, headers, 10000);
  if (!connected) return fail(connected.error());
  WsClient& ws = **connected;
  Printer printer(o);
  bool commit_sent = false;

  // Reads and prints what arrives until `until`; false when the stream must stop.
  auto pump = [&](Clock::time_point until) -> std::optional<Error> {
    for (;;) {
      std::string message;
      int wait = static_cast<int>(std::max<long long>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count()));
      auto r = ws.receive(message, wait);
      if (r == WsClient::Read::kTimeout) return std::nullopt;
      if (r == WsClient::Read::kClosed) {
        printer.end_line();
        if (printer.fatal()) return *printer.fatal();
        std::string why = !ws.close_reason().empty() ? ws.close_reason() : ws.error();
        return Error(ErrorCode::kIo, "the server closed the connection" +
                                         (ws.close_code() ? " (" + std::to_string(ws.close_code()) + ")" : std::string()) +
                                         (why.empty() ? "" : ": " + why));
      }
      if (!printer.handle(message, commit_sent)) {
        printer.end_line();
        ws.close(ws::kCloseNormal, 1000);
        return *printer.fatal();
      }
      if (Clock::now() >= until) return std::nullopt;
    }
  };

  json input = {{"format", {{"type", "audio/pcm"}, {"rate", o.rate}}},
                {"transcription", json::object()},
                {"turn_detection", o.manual ? json(nullptr) : json({{"type", "server_vad"}})}};
  if (!o.model.empty()) input["transcription"]["model"] = o.model;
  if (!o.language.empty()) input["transcription"]["language"] = o.language;
  json update = {{"type", "session.update"}, {"session", {{"type", "transcription"}, {"audio", {{"input", input}}}}}};
  if (Status s = ws.send_text(update.dump()); !s) return fail(s.error());
  const auto setup_deadline = Clock::now() + std::chrono::seconds(10);
  while (!printer.updated()) {
    if (Clock::now() >= setup_deadline) return fail(Error(ErrorCode::kIo, "no session.updated from the server within 10 s"));
    if (auto e = pump(std::min(setup_deadline, Clock::now() + std::chrono::milliseconds(50)))) return fail(*e);
  }

  // Stream: one append per chunk_ms of audio, at `speed` times real time; commits in --manual.
  const std::size_t chunk = static_cast<std::size_t>(o.rate) * o.chunk_ms / 1000;
  std::vector<std::size_t> cuts = o.manual ? manual_cuts(samples, o.rate) : std::vector<std::size_t>{samples.size()};
  const auto t0 = Clock::now();
  std::size_t pos = 0, next_cut = 0;
  while (pos < samples.size()) {
    const std::size_t n = std::min({chunk, samples.size() - pos, cuts[next_cut] - pos});
    json append = {{"type", "input_audio_buffer.append"}, {"audio", base64_encode(pcm16(samples.data() + pos, n))}};
    if (Status s = ws.send_text(append.dump()); !s) return fail(s.error());
    pos += n;
    if (o.manual && pos == cuts[next_cut] && pos < samples.size()) {
      if (Status s = ws.send_text(R"({"type":"input_audio_buffer.commit"})"); !s) return fail(s.error());
      ++next_cut;
    }
    const auto due = o.speed > 0 ? t0 + std::chrono::microseconds(static_cast<long long>(
                                            double(pos) * 1e6 / o.rate / o.speed))
                                 : Clock::now();
    if (auto e = pump(due)) return fail(*e);
  }
  if (Status s = ws.send_text(R"({"type":"input_audio_buffer.commit"})"); !s) return fail(s.error());
  commit_sent = true;
  const double sent_ms = double(samples.size()) * 1000.0 / o.rate;

  const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long long>(o.timeout_s * 1000));
  while (!printer.finished(sent_ms)) {
    if (Clock::now() >= deadline) {
      printer.end_line();
      ws.close(ws::kCloseNormal, 1000);
      return fail(Error(ErrorCode::kUnavailable, "timed out after " + std::to_string(int(o.timeout_s)) +
                                                     " s waiting for " + std::to_string(printer.pending()) +
                                                     " turn(s) to finish"));
    }
    if (auto e = pump(std::min(deadline, Clock::now() + std::chrono::milliseconds(100)))) return fail(*e);
  }
  printer.end_line();
  ws.close(ws::kCloseNormal, 2000);
  if (printer.failed() > 0)
    return fail(Error(ErrorCode::kInternal, std::to_string(printer.failed()) + " turn(s) could not be transcribed"));
  return 0;
}

}  // namespace vox::cli
