#include "vox/pipeline/transcription.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <optional>

#include "vox/core/thread_pool.h"
#include "vox/pipeline/merge.h"
#include "vox/vad/chunker.h"

namespace vox {

namespace {

struct ChunkOutcome {
  Result<ChunkResult> result = Error(ErrorCode::kInternal, "chunk not run");
};

}  // namespace

Result<Diarizer*> TranscriptionPipeline::pick_diarizer(const TranscriptionRequest& request) {
  return request.diarizer.empty() ? engines_.default_diarizer() : engines_.diarizer(request.diarizer);
}

Result<std::vector<SpeechRegion>> TranscriptionPipeline::detect_speech(const AudioBuffer& audio,
                                                                      const TranscriptionRequest& request,
                                                                      const ProgressFn& progress,
                                                                      const CancelToken& cancel) {
  if (audio.sample_rate != kAsrSampleRate) return Error(ErrorCode::kInternal, "pipeline expects 16 kHz audio");
  auto vad = request.vad.empty() ? engines_.default_vad() : engines_.vad(request.vad);
  if (!vad) return vad.error();
  report(progress, "vad", 0.0);
  auto speech = (*vad)->detect(audio.view(), request.vad_options,
                               [&](std::string_view, double f) { report(progress, "vad", f); }, cancel);
  if (speech) report(progress, "vad", 1.0);
  return speech;
}

Result<LabelledTurns> TranscriptionPipeline::run_diarizer(Diarizer& diarizer, const AudioBuffer& audio,
                                                         const std::vector<SpeechRegion>& speech,
                                                         const TranscriptionRequest& request,
                                                         const ProgressFn& progress, const CancelToken& cancel) {
  LabelledTurns out;
  if (request.known_speakers.empty()) {
    auto turns = diarizer.diarize(audio.view(), speech, request.speakers, progress, cancel);
    if (!turns) return turns.error();
    out.turns = std::move(*turns);
    return out;
  }
  const EnrolledAudio enrolled = append_references(audio.view(), speech, request.known_speakers);
  auto turns = diarizer.diarize(enrolled.samples, enrolled.speech, request.speakers, progress, cancel);
  if (!turns) return turns.error();
  out.turns = std::move(*turns);
  out.names = name_clusters(enrolled, request.known_speakers, out.turns);
  return out;
}

Result<Transcript> TranscriptionPipeline::diarize_only(const AudioBuffer& audio, const TranscriptionRequest& request,
                                                       const ProgressFn& progress, const CancelToken& cancel) {
  auto diarizer = pick_diarizer(request);
  if (!diarizer) return diarizer.error();
  auto speech = detect_speech(audio, request, progress, cancel);
  if (!speech) return speech.error();
  auto labelled = run_diarizer(**diarizer, audio, *speech, request,
                               [&](std::string_view, double f) { report(progress, "diarize", f); }, cancel);
  if (!labelled) return labelled.error();
  auto* turns = &labelled->turns;
  Transcript t;
  t.duration = audio.duration();
  t.engine = (*diarizer)->name();
  t.diarized = true;
  std::stable_sort(turns->begin(), turns->end(), [](const SpeakerTurn& a, const SpeakerTurn& b) { return a.start < b.start; });
  SpeakerLabeller label(labelled->names);  // turns are in time order, as words are
  for (const auto& turn : *turns) {
    Segment seg;
    seg.id = int(t.segments.size());
    seg.start = turn.start;
    seg.end = turn.end;
    seg.speaker = label(turn.speaker);
    t.segments.push_back(std::move(seg));
  }
  return t;
}

Result<Transcript> TranscriptionPipeline::run(const AudioBuffer& audio, const TranscriptionRequest& request,
                                              const ProgressFn& progress, const CancelToken& cancel) {
  const Config& config = engines_.config();
  auto recognizer = request.engine.empty() ? engines_.default_recognizer() : engines_.recognizer(request.engine);
  if (!recognizer) return recognizer.error();
  Diarizer* diarizer = nullptr;
  if (request.diarize) {
    auto d = pick_diarizer(request);
    if (!d) return d.error();
    diarizer = *d;
  }

  // 1. Where is speech?
  auto speech = detect_speech(audio, request, progress, cancel);
  if (!speech) return speech.error();

  // 2. Diarization starts now on its own thread, so it runs while the recogniser works.
  // Progress arrives from several threads; callers get it serialised.
  std::mutex progress_mu;
  auto report_locked = [&](std::string_view stage, double f) {
    std::lock_guard<std::mutex> lock(progress_mu);
    report(progress, stage, f);
  };
  std::future<Result<LabelledTurns>> diarization;
  if (diarizer) {
    diarization = std::async(std::launch::async, [&, diarizer] {
      return run_diarizer(*diarizer, audio, *speech, request,
                          [&](std::string_view, double f) { report_locked("diarize", f); }, cancel);
    });
  }

  // 3. Recognise the chunks in parallel on the shared worker pool, as one fair-scheduled group:
  // other requests' chunks take turns with these, however many this recording has.
  ThreadPool::Group group = workers_.group(request.priority, (*recognizer)->parallelism());
  const auto plan = plan_chunks(*speech, audio.view(), audio.sample_rate, config.limits.max_chunk_s);
  std::vector<std::future<ChunkOutcome>> pending;
  pending.reserve(plan.size());
  std::atomic<double> done_seconds{0.0};
  double total_seconds = 0.0;
  for (const auto& c : plan) total_seconds += c.end - c.start;
  for (size_t i = 0; i < plan.size(); ++i) {
    pending.push_back(group.submit([&, i] {
      ChunkOutcome out;
      if (cancel.cancelled()) {
        out.result = Error(ErrorCode::kCancelled, "transcription cancelled");
        return out;
      }
      const auto& c = plan[i];
      size_t a = size_t(c.start * audio.sample_rate), b = std::min(audio.samples.size(), size_t(c.end * audio.sample_rate));
      AudioChunk chunk{std::span<const float>(audio.samples.data() + a, b > a ? b - a : 0), double(a) / audio.sample_rate,
                       int(i)};
      out.result = (*recognizer)->recognize(chunk, request.recognize, cancel);
      double done = done_seconds.fetch_add(c.end - c.start) + (c.end - c.start);
      report_locked("asr", total_seconds > 0 ? done / total_seconds : 1.0);
      return out;
    }));
  }

  Transcript transcript;
  transcript.duration = audio.duration();
  transcript.engine = (*recognizer)->name();
  transcript.language = request.recognize.language.empty() ? "en" : request.recognize.language;
  std::vector<Word> words;
  std::optional<Error> failure;
  for (size_t i = 0; i < pending.size(); ++i) {
    ChunkOutcome out = pending[i].get();  // wait for every task even after a failure: they reference locals
    if (!out.result) {
      if (!failure) failure = out.result.error();
      continue;
    }
    if (i == 0 && !out.result->language.empty()) transcript.language = out.result->language;
    double offset = double(size_t(plan[i].start * audio.sample_rate)) / audio.sample_rate;
    for (const auto& w : out.result->words)
      words.push_back(Word{w.text, offset + w.start, offset + w.end, w.confidence, {}});
  }
  if (diarization.valid()) {
    if (failure) cancel.cancel();  // no point diarizing a failed request
    auto turns = diarization.get();
    if (!failure && !turns) failure = turns.error();
    if (!failure) {
      report(progress, "diarize", 1.0);
      assign_speakers(words, turns->turns, turns->names);
      transcript.diarized = true;
    }
  }
  if (failure) return *failure;
  if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "transcription cancelled");

  report(progress, "merge", 0.0);
  std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.start < b.start; });
  // 4. Written text: the words change (marks, capitals, numerals), then segments are cut from
  // them, so segments end at sentence ends where they can; paragraphs and entities come last.
  TextStage& text = engines_.text();
  auto formatted = text.write(words, request.text, (*recognizer)->writes_text());
  if (!formatted) return formatted.error();
  transcript.segments = build_segments(words);
  finalize_transcript(transcript);
  if (Status s = text.annotate(transcript, request.text, std::move(*formatted)); !s) return s.error();
  report(progress, "merge", 1.0);
  return transcript;
}

}  // namespace vox
