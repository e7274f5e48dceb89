// Live sessions on real speech: flite voices streamed in small chunks through Silero turn
// detection, sphinx incremental decoding, online speaker matching and the text stage.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "../asr/score_wer.h"
#include "../support/test_audio.h"
#include "vox/core/thread_pool.h"
#include "vox/engines/registry.h"
#include "vox/live/live_session.h"
#include "vox/live/live_speakers.h"
#include "vox/live/streaming_vad.h"

namespace vox {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSentence1 = "the quick brown fox jumps over the lazy dog near the river bank";
constexpr const char* kSentence2 = "please call stella and ask her to bring these things with her from the store";
constexpr const char* kSentence3 = "yesterday we went to the market and bought some apples";

// flite's speech for `text` in `voice`, 16 kHz mono; cached under the build directory.
std::vector<float> speak(const std::string& voice, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(VOX_BINARY_DIR) / "test_output" / "live";
  fs::create_directories(dir);
  const fs::path wav = dir / (voice + "_" + std::to_string(std::hash<std::string>{}(text)) + ".wav");
  if (!fs::exists(wav)) {
    const std::string cmd = "flite -voice " + voice + " -t '" + text + "' -o '" + wav.string() + "'";
    if (std::system(cmd.c_str()) != 0) return {};
  }
  return test::load_audio(wav.string());
}

std::vector<float> silence(double seconds) { return std::vector<float>(std::size_t(seconds * 16000), 0.f); }

void add(std::vector<float>& to, const std::vector<float>& more) { to.insert(to.end(), more.begin(), more.end()); }

std::size_t word_count(const std::string& s) {
  std::istringstream in(s);
  std::string w;
  std::size_t n = 0;
  while (in >> w) ++n;
  return n;
}

struct Recorded {
  LiveEvent event;
  Clock::time_point at;
};

struct Harness {
  Config config;
  EngineHost engines{config};
  ThreadPool workers{2};
  std::mutex mu;
  std::vector<Recorded> events;

  LiveSession::EventSink sink() {
    return [this](const LiveEvent& e) {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back({e, Clock::now()});
    };
  }
  Result<std::unique_ptr<LiveSession>> open(LiveOptions options = {}) {
    return LiveSession::create(engines, workers, std::move(options), sink());
  }
  std::vector<LiveEvent> of(LiveEvent::Kind kind) {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<LiveEvent> out;
    for (const auto& r : events)
      if (r.event.kind == kind) out.push_back(r.event);
    return out;
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mu);
    return events.size();
  }
};

// Appends `audio` in chunks of `chunk` samples (random sizes up to 2 x chunk when shuffle).
void stream(LiveSession& s, const std::vector<float>& audio, std::size_t chunk, bool random_sizes = false) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> size(1, 2 * chunk);
  for (std::size_t i = 0; i < audio.size();) {
    const std::size_t n = std::min(audio.size() - i, random_sizes ? size(rng) : chunk);
    ASSERT_TRUE(s.append(std::span<const float>(audio).subspan(i, n)).ok());
    i += n;
  }
}

// ---- StreamingVad: the hysteresis alone ----

TEST(StreamingVad, TurnStartsAtThresholdAndEndsAfterTheSilence) {
  VadOptions o;
  o.threshold = 0.5f;
  o.silence_duration_ms = 500;  // 15.6 windows of 512
  o.min_speech_ms = 100;        // 3.1 windows
  live::TurnDetector d(o);
  std::vector<std::optional<live::VadTransition>> out;
  auto push = [&](float p, int n) {
    for (int i = 0; i < n; ++i) {
      const std::size_t w = out.size();
      out.push_back(d.push(p, w * 512, 512));
    }
  };
  push(0.1f, 10);
  push(0.9f, 2);   // a blip: 2 windows < 100 ms...
  push(0.1f, 20);  // ...that ends: never reported
  push(0.9f, 30);  // speech from window 32
  push(0.4f, 10);  // between the thresholds: neither speech nor silence
  push(0.1f, 10);  // a short pause
  push(0.8f, 10);  // speech again: the pause is forgotten
  push(0.1f, 30);  // silence from window 92
  std::vector<live::VadTransition> t;
  for (const auto& x : out)
    if (x) t.push_back(*x);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].kind, live::VadTransition::Kind::kStart);
  EXPECT_EQ(t[0].sample, 32u * 512);
  EXPECT_EQ(t[0].decided_at, 36u * 512);  // 4 windows = 128 ms >= 100 ms
  EXPECT_EQ(t[1].kind, live::VadTransition::Kind::kStop);
  EXPECT_EQ(t[1].sample, 92u * 512);
  EXPECT_EQ(t[1].decided_at, 108u * 512);  // 16 windows = 512 ms >= 500 ms
  EXPECT_FALSE(d.in_speech());
}

