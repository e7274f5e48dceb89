// LiveSession: the client's calls (append, commit, clear, update, finish) only queue commands;
// the session's work runs on the shared ThreadPool as a strand (at most one drain task per
// session at a time), so events come out one at a time and in order, and append() returns at
// once. The drain feeds Silero window by window, opens a turn when speech starts (with
// prefix_padding_ms of the audio before it), feeds the turn to the engine's incremental decoder
// (sphinx) for partials, and decodes the turn when it ends: final words, the session's speaker
// for it, the text stage.
#include "vox/live/live_session.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "vox/core/thread_pool.h"
#include "vox/engines/registry.h"
#include "vox/live/live_speakers.h"
#include "vox/live/streaming_vad.h"

namespace vox {

namespace {

constexpr double kRate = 16000.0;
constexpr std::size_t kPiece = 8000;          // audio handled per step (0.5 s): turn caps and partials stay timely
constexpr double kMinBacklogCapS = 60.0;      // unprocessed audio a session may queue (server VAD)
constexpr std::size_t kVadSlack = 2 * 512;    // windows between a speech start and its confirmation

double ms_of(std::size_t samples) { return double(samples) * 1000.0 / kRate; }
std::size_t samples_of_ms(double ms) { return std::size_t(std::max(0.0, ms) * kRate / 1000.0); }

struct Command {
  enum class Kind { kAudio, kCommit, kClear, kUpdate, kFinish };
  Kind kind = Kind::kAudio;
  std::vector<float> samples;
  LiveOptions options;
  Recognizer* recognizer = nullptr;
};

Status validate(const LiveOptions& options) {
  if (Status st = live::validate_vad_options(options.vad); !st) return st;
  if (!(options.partial_interval_s > 0) || options.partial_interval_s > 60)
    return Error(ErrorCode::kInvalidArgument, "partial_interval_s must lie in (0, 60]", "partial_interval_s");
  if (!(options.max_turn_s >= 1) || options.max_turn_s > 600)
    return Error(ErrorCode::kInvalidArgument, "max_turn_s must lie in [1, 600]", "max_turn_s");
  return Status::Ok();
}

Result<Recognizer*> pick_recognizer(EngineHost& engines, const std::string& name) {
  return name.empty() ? engines.default_recognizer() : engines.recognizer(name);
}

class LiveSessionImpl final : public LiveSession {
 public:
  LiveSessionImpl(EngineHost& engines, ThreadPool& workers, LiveOptions options, EventSink sink, Recognizer* recognizer,
                  std::unique_ptr<live::StreamingVad> vad, live::LiveSpeakers speakers)
      : engines_(engines),
        workers_(workers),
        sink_(std::move(sink)),
        server_vad_(options.server_vad),
        max_turn_s_(options.max_turn_s),
        options_(std::move(options)),
        recognizer_(recognizer),
        vad_(std::move(vad)),
        speakers_(std::move(speakers)) {}

  ~LiveSessionImpl() override {
    std::unique_lock<std::mutex> lock(mu_);
    closed_ = true;
    stopping_ = true;
    queue_.clear();
    if (running_ && drain_thread_ == std::this_thread::get_id()) return;  // misuse: destroyed from the sink
    idle_.wait(lock, [&] { return !running_; });
  }

  Status update(const LiveOptions& options) override {
    if (Status st = validate(options); !st) return st;
    auto recognizer = pick_recognizer(engines_, options.engine);
    if (!recognizer) return recognizer.error();
    if (options.server_vad && !vad_)
      return Error(ErrorCode::kUnavailable, "server VAD needs the Silero VAD model, which did not load");
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return Error(ErrorCode::kInvalidArgument, "the live session has finished");
    server_vad_ = options.server_vad;
    max_turn_s_ = options.max_turn_s;
    Command c;
    c.kind = Command::Kind::kUpdate;
    c.options = options;
    c.recognizer = *recognizer;
    enqueue(std::move(c));
    return Status::Ok();
  }

