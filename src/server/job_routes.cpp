// Async transcription jobs: POST /v1/jobs, GET /v1/jobs/{id}[?format=], GET /v1/jobs/{id}/events
// (server-sent events), GET /v1/jobs/{id}/result (the result as a file, with renamed speakers)
// and DELETE /v1/jobs/{id}; plus transcribe_via_queue, which serves a
// synchronous transcription through the shared queue when this server runs no engines itself.
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/app.h"
#include "server/http_errors.h"
#include "vox/format/speaker_names.h"
#include "vox/jobs/transcript_codec.h"
#include "vox/jobs/transcription_job.h"

namespace vox::server {

namespace {

using Json = nlohmann::ordered_json;
using jobs::JobRecord;
using jobs::JobState;

constexpr auto kEventPoll = std::chrono::milliseconds(100);
// Proxies drop a connection that stays silent for long (nginx: 60 s); an SSE comment keeps it open.
constexpr auto kKeepAlive = std::chrono::seconds(15);

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

HttpReply json_reply(int status, const Json& j) {
  HttpReply r;
  r.status = status;
  r.body = dump(j);
  return r;
}

// The request's form fields except the upload itself.
jobs::FormFields job_fields(const HttpRequest& req, const FormField& file) {
  jobs::FormFields out;
  for (const auto& f : req.form)
    if (&f != &file) out.emplace_back(f.name, std::string(f.value));
  return out;
}

Result<TranscriptionOptions> options_of(ServiceContext& ctx, const jobs::FormFields& fields) {
  return jobs::job_options(fields, jobs::installed_recognizers(ctx.transcriber));
}

Result<const FormField*> job_upload(const HttpRequest& req) {
  if (req.form.empty())
    return Error(ErrorCode::kInvalidArgument, "expected a multipart/form-data body with a 'file' field", "file");
  const FormField* file = req.field("file");
  if (!file) return Error(ErrorCode::kInvalidArgument, "missing the 'file' field", "file");
  if (file->value.empty()) return Error(ErrorCode::kEmptyInput, "the uploaded file is empty", "file");
  return file;
}

Json optional_time(double t) { return t > 0 ? Json(t) : Json(nullptr); }

Json error_object(const Error& e) {
  return {{"message", e.message}, {"type", openai_error_type(e.code)},
          {"param", e.param.empty() ? Json(nullptr) : Json(e.param)}, {"code", error_code_name(e.code)}};
}

struct RenderedResult {
  OutputFormat format;
  std::string body;
};

// The stored transcript written in `format` (default: the job's response_format) with the job's
// own write options (timestamp granularities), speakers renamed by `names`.
Result<RenderedResult> render_body(ServiceContext& ctx, const JobRecord& job, std::optional<OutputFormat> format,
                                   const SpeakerNames& names = {}) {
  auto transcript = jobs::decode_transcript(job.result);
  if (!transcript) return transcript.error();
  rename_speakers(*transcript, names);
  TranscriptionOptions options;
  if (auto parsed = options_of(ctx, job.fields)) {
    options = std::move(*parsed);
  } else {  // valid when submitted; the engine may since have gone: the write options still apply
    for (const auto& [name, value] : job.fields) (void)set_transcription_field(options, name, value);
  }
  OutputFormat f = format.value_or(options.format);
  return RenderedResult{f, write_transcript(*transcript, f, options.write)};
}

// The result inside a job object: JSON formats are embedded as objects, the others as strings.
Result<Json> render_result(ServiceContext& ctx, const JobRecord& job, std::optional<OutputFormat> format) {
  auto rendered = render_body(ctx, job, format);
  if (!rendered) return rendered.error();
  if (std::string(output_format_content_type(rendered->format)) == "application/json") {
    Json parsed = Json::parse(rendered->body, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
  }
  return Json(rendered->body);
}

Json job_json(ServiceContext& ctx, const JobRecord& job, std::optional<OutputFormat> format = std::nullopt) {
  auto timing = jobs::job_timing(job, jobs::unix_now());
  Json j = {{"id", job.id},
            {"object", "job"},
            {"status", jobs::job_state_name(job.state)},
            {"created_at", job.created_at},
            {"started_at", optional_time(job.started_at)},
            {"finished_at", optional_time(job.finished_at)},
            {"progress", std::round(job.progress * 1000) / 1000},
            {"stage", job.stage.empty() ? Json(nullptr) : Json(job.stage)},
            {"elapsed_s", std::round(timing.elapsed_s * 1000) / 1000},
            {"eta_s", timing.eta_s ? Json(std::round(*timing.eta_s * 10) / 10) : Json(nullptr)},
            {"response_format", format ? output_format_name(*format) : job.format},
            {"attempts", job.attempts},  // > 1: restarted after a worker died
            {"error", job.state == JobState::kFailed ? error_object(job.error) : Json(nullptr)}};
  if (job.state == JobState::kSucceeded) {
    auto result = render_result(ctx, job, format);
    j["result"] = result ? *result : Json(nullptr);
    if (!result) j["error"] = error_object(result.error());
  }
  return j;
}

std::string owner_of(ServiceContext& ctx, const HttpRequest& req) { return ctx.gate.caller_key_id(req); }

std::string path_id(const HttpRequest& req) {
  auto it = req.path_params.find("id");
  return it == req.path_params.end() ? std::string() : it->second;
}

HttpReply submit(ServiceContext& ctx, const HttpRequest& req) {
  auto file = job_upload(req);
  if (!file) return error_reply(file.error());
  jobs::FormFields fields = job_fields(req, **file);
  auto options = options_of(ctx, fields);  // a bad field is a 400 now, not a failed job later
  if (!options) return error_reply(options.error());
  auto job = ctx.jobs->submit(jobs::Submission{owner_of(ctx, req), std::move(fields), output_format_name(options->format),
                                               (*file)->value});
  if (!job) return error_reply(job.error());
  HttpReply r = json_reply(202, job_json(ctx, *job));
  r.headers.emplace_back("Location", "/v1/jobs/" + job->id);
  return r;
}

Result<std::optional<OutputFormat>> format_param(const HttpRequest& req) {
  auto name = req.query_value("format");
  if (!name) name = req.query_value("response_format");
  if (!name) return std::optional<OutputFormat>();
  auto f = parse_output_format(*name);
  if (!f) return Error(ErrorCode::kInvalidArgument, f.error().message, "format");
  return std::optional<OutputFormat>(*f);
}

HttpReply get_job(ServiceContext& ctx, const HttpRequest& req) {
  auto format = format_param(req);
  if (!format) return error_reply(format.error());
  auto job = ctx.jobs->get(owner_of(ctx, req), path_id(req));
  if (!job) return error_reply(job.error());
  return json_reply(200, job_json(ctx, *job, *format));
}

// GET /v1/jobs/{id}/result?format=srt&speaker_names={"A":"Alice"}: the result as the body itself,
// for downloads; the web page's exports come from here, so cue rules exist only in the server.
HttpReply job_result(ServiceContext& ctx, const HttpRequest& req) {
  auto format = format_param(req);
  if (!format) return error_reply(format.error());
  SpeakerNames names;
  if (auto given = req.query_value("speaker_names")) {
    auto parsed = parse_speaker_names(*given);
    if (!parsed) return error_reply(parsed.error());
    names = std::move(*parsed);
  }
  auto job = ctx.jobs->get(owner_of(ctx, req), path_id(req));
  if (!job) return error_reply(job.error());
  if (job->state != JobState::kSucceeded)
    return error_reply(Error(ErrorCode::kNotFound,
                             "job " + job->id + " has no result: it is " + jobs::job_state_name(job->state), "id"));
  auto rendered = render_body(ctx, *job, *format, names);
  if (!rendered) return error_reply(rendered.error());
  HttpReply r;
  r.content_type = output_format_content_type(rendered->format);
  r.body = std::move(rendered->body);
  return r;
}

HttpReply cancel_job(ServiceContext& ctx, const HttpRequest& req) {
  auto job = ctx.jobs->cancel(owner_of(ctx, req), path_id(req));
  if (!job) return error_reply(job.error());
  return json_reply(200, job_json(ctx, *job));
}

std::string sse(const char* event, const Json& data) { return std::string("event: ") + event + "\ndata: " + dump(data) + "\n\n"; }

const char* final_event(JobState s) {
  return s == JobState::kSucceeded ? "done" : s == JobState::kCancelled ? "cancelled" : "failed";
}

HttpReply job_events(ServiceContext& ctx, const HttpRequest& req) {
  std::string owner = owner_of(ctx, req), id = path_id(req);
  auto first = ctx.jobs->get(owner, id);  // unknown jobs are a plain 404, before any streaming
  if (!first) return error_reply(first.error());
  HttpReply r;
  r.content_type = "text/event-stream";
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Accel-Buffering", "no");  // nginx: pass events through unbuffered
  r.stream = [&ctx, owner, id](const BodyWriter& write) {
    std::optional<JobRecord> last;
    auto last_write = std::chrono::steady_clock::now();
    while (!ctx.jobs->closing()) {
      auto job = ctx.jobs->get(owner, id);
      if (!job) {  // expired (TTL) or the store went away mid-stream
        write(sse("failed", {{"id", id}, {"object", "job"}, {"status", "failed"}, {"error", error_object(job.error())}}));
        return;
      }
      if (jobs::is_terminal(job->state)) {
        write(sse(final_event(job->state), job_json(ctx, *job)));
        return;
      }
      bool changed = !last || last->state != job->state || last->stage != job->stage || last->progress != job->progress;
      auto now = std::chrono::steady_clock::now();
      if (changed) {
        auto timing = jobs::job_timing(*job, jobs::unix_now());
        Json data = {{"id", id},
                     {"status", jobs::job_state_name(job->state)},
                     {"stage", job->stage.empty() ? Json(nullptr) : Json(job->stage)},
                     {"progress", std::round(job->progress * 1000) / 1000},
                     {"elapsed_s", std::round(timing.elapsed_s * 1000) / 1000},
                     {"eta_s", timing.eta_s ? Json(std::round(*timing.eta_s * 10) / 10) : Json(nullptr)}};
        if (!write(sse("progress", data))) return;
        last = std::move(*job);
        last_write = now;
      } else if (now - last_write >= kKeepAlive) {
        if (!write(": keep-alive\n\n")) return;
        last_write = now;
      }
      std::this_thread::sleep_for(kEventPoll);
    }
  };
  return r;
}

}  // namespace

Result<Transcript> transcribe_via_queue(ServiceContext& ctx, const HttpRequest& req, const FormField& file) {
  jobs::FormFields fields = job_fields(req, file);
  auto options = options_of(ctx, fields);
  if (!options) return options.error();
  std::string owner = owner_of(ctx, req);
  auto job = ctx.jobs->submit(jobs::Submission{owner, std::move(fields), output_format_name(options->format), file.value});
  if (!job) return job.error();
  // The client hanging up cancels the job, as it would cancel local work.
  CancelToken cancel = cancel_on_disconnect(req.client_connected);
  auto done = ctx.jobs->wait(owner, job->id, cancel);
  if (!done) return done.error();
  if (done->state == JobState::kFailed) return done->error;
  if (done->state == JobState::kCancelled) return Error(ErrorCode::kCancelled, "the transcription was cancelled");
  return jobs::decode_transcript(done->result);
}

std::vector<Route> job_routes(ServiceContext& ctx) {
  return {
      {"POST", "/v1/jobs", [&ctx](const HttpRequest& r) { return submit(ctx, r); }},
      {"GET", "/v1/jobs/{id}", [&ctx](const HttpRequest& r) { return get_job(ctx, r); }},
      {"GET", "/v1/jobs/{id}/events", [&ctx](const HttpRequest& r) { return job_events(ctx, r); }},
      {"GET", "/v1/jobs/{id}/result", [&ctx](const HttpRequest& r) { return job_result(ctx, r); }},
      {"DELETE", "/v1/jobs/{id}", [&ctx](const HttpRequest& r) { return cancel_job(ctx, r); }},
  };
}

}  // namespace vox::server