TEST(StreamingVad, BadOptionsAreRejected) {
  VadOptions o;
  o.threshold = 1.5f;
  EXPECT_EQ(live::validate_vad_options(o).error().code, ErrorCode::kInvalidArgument);
  o.threshold = 0.5f;
  o.silence_duration_ms = -1;
  EXPECT_EQ(live::validate_vad_options(o).error().code, ErrorCode::kInvalidArgument);
}

TEST(StreamingVad, SileroFindsFliteSpeech) {
  Config config;
  auto vad = live::StreamingVad::create(config, VadOptions{});
  ASSERT_TRUE(vad.ok()) << vad.error().message;
  auto speech = speak("slt", kSentence1);
  ASSERT_FALSE(speech.empty());
  std::vector<float> audio = silence(1.0);
  add(audio, speech);
  add(audio, silence(1.0));
  std::vector<live::VadTransition> t;
  for (std::size_t i = 0; i < audio.size(); i += 320) {
    auto r = (*vad)->feed(std::span<const float>(audio).subspan(i, std::min<std::size_t>(320, audio.size() - i)));
    ASSERT_TRUE(r.ok());
    t.insert(t.end(), r->begin(), r->end());
  }
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t.front().kind, live::VadTransition::Kind::kStart);
  EXPECT_NEAR(double(t.front().sample) / 16000, 1.0, 0.3);
  EXPECT_EQ(t.back().kind, live::VadTransition::Kind::kStop);
  EXPECT_NEAR(double(t.back().sample) / 16000, 1.0 + double(speech.size()) / 16000, 0.5);
}

// ---- LiveSpeakers ----

TEST(LiveSpeakers, SameVoiceMatchesAndDifferentVoicesDoNot) {
  live::LiveSpeakers speakers;
  std::map<std::string, std::string> label;  // voice -> label of its first turn
  for (const char* text : {kSentence1, kSentence2, kSentence3}) {
    for (const char* voice : {"slt", "rms", "awb", "kal16"}) {
      auto audio = speak(voice, text);
      ASSERT_FALSE(audio.empty());
      const std::string l = speakers.assign(audio);
      if (!label.count(voice)) label[voice] = l;
      EXPECT_EQ(l, label[voice]) << voice << ": " << text;
    }
  }
  EXPECT_EQ(speakers.size(), 4u);
  EXPECT_EQ(label["slt"], "A");
  EXPECT_EQ(label["rms"], "B");
  EXPECT_EQ(label["awb"], "C");
  EXPECT_EQ(label["kal16"], "D");
}

TEST(LiveSpeakers, KnownSpeakersAreMatchedByName) {
  live::LiveSpeakers speakers;
  ASSERT_TRUE(speakers.enroll("Alice", speak("slt", kSentence3)).ok());
  ASSERT_TRUE(speakers.enroll("Bob", speak("awb", kSentence3)).ok());
  EXPECT_EQ(speakers.assign(speak("awb", kSentence1)), "Bob");
  EXPECT_EQ(speakers.assign(speak("rms", kSentence1)), "A");
  EXPECT_EQ(speakers.assign(speak("slt", kSentence2)), "Alice");
  EXPECT_EQ(speakers.enroll("Carol", silence(3.0)).error().code, ErrorCode::kInvalidArgument);
}

// ---- LiveSession ----

TEST(LiveSession, BadEngineAndOptionsAreRejected) {
  Harness h;
  LiveOptions o;
  o.engine = "no-such-engine";
  auto s = h.open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kModelNotFound);
  LiveOptions bad;
  bad.vad.threshold = 0.f;
  EXPECT_EQ(h.open(bad).error().code, ErrorCode::kInvalidArgument);
  LiveOptions french;
  french.language = "fr";
  EXPECT_EQ(h.open(french).error().code, ErrorCode::kInvalidArgument);
}