  Status append(std::span<const float> samples) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return Error(ErrorCode::kInvalidArgument, "the live session has finished");
    if (samples.empty()) return Status::Ok();
    if (!server_vad_ && double(appended_ - mark_ + samples.size()) > max_turn_s_ * kRate)
      return Error(ErrorCode::kTooLong, "more than " + std::to_string(int(max_turn_s_)) +
                                            " s of audio buffered without a commit");
    if (double(backlog_ + samples.size()) > std::max(max_turn_s_, kMinBacklogCapS) * kRate)
      return Error(ErrorCode::kTooLong, "the session is behind: too much audio waits to be processed");
    appended_ += samples.size();
    backlog_ += samples.size();
    if (!queue_.empty() && queue_.back().kind == Command::Kind::kAudio) {
      auto& s = queue_.back().samples;
      s.insert(s.end(), samples.begin(), samples.end());
    } else {
      Command c;
      c.samples.assign(samples.begin(), samples.end());
      enqueue(std::move(c));
    }
    return Status::Ok();
  }

  Status commit() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return Error(ErrorCode::kInvalidArgument, "the live session has finished");
    const std::size_t since = server_vad_ ? std::max(mark_, vad_mark_.load()) : mark_;
    if (appended_ <= since) return Error(ErrorCode::kEmptyInput, "no uncommitted audio to commit");
    mark_ = appended_;
    Command c;
    c.kind = Command::Kind::kCommit;
    enqueue(std::move(c));
    return Status::Ok();
  }

