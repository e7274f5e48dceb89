// One pocketsphinx decoder (~100 MB): not thread-safe, so the recogniser keeps one per worker.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/core/error.h"
#include "vox/core/progress.h"

struct ps_decoder_s;

namespace vox {

struct SphinxSettings {
  std::string model_dir;  // holds en-us/ (acoustic model), en-us.lm.bin and cmudict-en-us.dict
  // Extra decoder flags ("-name", "value"), chosen on the whole podcast18 corpus (seed 1, 3,332
  // words, energy VAD, 30 s chunks, 2 decoders on 2 cores):
  //   pocketsphinx defaults                                   10.68 % WER, 253 CPU s, 129 s wall
  //   -maxhmmpf 5000 -maxwpf 10                               10.71 % WER, 197 CPU s
  //   -maxhmmpf 2000 -maxwpf 10                               11.49 % WER, 165 CPU s
  //   these (+ -lw 5.5 -fwdflatlw 7.5 -bestpathlw 8.5)        10.53 % WER, 234 CPU s, 120 s wall
  //   (-lw 8: 15.1 %; -lw 5: 10.68 % and slower; the fast set -fwdflat no -ds 2 -topn 2
  //   -maxhmmpf 3000: 17.8 % on a 4-minute excerpt)
  // pocketsphinx_continuous: 10.53 % WER in 282 s on one core. On the 71-word librivox clips
  // these flags give 18.3 % (fast set 22.5 %, defaults 26.8 %).
  // -remove_silence no: the front end's own VAD would drop silent frames and shift every later
  // word time by the silence removed (a word at 2.4 s came out at 1.5 s); our VAD has already
  // cut the long silences away.
  std::vector<std::pair<std::string, std::string>> flags = {
      {"-maxhmmpf", "5000"}, {"-maxwpf", "10"},          {"-lw", "5.5"},
      {"-fwdflatlw", "7.5"}, {"-bestpathlw", "8.5"}, {"-remove_silence", "no"}};
};

// kUnavailable with a message naming the missing file when the model directory is incomplete.
Status check_sphinx_model_dir(const std::string& model_dir);

class SphinxDecoder {
 public:
  // Serialised internally (ps_init races with itself); safe to call from any thread.
  static Result<std::unique_ptr<SphinxDecoder>> create(const SphinxSettings& settings);
  ~SphinxDecoder();
  SphinxDecoder(const SphinxDecoder&) = delete;
  SphinxDecoder& operator=(const SphinxDecoder&) = delete;

  // Decodes one chunk of 16 kHz mono audio as a fresh stream: word times are relative to
  // samples[0] and do not depend on what this decoder decoded before. Cancel is polled before
  // the chunk starts.
  Result<ChunkResult> decode(std::span<const float> samples, const CancelToken& cancel);

  // Incremental decoding of one utterance (a live turn): begin, feed the audio as it arrives,
  // ask for the hypothesis so far, end for the words (times relative to the first sample fed).
  // The cepstral mean adapts live here (from what this decoder heard before), which is less
  // accurate than decode()'s whole-utterance mean: callers re-decode the turn for its final words.
  Status begin_utterance();
  Status feed(std::span<const float> samples);
  std::string hypothesis();
  Result<ChunkResult> end_utterance();

 private:
  explicit SphinxDecoder(ps_decoder_s* ps);
  // The words of the utterance just ended, clamped to `duration` seconds.
  ChunkResult collect_words(double duration);
  ps_decoder_s* ps_;
  bool in_utterance_ = false;
  std::size_t fed_ = 0;  // samples fed to the current utterance
};

}  // namespace vox