TEST(LiveSession, TwoVoicesStreamInTwentyMillisecondChunks) {
  Harness h;
  auto s = h.open();
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto a1 = speak("slt", kSentence1), b = speak("rms", kSentence2), a2 = speak("slt", kSentence3);
  ASSERT_FALSE(a1.empty() || b.empty() || a2.empty());
  // Where each sentence lies in the session, seconds.
  std::vector<std::pair<double, double>> spoken;
  std::vector<float> audio = silence(0.8);
  for (const auto* part : {&a1, &b, &a2}) {
    const double start = double(audio.size()) / 16000;
    add(audio, *part);
    spoken.push_back({start, double(audio.size()) / 16000});
    add(audio, silence(1.2));
  }
  stream(**s, audio, 320);
  (*s)->finish();

  const auto started = h.of(LiveEvent::Kind::kSpeechStarted), stopped = h.of(LiveEvent::Kind::kSpeechStopped);
  const auto finals = h.of(LiveEvent::Kind::kFinal), committed = h.of(LiveEvent::Kind::kCommitted);
  ASSERT_EQ(started.size(), 3u);
  ASSERT_EQ(stopped.size(), 3u);
  ASSERT_EQ(committed.size(), 3u);
  ASSERT_EQ(finals.size(), 3u);
  EXPECT_TRUE(h.of(LiveEvent::Kind::kFailed).empty());
  std::string hypothesis;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& [from, to] = spoken[i];
    SCOPED_TRACE("turn " + std::to_string(i));
    EXPECT_EQ(started[i].item_id, finals[i].item_id);
    EXPECT_EQ(stopped[i].item_id, finals[i].item_id);
    // The start includes the prefix padding (100 ms by default); flite's own lead-in is short.
    EXPECT_NEAR(started[i].audio_start_ms, from * 1000, 350);
    // The stop comes silence_duration_ms (500) after the speech.
    EXPECT_GE(stopped[i].audio_end_ms, to * 1000 + 300);
    EXPECT_LE(stopped[i].audio_end_ms, to * 1000 + 1100);
    EXPECT_DOUBLE_EQ(finals[i].audio_start_ms, started[i].audio_start_ms);
    EXPECT_DOUBLE_EQ(finals[i].audio_end_ms, stopped[i].audio_end_ms);
    ASSERT_FALSE(finals[i].words.empty());
    for (const auto& w : finals[i].words) {
      EXPECT_GE(w.start * 1000, finals[i].audio_start_ms - 1) << w.text;
      EXPECT_LE(w.end * 1000, finals[i].audio_end_ms + 1) << w.text;
      EXPECT_LE(w.start, w.end);
      EXPECT_EQ(w.speaker, finals[i].speaker);
    }
    EXPECT_GT(finals[i].confidence, 0.f);
    hypothesis += finals[i].text + " ";
  }
  // The text stage ran: sentences start with a capital.
  EXPECT_TRUE(std::isupper(static_cast<unsigned char>(finals[0].text[0]))) << finals[0].text;
  // Speakers: slt, rms, slt.
  EXPECT_EQ(finals[0].speaker, "A");
  EXPECT_EQ(finals[1].speaker, "B");
  EXPECT_EQ(finals[2].speaker, "A");
  const double wer = test::score_wer(std::string(kSentence1) + " " + kSentence2 + " " + kSentence3, hypothesis,
                                     "live_two_voices");
  ASSERT_GE(wer, 0) << "scorer failed";
  EXPECT_LE(wer, 0.3) << hypothesis;

  // Partials: during each turn, before its final, growing.
  std::lock_guard<std::mutex> lock(h.mu);
  for (std::size_t i = 0; i < 3; ++i) {
    std::vector<std::string> texts;
    bool final_seen = false;
    for (const auto& r : h.events) {
      if (r.event.item_id != finals[i].item_id) continue;
      if (r.event.kind == LiveEvent::Kind::kFinal) final_seen = true;
      if (r.event.kind == LiveEvent::Kind::kPartial) {
        EXPECT_FALSE(final_seen) << "partial after the final";
        texts.push_back(r.event.text);
      }
    }
    ASSERT_FALSE(texts.empty()) << "no partial in turn " << i;
    EXPECT_LE(word_count(texts.front()), word_count(texts.back()));
    if (i != 1) EXPECT_GE(texts.size(), 2u) << "turn " << i;
  }
}

TEST(LiveSession, RandomChunkSizesGiveTheSameTurns) {
  Harness h;
  auto s = h.open();
  ASSERT_TRUE(s.ok());
  std::vector<float> audio = silence(0.5);
  add(audio, speak("awb", kSentence2));
  add(audio, silence(1.0));
  stream(**s, audio, 1000, true);
  (*s)->finish();
  const auto finals = h.of(LiveEvent::Kind::kFinal);
  ASSERT_EQ(finals.size(), 1u);
  const double wer = test::score_wer(kSentence2, finals[0].text, "live_random_chunks");
  ASSERT_GE(wer, 0);
  EXPECT_LE(wer, 0.3) << finals[0].text;
}

