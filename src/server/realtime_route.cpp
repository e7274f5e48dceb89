#include "server/realtime_route.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>

#include "server/http_errors.h"
#include "vox/live/live_session.h"
#include "vox/live/realtime_protocol.h"
#include "vox/live/websocket_frames.h"

namespace vox::server {

namespace {

using realtime::ClientEvent;
using realtime::Dialect;
using realtime::ProtocolError;
using realtime::SessionConfig;

std::string new_session_id() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t salt = std::random_device{}();
  char buf[48];
  std::snprintf(buf, sizeof(buf), "sess_%06llx%08llx", static_cast<unsigned long long>(salt & 0xffffff),
                static_cast<unsigned long long>(++counter));
  return buf;
}

ProtocolError protocol_error(const Error& e, const std::string& event_id = {}) {
  ProtocolError p;
  p.type = openai_error_type(e.code);
  p.code = error_code_name(e.code);
  p.message = e.message;
  p.param = e.param;
  p.event_id = event_id;
  return p;
}

// One connection's state. The reader (the WebSocket's thread) and the LiveSession's event
// threads share it; `mu` guards the maps and the config, never a call into the session.
class RealtimeConnection {
 public:
  RealtimeConnection(ServiceContext& ctx, WebSocket& ws, service::Caller caller, Dialect dialect)
      : ctx_(ctx), ws_(ws), caller_(std::move(caller)), dialect_(dialect), events_(new_session_id()) {}

  void run() {
    auto session = LiveSession::create(ctx_.engines, ctx_.workers, live_options(config_),
                                       [this](const LiveEvent& e) { on_event(e); });
    if (!session) {
      ws_.send_text(events_.error(protocol_error(session.error())));
      ws_.close(ws::kCloseInternalError, "cannot start a live session");
      return;
    }
    {
      std::lock_guard<std::mutex> lock(life_mu_);
      session_ = std::move(*session);
    }
    const std::uint64_t registered = ctx_.live.add([this] { goodbye(); });
    decoder_ = std::make_unique<realtime::RealtimeAudioDecoder>(config_.format);
    ws_.send_text(events_.session_created(config_, dialect_));
    while (auto message = ws_.receive()) {
      if (!message->text) {
        ProtocolError e;
        e.code = "invalid_json";
        e.message = "Binary frames are not part of the Realtime API: send JSON client events as text.";
        ws_.send_text(events_.error(e));
        continue;
      }
      handle(message->data);
    }
    // The client is gone or closed: finish the committed turns (their usage is charged).
    ctx_.live.remove(registered);
    std::lock_guard<std::mutex> lock(life_mu_);
    session_->finish();
    session_.reset();
  }

  // The server is shutting down: the turns already spoken get their finals, then the client is
  // told the server is going away.
  void goodbye() {
    std::lock_guard<std::mutex> lock(life_mu_);
    if (session_) session_->finish();
    ws_.close(ws::kCloseGoingAway, "the server is shutting down");
  }

 private:
  LiveOptions live_options(const SessionConfig& c) const {
    LiveOptions o;
    o.engine = realtime::engine_for_model(
        c.model, [this](const std::string& name) { return ctx_.engines.registries().recognizers.find(name) != nullptr; });
    o.language = c.language;
    o.prompt = c.prompt;
    o.server_vad = c.server_vad;
    o.vad = c.vad;
    return o;
  }

  void handle(const std::string& text) {
    SessionConfig current;
    {
      std::lock_guard<std::mutex> lock(mu_);
      current = config_;
    }
    auto parsed = realtime::parse_client_event(text, current);
    if (parsed.error) {
      ws_.send_text(events_.error(*parsed.error));
      return;
    }
    ClientEvent& ev = *parsed.event;
    switch (ev.type) {
      case ClientEvent::Type::kSessionUpdate: {
        LiveOptions options = live_options(ev.session);
        if (Status s = session_->update(options); !s) {
          ws_.send_text(events_.error(protocol_error(s.error(), ev.event_id)));
          return;
        }
        bool new_format;
        {
          std::lock_guard<std::mutex> lock(mu_);
          new_format = ev.session.format.encoding != config_.format.encoding || ev.session.format.rate != config_.format.rate;
          config_ = ev.session;
          engine_ = options.engine.empty() ? ctx_.config.engines.asr_backend : options.engine;
        }
        if (new_format) decoder_ = std::make_unique<realtime::RealtimeAudioDecoder>(ev.session.format);
        ws_.send_text(events_.session_updated(ev.session, ev.dialect));
        return;
      }
      case ClientEvent::Type::kAppend: {
        auto samples = decoder_->decode(ev.audio);
        if (!samples) {
          ws_.send_text(events_.error(protocol_error(samples.error(), ev.event_id)));
          return;
        }
        if (samples->empty()) return;
        if (Status s = session_->append(*samples); !s) {
          auto e = protocol_error(s.error(), ev.event_id);
          if (s.error().code == ErrorCode::kTooLong) e.code = "input_audio_buffer_too_long";
          ws_.send_text(events_.error(e));
        }
        return;
      }
      case ClientEvent::Type::kCommit: {
        if (Status s = session_->commit(); !s) {
          auto e = protocol_error(s.error(), ev.event_id);
          if (s.error().code == ErrorCode::kEmptyInput) {
            e.code = "input_audio_buffer_commit_empty";
            e.message = "Error committing input audio buffer: the buffer is empty.";
          }
          ws_.send_text(events_.error(e));
        }
        return;
      }
      case ClientEvent::Type::kClear:
        session_->clear();  // the session answers with kCleared
        return;
    }
  }

