// Generated SRT/VTT must pass the evaluation kit's strict checker and be readable as subtitles.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "stress_transcripts.h"
#include "subtitle_check.h"
#include "vox/format/subtitle_cues.h"
#include "vox/format/utf8.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

struct ParsedCue {
  std::string timing;
  std::vector<std::string> lines;
};

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  size_t b = 0;
  for (size_t p; (p = s.find(sep, b)) != std::string::npos; b = p + sep.size()) parts.push_back(s.substr(b, p - b));
  parts.push_back(s.substr(b));
  return parts;
}

// Blocks of a file we wrote ourselves: [number,] timing, text lines.
std::vector<ParsedCue> parse_cues(const std::string& file, bool numbered) {
  std::vector<ParsedCue> cues;
  for (const auto& block : split(file, "\n\n")) {
    if (block.empty() || block == "WEBVTT") continue;
    auto lines = split(block, "\n");
    size_t k = numbered ? 1 : 0;
    ParsedCue c;
    c.timing = lines.at(k);
    c.lines.assign(lines.begin() + long(k) + 1, lines.end());
    cues.push_back(c);
  }
  return cues;
}

std::string strip_tags_and_unescape(std::string s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      i = s.find('>', i);
      continue;
    }
    out += s[i];
  }
  for (auto [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
    for (size_t p; (p = out.find(from)) != std::string::npos;) out.replace(p, from.size(), to);
  return out;
}

void expect_readable(const std::vector<ParsedCue>& cues, bool vtt) {
  ASSERT_FALSE(cues.empty());
  for (const auto& c : cues) {
    EXPECT_GE(c.lines.size(), 1u) << c.timing;
    EXPECT_LE(c.lines.size(), 2u) << c.timing;
    for (const auto& line : c.lines) {
      std::string visible = vtt ? strip_tags_and_unescape(line) : line;
      EXPECT_LE(utf8_length(visible), 42u) << c.timing << " '" << visible << "'";
      EXPECT_FALSE(visible.empty()) << c.timing;
    }
  }
}

TEST(SubtitleValidity, SamplesPassTheStrictChecker) {
  if (test::score_py().empty()) GTEST_SKIP() << "evaluation kit (score.py) not found";
  int n = 0;
  for (const Transcript& t : {test::plain_transcript(), test::diarized_transcript(), test::unicode_transcript()}) {
    std::string name = "sample" + std::to_string(n++);
    auto srt = test::check_subtitles(write_srt(t), "srt", name);
    EXPECT_EQ(srt.exit_code, 0) << srt.output;
    auto vtt = test::check_subtitles(write_vtt(t), "vtt", name);
    EXPECT_EQ(vtt.exit_code, 0) << vtt.output;
  }
}

TEST(SubtitleValidity, CheckerRejectsABrokenFile) {
  // Proves the check above can fail: an end before its start must be reported.
  if (test::score_py().empty()) GTEST_SKIP() << "evaluation kit (score.py) not found";
  auto bad = test::check_subtitles("1\n00:00:02,000 --> 00:00:01,000\nhello\n\n", "srt", "broken");
  EXPECT_NE(bad.exit_code, 0) << bad.output;
}

TEST(SubtitleValidity, LongAwkwardTranscriptsPassAndStayReadable) {
  bool have_checker = !test::score_py().empty();
  for (uint64_t seed : {1u, 2u, 3u}) {
    for (bool diarized : {false, true}) {
      Transcript t = test::stress_transcript(seed, diarized);
      std::string name = "stress" + std::to_string(seed) + (diarized ? "d" : "");
      std::string srt = write_srt(t), vtt = write_vtt(t);
      expect_readable(parse_cues(srt, true), false);
      expect_readable(parse_cues(vtt.substr(8), false), true);
      if (!have_checker) continue;
      auto s = test::check_subtitles(srt, "srt", name);
      EXPECT_EQ(s.exit_code, 0) << name << "\n" << s.output;
      auto v = test::check_subtitles(vtt, "vtt", name);
      EXPECT_EQ(v.exit_code, 0) << name << "\n" << v.output;
    }
  }
}

// Cue-level invariants on many random transcripts, without spawning the checker for each.
TEST(SubtitleCues, TimesAreValidAndEveryWordIsShownOnce) {
  for (uint64_t seed = 10; seed < 40; ++seed) {
    Transcript t = test::stress_transcript(seed, seed % 2 == 0);
    auto cues = build_subtitle_cues(t);
    ASSERT_FALSE(cues.empty());
    long long prev_end = 0;
    for (const auto& c : cues) {
      EXPECT_GT(c.end_ms, c.start_ms);
      EXPECT_LE(c.end_ms - c.start_ms, 7000);
      EXPECT_GE(c.start_ms, prev_end) << "overlap, seed " << seed;
      prev_end = c.end_ms;
      EXPECT_TRUE(c.lines.size() == 1 || c.lines.size() == 2);
      for (const auto& line : c.lines) EXPECT_LE(utf8_length(line), 42u);
    }
    // No word is lost or shown twice: the cues hold exactly the segments' characters (cues are
    // ordered by time and segment 3 overlaps segment 2, so compare as sorted bytes).
    std::string shown, spoken;
    for (const auto& c : cues)
      for (const auto& line : c.lines) shown += line;
    for (const auto& s : t.segments) spoken += s.text;
    std::erase(shown, ' ');
    std::erase(spoken, ' ');
    std::sort(shown.begin(), shown.end());
    std::sort(spoken.begin(), spoken.end());
    EXPECT_EQ(shown, spoken) << "seed " << seed;
  }
}

TEST(SubtitleCues, CutsAtWordBoundariesUsingWordTimes) {
  // 20 words of 0.5 s: 10 s of speech must become at least two cues of at most 7 s, and every cue
  // must start exactly when one of its words starts.
  std::vector<Word> words;
  for (int i = 0; i < 20; ++i) words.push_back(test::word("w" + std::to_string(i), i * 0.5, i * 0.5 + 0.45));
  Transcript t;
  t.segments.push_back(test::segment_of(words, ""));
  auto cues = build_subtitle_cues(t);
  ASSERT_GE(cues.size(), 2u);
  std::string all;
  for (const auto& c : cues) {
    EXPECT_LE(c.end_ms - c.start_ms, 7000);
    EXPECT_EQ(c.start_ms % 500, 0) << c.start_ms;
    for (const auto& line : c.lines) all += line + " ";
  }
  EXPECT_EQ(all, t.segments[0].text + " ");
}

TEST(SubtitleCues, LongTextIsBalancedOverTwoLines) {
  Transcript t;
  Segment s;
  s.start = 0;
  s.end = 4;
  s.text = "one two three four five six seven eight nine ten eleven twelve";  // 63 characters
  t.segments.push_back(s);
  auto cues = build_subtitle_cues(t);
  ASSERT_EQ(cues.size(), 1u);
  ASSERT_EQ(cues[0].lines.size(), 2u);
  EXPECT_EQ(cues[0].lines[0], "one two three four five six seven");
  EXPECT_EQ(cues[0].lines[1], "eight nine ten eleven twelve");
}

TEST(SubtitleCues, TheLastWordsOfASentenceAreNotLeftAlone) {
  // Fourteen 5-letter words fill two 41-character lines; "fffff." alone would be an orphan, so
  // the next cue takes three words.
  Transcript t;
  Segment s;
  s.start = 0;
  s.end = 6;
  for (int i = 10; i < 24; ++i) s.text += "word" + std::string(1, char('a' + i)) + " ";
  s.text += "fffff. Next one.";
  t.segments.push_back(s);
  auto cues = build_subtitle_cues(t, CueRules{});
  ASSERT_GE(cues.size(), 2u);
  EXPECT_EQ(cues[1].lines[0].rfind("wordw wordx fffff.", 0), 0u) << cues[1].lines[0];
}

TEST(SubtitleCues, ZeroLengthWordGetsAMinimumDurationWithoutOverlap) {
  Transcript t;
  t.segments.push_back(test::segment_of({test::word("Hi.", 1.0, 1.0)}, ""));
  t.segments.push_back(test::segment_of({test::word("Yes.", 1.05, 1.05)}, ""));
  t.segments.push_back(test::segment_of({test::word("Go.", 3.0, 3.0)}, ""));
  auto cues = build_subtitle_cues(t);
  ASSERT_EQ(cues.size(), 3u);
  EXPECT_EQ(cues[0].start_ms, 1000);
  EXPECT_EQ(cues[0].end_ms, 1050);  // cut short where the next cue starts
  EXPECT_EQ(cues[1].start_ms, 1050);
  EXPECT_EQ(cues[1].end_ms, 1150);  // stretched to the 100 ms minimum
  EXPECT_EQ(cues[2].start_ms, 3000);
  EXPECT_EQ(cues[2].end_ms, 3100);
}

TEST(SubtitleCues, SrtPrefixCountsAgainstTheLineLength) {
  Transcript t;
  Segment s;
  s.start = 0;
  s.end = 3;
  s.text = std::string(40, 'a');  // fits a line alone, not after "[A] "
  s.speaker = "A";
  t.segments.push_back(s);
  std::string srt = write_srt(t);
  for (const auto& c : parse_cues(srt, true))
    for (const auto& line : c.lines) EXPECT_LE(utf8_length(line), 42u) << line;
  EXPECT_NE(srt.find("[A] "), std::string::npos);
}

TEST(SubtitleCues, LongerSpeakerNamesReserveMoreOfTheFirstLine) {
  Transcript t;
  Segment s;
  s.start = 0;
  s.end = 3;
  s.text = "the quick brown fox jumps over the lazy dog again";
  s.speaker = "Alice\nSmith";  // a caller-supplied name, newline and all
  t.segments.push_back(s);
  std::string srt = write_srt(t);
  auto cues = parse_cues(srt, true);
  ASSERT_FALSE(cues.empty());
  EXPECT_EQ(cues[0].lines[0].rfind("[Alice Smith] ", 0), 0u) << srt;
  for (const auto& c : cues)
    for (const auto& line : c.lines) EXPECT_LE(utf8_length(line), 42u) << line;
  EXPECT_NE(write_vtt(t).find("<v Alice Smith>"), std::string::npos);
}

TEST(SubtitleCues, TextCannotBreakTheFileStructure) {
  Transcript t;
  Segment s;
  s.start = 0;
  s.end = 2;
  s.text = "a --> b\n\nc\r\n3\n\xff\xfe bad";
  t.segments.push_back(s);
  std::string srt = write_srt(t);
  EXPECT_EQ(srt.find("-->", srt.find('\n', srt.find("-->") + 1)), std::string::npos) << srt;
  EXPECT_EQ(srt.find("\n\n"), srt.size() - 2) << srt;  // one cue, one blank line at the end
  EXPECT_NE(srt.find("\xEF\xBF\xBD"), std::string::npos);  // invalid bytes replaced by U+FFFD
  if (test::score_py().empty()) return;
  EXPECT_EQ(test::check_subtitles(srt, "srt", "hostile").exit_code, 0);
  EXPECT_EQ(test::check_subtitles(write_vtt(t), "vtt", "hostile").exit_code, 0);
}

}  // namespace
}  // namespace vox