TEST(LiveSession, KnownSpeakerNamesTheirTurns) {
  Harness h;
  LiveOptions o;
  KnownSpeaker k;
  k.name = "Kal";
  k.audio.samples = speak("kal16", kSentence3);
  o.known_speakers.push_back(k);
  auto s = h.open(o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::vector<float> audio = silence(0.5);
  add(audio, speak("kal16", kSentence1));
  add(audio, silence(1.0));
  add(audio, speak("slt", kSentence2));
  add(audio, silence(1.0));
  stream(**s, audio, 640);
  (*s)->finish();
  const auto finals = h.of(LiveEvent::Kind::kFinal);
  ASSERT_EQ(finals.size(), 2u);
  EXPECT_EQ(finals[0].speaker, "Kal");
  EXPECT_EQ(finals[1].speaker, "A");

  LiveOptions empty_clip;
  empty_clip.known_speakers.push_back(KnownSpeaker{"Nobody", "", {}});
  EXPECT_EQ(h.open(empty_clip).error().code, ErrorCode::kInvalidArgument);
}

TEST(LiveSession, ManualModeWaitsForCommit) {
  Harness h;
  LiveOptions o;
  o.server_vad = false;
  auto s = h.open(o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->commit().error().code, ErrorCode::kEmptyInput);
  std::vector<float> audio = silence(0.3);
  add(audio, speak("rms", kSentence3));
  add(audio, silence(1.5));  // a pause that server VAD would end a turn at
  stream(**s, audio, 320);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(h.count(), 0u) << "events before commit()";
  ASSERT_TRUE((*s)->commit().ok());
  EXPECT_EQ((*s)->commit().error().code, ErrorCode::kEmptyInput);
  (*s)->finish();
  EXPECT_TRUE(h.of(LiveEvent::Kind::kSpeechStarted).empty());
  ASSERT_EQ(h.of(LiveEvent::Kind::kCommitted).size(), 1u);
  const auto finals = h.of(LiveEvent::Kind::kFinal);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_DOUBLE_EQ(finals[0].audio_start_ms, 0);
  EXPECT_NEAR(finals[0].audio_end_ms, double(audio.size()) / 16, 1);
  const double wer = test::score_wer(kSentence3, finals[0].text, "live_manual");
  ASSERT_GE(wer, 0);
  EXPECT_LE(wer, 0.3) << finals[0].text;
  EXPECT_FALSE((*s)->append(audio).ok()) << "append after finish()";
}

TEST(LiveSession, ManualBufferIsCapped) {
  Harness h;
  LiveOptions o;
  o.server_vad = false;
  o.max_turn_s = 2;
  auto s = h.open(o);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->append(silence(1.5)).ok());
  EXPECT_EQ((*s)->append(silence(1.0)).error().code, ErrorCode::kTooLong);
}

TEST(LiveSession, ClearDropsTheUncommittedAudio) {
  Harness h;
  LiveOptions manual;
  manual.server_vad = false;
  auto s = h.open(manual);
  ASSERT_TRUE(s.ok());
  stream(**s, speak("slt", kSentence1), 320);
  (*s)->clear();
  EXPECT_EQ((*s)->commit().error().code, ErrorCode::kEmptyInput);
  (*s)->finish();
  EXPECT_EQ(h.of(LiveEvent::Kind::kCleared).size(), 1u);
  EXPECT_TRUE(h.of(LiveEvent::Kind::kFinal).empty());

  // Server VAD: a turn in progress is dropped with the audio, and the next one is decoded alone.
  Harness v;
  auto t = v.open();
  ASSERT_TRUE(t.ok());
  std::vector<float> first = silence(0.5);
  add(first, speak("slt", kSentence1));
  first.resize(first.size() - 16000);  // cut off mid-speech
  stream(**t, first, 320);
  (*t)->clear();
  std::vector<float> second = silence(0.5);
  add(second, speak("slt", kSentence3));
  add(second, silence(1.0));
  stream(**t, second, 320);
  (*t)->finish();
  const auto finals = v.of(LiveEvent::Kind::kFinal);
  ASSERT_EQ(finals.size(), 1u);
  ASSERT_EQ(v.of(LiveEvent::Kind::kCleared).size(), 1u);
  EXPECT_GE(finals[0].audio_start_ms, double(first.size()) / 16);
  const double wer = test::score_wer(kSentence3, finals[0].text, "live_clear");
  ASSERT_GE(wer, 0);
  EXPECT_LE(wer, 0.3) << finals[0].text;
}

