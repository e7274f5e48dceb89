// POST /v1/audio/transcriptions (OpenAI) and POST /transcribe (the older services' route).
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "server/app.h"
#include "server/http_errors.h"
#include "vox/pipeline/request_fields.h"

namespace vox::server {

namespace {

// Form fields → native options; `file_field` is the upload's field name.
Result<TranscriptionOptions> parse_form(const HttpRequest& req, const std::string& file_field, ServiceContext& ctx) {
  TranscriptionOptions options;
  for (const auto& f : req.form) {
    if (f.name == file_field) {
      // RTTM names the recording; the upload's file name is what scorers pair it with.
      if (!f.filename.empty()) options.write.recording_id = std::filesystem::path(f.filename).stem().string();
      continue;
    }
    Status s = set_transcription_field(options, f.name, f.value);
    if (!s) return s.error();
  }
  Status s = finish_transcription_options(options, [&ctx](const std::string& name) {
    return ctx.engines.registries().recognizers.find(name) != nullptr;
  });
  if (!s) return s.error();
  return options;
}

Result<const FormField*> upload(const HttpRequest& req, const std::string& file_field) {
  if (req.form.empty())
    return Error(ErrorCode::kInvalidArgument, "expected a multipart/form-data body with a '" + file_field + "' field",
                 file_field);
  const FormField* file = req.field(file_field);
  if (!file) return Error(ErrorCode::kInvalidArgument, "missing the '" + file_field + "' field", file_field);
  if (file->value.empty()) return Error(ErrorCode::kEmptyInput, "the uploaded file is empty", file_field);
  return file;
}

// Runs one transcription under admission control, cancelled if the client disconnects.
Result<Transcript> run_transcription(ServiceContext& ctx, const HttpRequest& req, const FormField& file,
                                     const TranscriptionOptions& options) {
  // Behind a shared queue (serve --queue) workers run the engines, and charge the key's usage.
  if (ctx.jobs && ctx.jobs->shared()) return transcribe_via_queue(ctx, req, file);
  auto t0 = std::chrono::steady_clock::now();
  CancelToken cancel = cancel_on_disconnect(req.client_connected);
  auto ticket = ctx.admission.enter(cancel);
  if (!ticket) return ticket.error();
  AudioInput input;
  input.bytes = file.value;
  auto transcript = ctx.transcriber.transcribe(input, options.request, nullptr, cancel);
  if (transcript)
    ctx.gate.record_transcription(ctx.gate.caller_key_id(req), transcript->engine, transcript->duration,
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return transcript;
}

// stream=true: everything that can fail with an HTTP status (the upload, the reference clips,
// admission) is settled first; the events follow once the transcript exists, since speakers are
// only final when diarization has seen the whole recording.
HttpReply streamed_transcription(ServiceContext& ctx, const HttpRequest& req, const FormField& file,
                                 const TranscriptionOptions& options) {
  CancelToken cancel = cancel_on_disconnect(req.client_connected);
  auto ticket = ctx.admission.enter(cancel);
  if (!ticket) return error_reply(ticket.error());
  auto request = ctx.transcriber.with_decoded_references(options.request, cancel);
  if (!request) return error_reply(request.error());
  AudioInput input;
  input.bytes = file.value;
  auto audio = ctx.transcriber.decode(input, nullptr, cancel);
  if (!audio) return error_reply(audio.error());
  struct Work {
    Admission::Ticket ticket;
    AudioBuffer audio;
    TranscriptionRequest request;
  };
  auto work = std::make_shared<Work>(Work{std::move(*ticket), std::move(*audio), std::move(*request)});
  HttpReply reply;
  reply.content_type = "text/event-stream";
  reply.headers.emplace_back("Cache-Control", "no-cache");
  reply.stream = [&ctx, work, cancel, format = options.format, key = ctx.gate.caller_key_id(req)](const BodyWriter& write) {
    auto t0 = std::chrono::steady_clock::now();
    auto transcript = ctx.transcriber.transcribe_audio(work->audio, work->request, nullptr, cancel);
    if (!transcript) {
      write("data: " + error_json(transcript.error()) + "\n\n");
      return;
    }
    ctx.gate.record_transcription(key, transcript->engine, transcript->duration,
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    for (const auto& event : transcript_stream_events(*transcript, format))
      if (!write("data: " + event + "\n\n")) return;
  };
  return reply;
}

HttpReply transcriptions(ServiceContext& ctx, const HttpRequest& req) {
  auto file = upload(req, "file");
  if (!file) return error_reply(file.error());
  auto options = parse_form(req, "file", ctx);
  if (!options) return error_reply(options.error());
  if (options->stream) return streamed_transcription(ctx, req, **file, *options);
  auto transcript = run_transcription(ctx, req, **file, *options);
  if (!transcript) return error_reply(transcript.error());
  HttpReply r;
  r.content_type = output_format_content_type(options->format);
  r.body = write_transcript(*transcript, options->format, options->write);
  return r;
}

// POST /v1/audio/diarization: who spoke when, without recognition; json or rttm.
HttpReply diarization(ServiceContext& ctx, const HttpRequest& req) {
  auto file = upload(req, "file");
  if (!file) return error_reply(file.error());
  auto options = parse_form(req, "file", ctx);
  if (!options) return error_reply(options.error());
  if (options->format != OutputFormat::kJson && options->format != OutputFormat::kRttm)
    return error_reply(Error(ErrorCode::kInvalidArgument, "diarization answers json or rttm", "response_format"));
  CancelToken cancel = cancel_on_disconnect(req.client_connected);
  auto ticket = ctx.admission.enter(cancel);
  if (!ticket) return error_reply(ticket.error());
  AudioInput input;
  input.bytes = (*file)->value;
  auto t0 = std::chrono::steady_clock::now();
  auto result = ctx.transcriber.diarize(input, options->request, nullptr, cancel);
  if (!result) return error_reply(result.error());
  // Metered like a transcription: the audio counts against the key's usage and limits.
  ctx.gate.record_transcription(ctx.gate.caller_key_id(req), result->engine, result->duration,
                                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  HttpReply r;
  r.content_type = output_format_content_type(options->format);
  r.body = options->format == OutputFormat::kRttm ? write_rttm(*result, options->write) : write_diarization_json(*result);
  return r;
}

HttpReply legacy_transcribe(ServiceContext& ctx, const HttpRequest& req) {
  auto t0 = std::chrono::steady_clock::now();
  auto file = upload(req, "audio");
  if (!file) return error_reply(file.error());
  auto options = parse_form(req, "audio", ctx);
  if (!options) return error_reply(options.error());
  auto transcript = run_transcription(ctx, req, **file, *options);
  if (!transcript) return error_reply(transcript.error());
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& s : transcript->segments) {
    nlohmann::json seg = {{"start", s.start}, {"end", s.end}, {"text", s.text}};
    if (!s.speaker.empty()) seg["speaker"] = s.speaker;
    segments.push_back(seg);
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  nlohmann::json j = {{"text", transcript->text},          {"segments", segments},
                      {"duration", transcript->duration},  {"processing_ms", std::round(ms)},
                      {"backend", transcript->engine}};
  HttpReply r;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace

std::vector<Route> transcription_routes(ServiceContext& ctx) {
  return {
      {"POST", "/v1/audio/transcriptions", [&ctx](const HttpRequest& r) { return transcriptions(ctx, r); }},
      {"POST", "/v1/audio/diarization", [&ctx](const HttpRequest& r) { return diarization(ctx, r); }},
      {"POST", "/transcribe", [&ctx](const HttpRequest& r) { return legacy_transcribe(ctx, r); }},
  };
}

}  // namespace vox::server
