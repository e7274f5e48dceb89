// The output writers (json, text, srt, vtt, verbose_json, diarized_json, rttm, the diarization
// JSON and the stream events) on a Transcript built from the input: odd words (any bytes, invalid
// UTF-8, markup), odd times (negative, reversed, NaN, infinite, huge) and odd speakers.
#include <cstdint>
#include <cstring>
#include <limits>

#include "fuzz_input.h"
#include "vox/format/writers.h"

namespace {

// Reads the input front to back; past its end every read yields zeros / empty strings.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ == end_; }
  std::uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  std::string text() {  // a length byte (mod 32), then that many bytes
    std::size_t n = std::min<std::size_t>(byte() % 32, end_ - p_);
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  double time() {  // mostly ordinary times; sometimes the raw bits of a double (NaN, inf, -0, 1e308)
    std::uint8_t kind = byte();
    if (kind < 200) return kind * 0.37;
    if (kind < 230) return -double(byte());
    double d = 0;
    std::uint8_t bits[8] = {};
    for (auto& b : bits) b = byte();
    std::memcpy(&d, bits, sizeof d);
    return d;
  }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  vox::Transcript t;
  std::uint8_t flags = in.byte();
  t.diarized = flags & 1;
  t.language = in.text();
  t.duration = in.time();
  for (int s = 0; s < 8 && !in.done(); ++s) {
    vox::Segment seg;
    seg.id = s;
    seg.start = in.time();
    seg.end = in.time();
    seg.speaker = in.text();
    seg.avg_logprob = in.time();
    int words = in.byte() % 8;
    for (int w = 0; w < words; ++w) {
      vox::Word word;
      word.text = in.text();
      word.start = in.time();
      word.end = in.time();
      word.confidence = float(in.byte()) / 255.0f;
      word.speaker = (flags & 2) ? in.text() : seg.speaker;
      if (!seg.text.empty()) seg.text += ' ';
      seg.text += word.text;
      seg.words.push_back(std::move(word));
    }
    if (flags & 4) seg.text = in.text();
    if (!t.text.empty()) t.text += ' ';
    t.text += seg.text;
    t.segments.push_back(std::move(seg));
  }
  if (flags & 8) {
    vox::Paragraph p{in.time(), in.time(), in.text(), in.text(), {}, std::nullopt};
    p.sentences.push_back({in.time(), in.time(), in.text()});
    if (flags & 16) p.sentiment = vox::Sentiment{in.text(), in.time()};
    t.paragraphs.push_back(std::move(p));
    t.entities.push_back({in.text(), in.text(), in.time(), in.time(), in.text()});
    t.sentiment = vox::Sentiment{"positive", in.time()};
  }

  vox::WriteOptions options;
  options.word_timestamps = flags & 32;
  options.segment_timestamps = !(flags & 64);
  options.recording_id = in.text();
  // One format per input (the last byte picks it): all seven each time would be 7x slower.
  static constexpr vox::OutputFormat kFormats[] = {
      vox::OutputFormat::kJson, vox::OutputFormat::kText, vox::OutputFormat::kSrt, vox::OutputFormat::kVtt,
      vox::OutputFormat::kVerboseJson, vox::OutputFormat::kDiarizedJson, vox::OutputFormat::kRttm};
  const auto format = kFormats[(size ? data[size - 1] : 0) % 7];
  (void)vox::write_transcript(t, format, options);
  if (flags & 128) VOX_FUZZ_CHECK(!vox::transcript_stream_events(t, format).empty());
  (void)vox::write_diarization_json(t);
  (void)vox::format_timestamp(t.duration, ',');
  (void)vox::format_timestamp(t.duration, '.');
  return 0;
}