TEST(LiveSession, FinishWaitsForTheLastFinal) {
  Harness h;
  auto s = h.open();
  ASSERT_TRUE(s.ok());
  std::vector<float> audio = silence(0.5);
  add(audio, speak("rms", kSentence1));  // no trailing silence: the turn is still open
  stream(**s, audio, 320);
  (*s)->finish();
  const auto finals = h.of(LiveEvent::Kind::kFinal);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_FALSE(finals[0].text.empty());
  EXPECT_EQ(h.of(LiveEvent::Kind::kSpeechStopped).size(), 1u);
  const std::size_t n = h.count();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(h.count(), n);
}

TEST(LiveSession, CommitEndsTheTurnInServerVadMode) {
  Harness h;
  auto s = h.open();
  ASSERT_TRUE(s.ok());
  std::vector<float> audio = silence(0.5);
  add(audio, speak("awb", kSentence3));
  stream(**s, audio, 320);
  ASSERT_TRUE((*s)->commit().ok());
  (*s)->finish();
  const auto finals = h.of(LiveEvent::Kind::kFinal);
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_NEAR(finals[0].audio_end_ms, double(audio.size()) / 16, 1);
}

// Real-time pacing: 20 ms every 20 ms, as a microphone sends it. Two turns: the first pays for
// loading the text stage's data, the second shows the steady state. Reports the latencies.
// Fed in real time, each turn gets a partial while it is spoken and its final after it ends.
// Timings are printed, never asserted (the benchmark measures them: bench/live/run).
TEST(LiveSession, RealTimeTurnsGetPartialsThenFinals) {
  Harness h;
  auto s = h.open();
  ASSERT_TRUE(s.ok());
  const auto speech = speak("slt", kSentence1);
  std::vector<float> audio;
  std::vector<std::size_t> speech_ends;
  for (int turn = 0; turn < 2; ++turn) {
    add(audio, silence(0.5));
    add(audio, speech);
    speech_ends.push_back(audio.size());
    add(audio, silence(1.0));
  }
  std::vector<Clock::time_point> end_appended;
  const auto t0 = Clock::now();
  for (std::size_t i = 0; i < audio.size(); i += 320) {
    std::this_thread::sleep_until(t0 + std::chrono::microseconds(i * 1000000 / 16000));
    ASSERT_TRUE((*s)->append(std::span<const float>(audio).subspan(i, std::min<std::size_t>(320, audio.size() - i))).ok());
    if (end_appended.size() < speech_ends.size() && i + 320 >= speech_ends[end_appended.size()])
      end_appended.push_back(Clock::now());
  }
  (*s)->finish();
  std::lock_guard<std::mutex> lock(h.mu);
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::vector<Clock::time_point> started, first_partial, stopped, finals;
  std::string partial_item;
  for (const auto& r : h.events) {
    if (r.event.kind == LiveEvent::Kind::kSpeechStarted) started.push_back(r.at);
    if (r.event.kind == LiveEvent::Kind::kPartial && r.event.item_id != partial_item) {
      partial_item = r.event.item_id;
      first_partial.push_back(r.at);
    }
    if (r.event.kind == LiveEvent::Kind::kSpeechStopped) stopped.push_back(r.at);
    if (r.event.kind == LiveEvent::Kind::kFinal) finals.push_back(r.at);
  }
  ASSERT_EQ(finals.size(), 2u);
  ASSERT_EQ(first_partial.size(), 2u);
  ASSERT_EQ(stopped.size(), 2u);
  for (int turn = 0; turn < 2; ++turn) {
    std::printf("[ latency ] turn %d (%.1f s): first partial %.0f ms after speech_started; speech_stopped %.0f ms and "
                "final %.0f ms after the last speech sample was appended (final %.0f ms after speech_stopped)\n",
                turn + 1, double(speech.size()) / 16000, ms(first_partial[turn] - started[turn]),
                ms(stopped[turn] - end_appended[turn]), ms(finals[turn] - end_appended[turn]),
                ms(finals[turn] - stopped[turn]));
  }
  for (int turn = 0; turn < 2; ++turn) {
    EXPECT_LT(first_partial[turn], stopped[turn]) << "a partial while the turn is spoken";
    EXPECT_LT(stopped[turn], finals[turn]);
  }
}

}  // namespace
}  // namespace vox