  void clear() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    mark_ = appended_;
    Command c;
    c.kind = Command::Kind::kClear;
    enqueue(std::move(c));
  }

  void finish() override {
    std::unique_lock<std::mutex> lock(mu_);
    if (!closed_) {
      closed_ = true;
      Command c;
      c.kind = Command::Kind::kFinish;
      enqueue(std::move(c));
    }
    if (running_ && drain_thread_ == std::this_thread::get_id()) return;  // called from the sink
    idle_.wait(lock, [&] { return !running_ && queue_.empty(); });
  }

 private:
  struct Turn {
    std::string item_id;
    std::size_t start = 0;  // session samples
    std::size_t fed = 0;    // audio up to here went to the stream
    std::size_t next_partial = 0;
    Recognizer* recognizer = nullptr;
    std::unique_ptr<RecognizerStream> stream;
    std::string last_partial;
    bool started_event = false;  // speech_started was sent
  };

  // --- client side (mu_ held) ---
  void enqueue(Command c) {
    queue_.push_back(std::move(c));
    if (running_) return;
    running_ = true;
    workers_.submit([this] { drain(); });
  }

  void drain() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      drain_thread_ = std::this_thread::get_id();
    }
    for (;;) {
      Command c;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.empty() || stopping_) {
          running_ = false;
          drain_thread_ = {};
          idle_.notify_all();
          return;
        }
        c = std::move(queue_.front());
        queue_.pop_front();
        if (c.kind == Command::Kind::kAudio) backlog_ -= c.samples.size();
      }
      try {
        handle(c);
      } catch (const std::exception& e) {
        fail(Error(ErrorCode::kInternal, std::string("live session: ") + e.what()));
      } catch (...) {
        fail(Error(ErrorCode::kInternal, "live session: unknown failure"));
      }
    }
  }

  // --- worker side (one drain at a time) ---
  void handle(Command& c) {
    switch (c.kind) {
      case Command::Kind::kAudio:
        for (std::size_t i = 0; i < c.samples.size(); i += kPiece)
          on_audio(std::span<const float>(c.samples).subspan(i, std::min(kPiece, c.samples.size() - i)));
        break;
      case Command::Kind::kCommit:
        on_commit();
        break;
      case Command::Kind::kClear:
        on_clear();
        break;
      case Command::Kind::kUpdate:
        pending_options_ = std::move(c.options);
        pending_recognizer_ = c.recognizer;
        if (!turn_) apply_pending_options();
        break;
      case Command::Kind::kFinish:
        if (turn_ && options_.server_vad) {
          feed_turn(pos_);
          end_turn(pos_, true);
        }
        turn_.reset();
        break;
    }
  }

  void apply_pending_options() {
    if (!pending_options_) return;
    const bool was_vad = options_.server_vad;
    options_ = std::move(*pending_options_);
    pending_options_.reset();
    recognizer_ = pending_recognizer_;
    if (vad_) {
      vad_->set_options(options_.vad);
      if (options_.server_vad != was_vad) vad_->reset_turn();
    }
    if (options_.server_vad != was_vad) floor_ = pos_;  // manual audio does not leak into VAD turns
  }

  void emit(LiveEvent e) {
    if (stopping_) return;
    try {
      sink_(e);
    } catch (...) {
      // The sink is the adapter's; its failures are its own.
    }
  }

  void fail(Error error, std::string item_id = {}) {
    LiveEvent e;
    e.kind = LiveEvent::Kind::kFailed;
    e.item_id = std::move(item_id);
    e.error = std::move(error);
    emit(std::move(e));
  }

  std::span<const float> audio(std::size_t from, std::size_t to) const {
    from = std::max(from, buf_start_);
    to = std::clamp(to, from, pos_);
    return std::span<const float>(buf_).subspan(from - buf_start_, to - from);
  }

  void on_audio(std::span<const float> samples) {
    buf_.insert(buf_.end(), samples.begin(), samples.end());
    pos_ += samples.size();
    std::vector<live::VadTransition> transitions;
    if (vad_ && !vad_failed_) {
      auto t = vad_->feed(samples);
      if (t) {
        transitions = std::move(*t);
      } else {
        vad_failed_ = true;  // reported once; no new turns start by themselves from here on
        fail(t.error(), turn_ ? turn_->item_id : std::string());
      }
    }
    if (options_.server_vad) {
      for (const auto& t : transitions) {
        if (t.kind == live::VadTransition::Kind::kStart) {
          if (!turn_) {
            const std::size_t pad = samples_of_ms(options_.vad.prefix_padding_ms);
            start_turn(std::max({t.sample > pad ? t.sample - pad : 0, floor_, buf_start_}), true);
          }
          feed_turn(t.decided_at);
        } else if (turn_) {
          feed_turn(t.decided_at);
          end_turn(t.decided_at, true);
        }
      }
      if (turn_) {
        const std::size_t judged = vad_ ? vad_->judged() : pos_;
        feed_turn(judged);
        if (double(judged - turn_->start) >= options_.max_turn_s * kRate) {
          end_turn(judged, true);
          if (vad_ && vad_->in_speech()) start_turn(judged, true);  // the speaker goes on: a new turn
        }
      }
    }
    trim();
  }

  void on_commit() {
    if (turn_) {
      feed_turn(pos_);
      end_turn(pos_, turn_->started_event);
      if (vad_) vad_->reset_turn();
    } else {
      const std::size_t from = std::max(floor_, buf_start_);
      if (pos_ <= from) return;  // a VAD turn took the audio meanwhile
      start_turn(from, false);
      end_turn(pos_, false);
    }
    trim();
  }

  void on_clear() {
    turn_.reset();  // the stream goes, its decoder back to the pool
    if (vad_) vad_->reset_turn();
    floor_ = pos_;
    apply_pending_options();
    trim();
    LiveEvent e;
    e.kind = LiveEvent::Kind::kCleared;
    emit(std::move(e));
  }

  void start_turn(std::size_t start, bool with_event) {
    Turn t;
    t.item_id = "item_" + std::to_string(++items_);
    t.start = start;
    t.fed = start;
    t.next_partial = start + samples_of_ms(options_.partial_interval_s * 1000.0);
    t.recognizer = recognizer_;
    t.started_event = with_event;
    // Incremental decoding only where partials are wanted (server VAD turns); a busy or
    // whole-chunk engine decodes the turn when it ends instead.
    if (with_event) {
      auto stream = recognizer_->open_stream(recognize_options());
      if (stream) t.stream = std::move(*stream);
    }
    turn_ = std::move(t);
    if (with_event) {
      LiveEvent e;
      e.kind = LiveEvent::Kind::kSpeechStarted;
      e.item_id = turn_->item_id;
      e.audio_start_ms = ms_of(start);
      emit(std::move(e));
    }
  }

  RecognizeOptions recognize_options() const {
    RecognizeOptions r;
    r.language = options_.language;
    r.prompt = options_.prompt;
    return r;
  }

  void feed_turn(std::size_t upto) {
    if (!turn_ || upto <= turn_->fed) return;
    Turn& t = *turn_;
    if (t.stream) {
      if (Status st = t.stream->feed(audio(t.fed, upto)); !st) t.stream.reset();  // the turn is decoded whole instead
    }
    t.fed = upto;
    if (t.stream && upto >= t.next_partial) {
      t.next_partial = upto + samples_of_ms(options_.partial_interval_s * 1000.0);
      auto text = t.stream->partial();
      if (text && !text->empty() && *text != t.last_partial) {
        t.last_partial = *text;
        LiveEvent e;
        e.kind = LiveEvent::Kind::kPartial;
        e.item_id = t.item_id;
        e.audio_start_ms = ms_of(t.start);
        e.audio_end_ms = ms_of(upto);
        e.text = *text;
        emit(std::move(e));
      }
    }
  }

  void end_turn(std::size_t end, bool stopped_event) {
    Turn t = std::move(*turn_);
    turn_.reset();
    floor_ = end;
    vad_mark_.store(end);
    if (stopped_event) {
      LiveEvent e;
      e.kind = LiveEvent::Kind::kSpeechStopped;
      e.item_id = t.item_id;
      e.audio_start_ms = ms_of(t.start);
      e.audio_end_ms = ms_of(end);
      emit(std::move(e));
    }
    {
      LiveEvent e;
      e.kind = LiveEvent::Kind::kCommitted;
      e.item_id = t.item_id;
      e.audio_start_ms = ms_of(t.start);
      e.audio_end_ms = ms_of(end);
      emit(std::move(e));
    }
    decode_turn(t, end);
    apply_pending_options();
  }

  void decode_turn(Turn& t, std::size_t end) {
    const std::span<const float> samples = audio(t.start, end);
    const double offset = double(t.start) / kRate;
    Result<ChunkResult> result = Error(ErrorCode::kInternal, "turn not decoded");
    if (t.stream) {
      result = t.stream->finish();
      t.stream.reset();
    }
    if (!result) result = t.recognizer->recognize(AudioChunk{samples, offset, 0}, recognize_options(), CancelToken());
    if (!result) return fail(result.error(), t.item_id);

    std::vector<Word> words;
    words.reserve(result->words.size());
    for (const auto& w : result->words) words.push_back(Word{w.text, offset + w.start, offset + w.end, w.confidence, {}});
    std::string speaker;
    if (!words.empty()) speaker = speakers_.assign(samples);
    for (auto& w : words) w.speaker = speaker;
    auto formatted = engines_.text().write(words, options_.text, t.recognizer->writes_text());
    if (!formatted) return fail(formatted.error(), t.item_id);

    LiveEvent e;
    e.kind = LiveEvent::Kind::kFinal;
    e.item_id = t.item_id;
    e.audio_start_ms = ms_of(t.start);
    e.audio_end_ms = ms_of(end);
    double confidence = 0;
    for (const auto& w : words) {
      if (!e.text.empty()) e.text += ' ';
      e.text += w.text;
      confidence += w.confidence;
    }
    e.confidence = words.empty() ? 0.f : float(confidence / double(words.size()));
    e.speaker = speaker;
    e.words = std::move(words);
    emit(std::move(e));
  }

  // Keeps the audio a turn may still need: the open turn's, the uncommitted audio in manual
  // mode, else the prefix padding (and the slack of a start not confirmed yet).
  void trim() {
    std::size_t keep_from;
    if (turn_) {
      keep_from = turn_->start;
    } else if (!options_.server_vad) {
      keep_from = floor_;
    } else {
      const std::size_t keep = samples_of_ms(options_.vad.prefix_padding_ms + options_.vad.min_speech_ms) + kVadSlack +
                               (vad_ ? pos_ - std::min(pos_, vad_->judged()) : 0);
      keep_from = std::max(floor_, pos_ > keep ? pos_ - keep : 0);
    }
    keep_from = std::clamp(keep_from, buf_start_, pos_);
    if (keep_from - buf_start_ < 16000 && keep_from != pos_) return;  // trim in steps, not every call
    buf_.erase(buf_.begin(), buf_.begin() + std::ptrdiff_t(keep_from - buf_start_));
    buf_start_ = keep_from;
  }

  EngineHost& engines_;
  ThreadPool& workers_;
  EventSink sink_;

  // Shared with the callers' threads (under mu_).
  std::mutex mu_;
  std::condition_variable idle_;
  std::deque<Command> queue_;
  bool running_ = false;
  bool closed_ = false;
  std::atomic<bool> stopping_{false};
  std::thread::id drain_thread_;
  bool server_vad_;
  double max_turn_s_;
  std::size_t appended_ = 0;  // samples appended so far
  std::size_t mark_ = 0;      // appended_ at the last commit() or clear()
  std::size_t backlog_ = 0;   // queued samples not yet processed
  std::atomic<std::size_t> vad_mark_{0};  // where the last turn ended

  // The drain's own state.
  LiveOptions options_;
  Recognizer* recognizer_;
  std::optional<LiveOptions> pending_options_;
  Recognizer* pending_recognizer_ = nullptr;
  std::unique_ptr<live::StreamingVad> vad_;
  bool vad_failed_ = false;
  live::LiveSpeakers speakers_;
  std::vector<float> buf_;      // session audio [buf_start_, pos_)
  std::size_t buf_start_ = 0;
  std::size_t pos_ = 0;
  std::size_t floor_ = 0;       // no turn starts before this (the last turn's end, commit, clear)
  std::optional<Turn> turn_;
  int items_ = 0;
};

}  // namespace

