// POST /v1/audio/speech (OpenAI), POST /speak (older services), GET /v1/audio/voices.
#include <chrono>
#include <nlohmann/json.hpp>

#include "server/app.h"
#include "server/http_errors.h"
#include "server/speech_request.h"
#include "vox/core/base64.h"

namespace vox::server {

namespace {

Result<nlohmann::json> json_body(const HttpRequest& req) {
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Error(ErrorCode::kInvalidArgument, "expected a JSON object body");
  return j;
}

// SSE framing of OpenAI's speech stream: speech.audio.delta events, then speech.audio.done.
std::string sse_event(const nlohmann::json& data) { return "data: " + data.dump() + "\n\n"; }

HttpReply speech(ServiceContext& ctx, const HttpRequest& req) {
  auto j = json_body(req);
  if (!j) return error_reply(j.error());
  auto request = parse_speech(*j, "input", "mp3");
  if (!request) return error_reply(request.error());
  auto stream_format = string_field(*j, "stream_format", "audio");
  if (!stream_format) return error_reply(stream_format.error());
  if (*stream_format != "audio" && *stream_format != "sse")
    return error_reply(Error(ErrorCode::kInvalidArgument, "stream_format must be audio or sse", "stream_format"));
  auto plan = ctx.speech.prepare(*request);
  if (!plan) return error_reply(plan.error());
  // Synthesis is engine work like a transcription: it waits for (or is refused) a slot, and
  // holds it until the stream's last byte, since the stream is where the engine runs.
  auto ticket = ctx.admission.enter(cancel_on_disconnect(req.client_connected));
  if (!ticket) return error_reply(ticket.error());

  HttpReply reply;
  auto probe = req.client_connected;
  auto shared_plan = std::make_shared<SpeechPlan>(std::move(*plan));
  auto held = std::make_shared<Admission::Ticket>(std::move(*ticket));
  // Charged when the stream ends, with what was actually made.
  auto account = [&ctx, key = ctx.gate.caller_key_id(req), t0 = std::chrono::steady_clock::now()](
                     const SpeechPlan& p, double audio_s) {
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ctx.gate.record_speech(key, p.engine->name(), p.characters, audio_s, took);
  };
  if (*stream_format == "sse") {
    reply.content_type = "text/event-stream";
    reply.headers.emplace_back("Cache-Control", "no-cache");
    reply.stream = [&ctx, shared_plan, probe, account, held](const BodyWriter& write) {
      CancelToken cancel = cancel_on_disconnect(probe);
      auto s = ctx.speech.stream(*shared_plan, [&](std::string_view bytes) {
        return write(sse_event({{"type", "speech.audio.delta"}, {"audio", base64_encode(bytes)}}));
      }, cancel);
      if (!s) {
        write(sse_event({{"type", "error"}, {"error", nlohmann::json::parse(error_json(s.error()))["error"]}}));
        return;
      }
      account(*shared_plan, *s);
      size_t chars = shared_plan->characters;
      write(sse_event({{"type", "speech.audio.done"},
                       {"usage", {{"input_tokens", chars}, {"output_tokens", 0}, {"total_tokens", chars}}}}));
    };
  } else {
    reply.content_type = audio_format_content_type(shared_plan->format);
    reply.stream = [&ctx, shared_plan, probe, account, held](const BodyWriter& write) {
      CancelToken cancel = cancel_on_disconnect(probe);
      auto s = ctx.speech.stream(*shared_plan, write, cancel);
      if (s) account(*shared_plan, *s);
      else if (s.error().code != ErrorCode::kCancelled)
        std::fprintf(stderr, "vox: speech failed mid-stream: %s\n", s.error().message.c_str());
    };
  }
  return reply;
}

HttpReply legacy_speak(ServiceContext& ctx, const HttpRequest& req) {
  auto j = json_body(req);
  if (!j) return error_reply(j.error());
  auto request = parse_speech(*j, "text", "wav");
  if (!request) return error_reply(request.error());
  request->format = "wav";
  auto plan = ctx.speech.prepare(*request);
  if (!plan) return error_reply(plan.error());
  auto ticket = ctx.admission.enter(cancel_on_disconnect(req.client_connected));
  if (!ticket) return error_reply(ticket.error());
  auto t0 = std::chrono::steady_clock::now();
  auto audio = ctx.speech.synthesize_all(*plan, cancel_on_disconnect(req.client_connected));
  if (!audio) return error_reply(audio.error());
  ctx.gate.record_speech(ctx.gate.caller_key_id(req), plan->engine->name(), plan->characters, audio->duration(),
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  HttpReply reply;
  reply.content_type = "audio/wav";
  reply.body = wav_bytes(*audio);
  return reply;
}

HttpReply voices(ServiceContext& ctx) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : ctx.speech.voices()) {
    nlohmann::json item = {{"id", v.name}, {"name", v.name}, {"engine", v.engine}, {"language", v.language},
                           {"sample_rate", v.sample_rate}};
    item["gender"] = v.gender.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.gender);
    list.push_back(item);
  }
  nlohmann::json aliases = nlohmann::json::object();
  for (const auto& [alias, voice] : openai_voice_aliases()) aliases[alias] = voice;
  HttpReply reply;
  reply.body = nlohmann::json{{"object", "list"}, {"data", list}, {"openai_aliases", aliases}}.dump();
  return reply;
}

}  // namespace

std::vector<Route> speech_routes(ServiceContext& ctx) {
  return {
      {"POST", "/v1/audio/speech", [&ctx](const HttpRequest& r) { return speech(ctx, r); }},
      {"POST", "/speak", [&ctx](const HttpRequest& r) { return legacy_speak(ctx, r); }},
      {"GET", "/v1/audio/voices", [&ctx](const HttpRequest&) { return voices(ctx); }},
  };
}

}  // namespace vox::server