  // Session events, in order, from the session's threads.
  void on_event(const LiveEvent& e) {
    switch (e.kind) {
      case LiveEvent::Kind::kSpeechStarted:
        ws_.send_text(events_.speech_started(e.item_id, e.audio_start_ms));
        return;
      case LiveEvent::Kind::kSpeechStopped:
        ws_.send_text(events_.speech_stopped(e.item_id, e.audio_end_ms));
        return;
      case LiveEvent::Kind::kCommitted: {
        std::string previous;
        {
          std::lock_guard<std::mutex> lock(mu_);
          previous = last_item_;
          last_item_ = e.item_id;
          committed_at_[e.item_id] = std::chrono::steady_clock::now();
        }
        ws_.send_text(events_.committed(e.item_id, previous));
        return;
      }
      case LiveEvent::Kind::kPartial: {
        std::string delta;
        {
          std::lock_guard<std::mutex> lock(mu_);
          std::string& sent = partial_sent_[e.item_id];
          if (e.text == sent) return;
          delta = realtime::partial_delta(sent, e.text);
          sent = e.text;
        }
        ws_.send_text(events_.delta(e.item_id, delta, e.text));
        return;
      }
      case LiveEvent::Kind::kFinal: {
        const double audio_s = std::max(0.0, (e.audio_end_ms - e.audio_start_ms) / 1000.0);
        double processing_s = 0;
        std::string engine;
        {
          std::lock_guard<std::mutex> lock(mu_);
          if (auto it = committed_at_.find(e.item_id); it != committed_at_.end()) {
            processing_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second).count();
            committed_at_.erase(it);
          }
          partial_sent_.erase(e.item_id);
          engine = engine_;
        }
        // Usage and the audio budget are charged per turn, as each turn's transcript is done.
        ctx_.gate.record_transcription(caller_.anonymous ? "" : caller_.key_id, engine, audio_s, processing_s);
        ws_.send_text(events_.completed(e.item_id, e.text, e.speaker, e.words, audio_s, e.confidence,
                                        e.audio_start_ms, e.audio_end_ms));
        if (Status s = ctx_.gate.services().access->check_audio(caller_); !s) {
          ws_.send_text(events_.error(protocol_error(s.error())));
          ws_.close(ws::kClosePolicyViolation, "audio rate limit reached");
        }
        return;
      }
      case LiveEvent::Kind::kCleared:
        ws_.send_text(events_.cleared());
        return;
      case LiveEvent::Kind::kFailed: {
        {
          std::lock_guard<std::mutex> lock(mu_);
          committed_at_.erase(e.item_id);
          partial_sent_.erase(e.item_id);
        }
        ws_.send_text(events_.failed(e.item_id, protocol_error(e.error)));
        return;
      }
    }
  }

  ServiceContext& ctx_;
  WebSocket& ws_;
  service::Caller caller_;
  Dialect dialect_;
  realtime::ServerEvents events_;
  std::mutex mu_;
  SessionConfig config_;
  std::string engine_ = ctx_.config.engines.asr_backend;
  std::string last_item_;
  std::map<std::string, std::string> partial_sent_;
  std::map<std::string, std::chrono::steady_clock::time_point> committed_at_;
  std::unique_ptr<realtime::RealtimeAudioDecoder> decoder_;  // the reader's thread only
  std::mutex life_mu_;                                       // session_'s creation, finish and reset
  std::unique_ptr<LiveSession> session_;                     // last: its events use the rest
};

HttpReply refusal(ErrorCode code, const std::string& message, const std::string& param = {}) {
  return error_reply(Error(code, message, param));
}

WebSocketReply accept(ServiceContext& ctx, const HttpRequest& req) {
  WebSocketReply reply;
  auto intent = req.query_value("intent");
  if (intent && *intent != "transcription") {
    reply.refuse = refusal(ErrorCode::kInvalidArgument, "vox serves transcription sessions: use ?intent=transcription",
                           "intent");
    return reply;
  }
  if (!intent && req.query_value("model")) {
    reply.refuse = refusal(ErrorCode::kInvalidArgument,
                           "vox serves transcription sessions only (no speech-to-speech model): connect with "
                           "?intent=transcription",
                           "model");
    return reply;
  }
  if (ctx.load_state == ServiceContext::kFailed) {
    reply.refuse = refusal(ErrorCode::kUnavailable, "the engines failed to load: " + ctx.load_error);
    return reply;
  }
  // The gate has authenticated the key already; live sessions also need its audio budget.
  auto caller = ctx.gate.caller(req);
  if (!caller) {
    reply.refuse = error_reply(caller.error());
    return reply;
  }
  if (Status s = ctx.gate.services().access->check_audio(*caller); !s) {
    reply.refuse = error_reply(s.error());
    return reply;
  }
  // Echo the `realtime` subprotocol when offered (browsers fail a handshake that answers none of
  // the protocols they offered); otherwise the first one offered.
  bool beta = req.header("OpenAI-Beta").find("realtime=v1") != std::string::npos;
  auto offered = ws::header_tokens(req.header("Sec-WebSocket-Protocol"));
  for (const auto& p : offered) {
    if (p == "realtime") reply.subprotocol = p;
    if (p == "openai-beta.realtime-v1") beta = true;
  }
  if (reply.subprotocol.empty() && !offered.empty()) reply.subprotocol = offered.front();
  reply.session = [&ctx, caller = *caller, beta](WebSocket& ws) {
    RealtimeConnection(ctx, ws, caller, beta ? Dialect::kBeta : Dialect::kGa).run();
  };
  return reply;
}

}  // namespace

WebSocketRoute realtime_route(ServiceContext& ctx) {
  WebSocketRoute route;
  route.path = "/v1/realtime";
  route.max_message_bytes = realtime::kMaxMessageBytes;
  route.handler = [&ctx](const HttpRequest& req) { return accept(ctx, req); };
  return route;
}

}  // namespace vox::server