Result<std::unique_ptr<LiveSession>> LiveSession::create(EngineHost& engines, ThreadPool& workers, LiveOptions options,
                                                         EventSink sink) {
  if (Status st = validate(options); !st) return st.error();
  auto recognizer = pick_recognizer(engines, options.engine);
  if (!recognizer) return recognizer.error();
  if (!options.language.empty()) {
    // Engines check the language when they decode; an unknown one should fail here, not per turn.
    auto probe = (*recognizer)->open_stream({options.language, {}, 0.f});
    if (!probe && probe.error().code == ErrorCode::kInvalidArgument) return probe.error();
  }
  std::unique_ptr<live::StreamingVad> vad;
  {
    auto v = live::StreamingVad::create(engines.config(), options.vad);
    if (v) vad = std::move(*v);
    else if (options.server_vad) return v.error();
  }
  if (options.known_speakers.size() > std::size_t(kMaxKnownSpeakers))
    return Error(ErrorCode::kInvalidArgument, "at most " + std::to_string(kMaxKnownSpeakers) + " known speakers",
                 "known_speaker_names");
  live::LiveSpeakers speakers;
  for (const auto& k : options.known_speakers) {
    if (k.name.empty()) return Error(ErrorCode::kInvalidArgument, "a known speaker has no name", "known_speaker_names");
    if (k.audio.samples.empty() || k.audio.sample_rate != int(kRate))
      return Error(ErrorCode::kInvalidArgument, "known speaker '" + k.name + "' has no decoded 16 kHz reference audio",
                   "known_speaker_references");
    if (Status st = speakers.enroll(k.name, k.audio.samples); !st) return st.error();
  }
  if (!sink) sink = [](const LiveEvent&) {};
  return std::unique_ptr<LiveSession>(new LiveSessionImpl(engines, workers, std::move(options), std::move(sink),
                                                          *recognizer, std::move(vad), std::move(speakers)));
}

}  // namespace vox
