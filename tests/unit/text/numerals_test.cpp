// write_numerals (numerals.h): spoken numbers to written ones, with word times and entities.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "vox/text/numerals.h"

#include "test_words.h"

namespace vox {
namespace {

std::vector<Word> numerals_words(const std::string& text, const std::string& speaker = "") {
  return test::words_of(text, speaker);
}

std::string numerals_join(const std::vector<Word>& words) { return test::joined(words, " "); }

std::string itn(const std::string& text) { return numerals_join(write_numerals(numerals_words(text))); }

// "type:text" of each entity found.
std::vector<std::string> itn_entities(const std::string& text) {
  std::vector<Entity> found;
  (void)write_numerals(numerals_words(text), &found);
  std::vector<std::string> out;
  for (const Entity& e : found) out.push_back(e.type + ":" + e.text);
  return out;
}

using Strings = std::vector<std::string>;

TEST(NumeralsCardinal, NumbersFromTenUpBecomeDigits) {
  EXPECT_EQ(itn("forty two"), "42");
  EXPECT_EQ(itn("one hundred and five"), "105");
  EXPECT_EQ(itn("one hundred five"), "105");
  EXPECT_EQ(itn("two thousand three hundred"), "2300");
  EXPECT_EQ(itn("sixty thousand packages"), "60,000 packages");
  EXPECT_EQ(itn("nine hundred ninety nine thousand nine hundred ninety nine"), "999,999");
  EXPECT_EQ(itn("he was forty."), "he was 40.");
  EXPECT_EQ(itn("between twenty and thirty"), "between 20 and 30");
  EXPECT_EQ(itn("ten minutes"), "10 minutes");
}

TEST(NumeralsCardinal, SmallNumbersInProseStayWords) {
  EXPECT_EQ(itn("one of them"), "one of them");
  EXPECT_EQ(itn("no one knows"), "no one knows");
  EXPECT_EQ(itn("the class starts at nine"), "the class starts at nine");
  EXPECT_EQ(itn("two or three weeks"), "two or three weeks");
  EXPECT_EQ(itn("four and a half percent"), "four and a half percent");
}

TEST(NumeralsCardinal, FormsTheScorerCannotReadBackStayWords) {
  EXPECT_EQ(itn("nineteen eighty four"), "nineteen eighty four");
  EXPECT_EQ(itn("twenty twenty four"), "twenty twenty four");
  EXPECT_EQ(itn("twelve hundred"), "twelve hundred");
  EXPECT_EQ(itn("a hundred people"), "a hundred people");
  EXPECT_EQ(itn("a thousand dollars"), "a thousand dollars");
  EXPECT_EQ(itn("two million five hundred thousand"), "two million five hundred thousand");
  EXPECT_EQ(itn("two point fifty"), "two point fifty");
  EXPECT_EQ(itn("one hundred and first"), "one hundred and first");
  EXPECT_EQ(itn("five five"), "five five");
}

TEST(NumeralsCardinal, YearsSaidAsAThousandsNumber) {
  EXPECT_EQ(itn("two thousand and five"), "2005");
  EXPECT_EQ(itn("in two thousand twenty"), "in 2020");
}

TEST(NumeralsDecimal, PointAndDigits) {
  EXPECT_EQ(itn("two point five"), "2.5");
  EXPECT_EQ(itn("zero point seven"), "0.7");
  EXPECT_EQ(itn("twenty point one five"), "20.15");
  EXPECT_EQ(itn("a fair point"), "a fair point");
  EXPECT_EQ(itn("one point five million"), "1.5 million");
  EXPECT_EQ(itn("three hundred million"), "300 million");
}

TEST(NumeralsMoney, Currencies) {
  EXPECT_EQ(itn("he paid twenty five dollars."), "he paid $25.");
  EXPECT_EQ(itn("Twenty five dollars."), "$25.");
  EXPECT_EQ(itn("three dollars and fifty cents"), "$3 and 50 cents");
  EXPECT_EQ(itn("fifty cents"), "50 cents");
  EXPECT_EQ(itn("twenty five euros"), "\xE2\x82\xAC" "25");
  EXPECT_EQ(itn("six hundred and twenty thousand dollars"), "$620,000");
  EXPECT_EQ(itn("four thousand five hundred dollars"), "$4,500");
  EXPECT_EQ(itn("twelve dollars, or forty dollars"), "$12, or $40");
  EXPECT_EQ(itn("one point five million dollars"), "1.5 million dollars");
  EXPECT_EQ(itn("nine million dollars"), "9 million dollars");
}

TEST(NumeralsMoney, SingularsStay) {
  EXPECT_EQ(itn("one dollar"), "one dollar");
  EXPECT_EQ(itn("a twenty dollar bill"), "a 20 dollar bill");
  EXPECT_EQ(itn("one cent"), "one cent");
}

TEST(NumeralsPercent, Percent) {
  EXPECT_EQ(itn("ten percent"), "10%");
  EXPECT_EQ(itn("five percent"), "5%");
  EXPECT_EQ(itn("two point five percent"), "2.5%");
  EXPECT_EQ(itn("twelve per cent."), "12%.");
  EXPECT_EQ(itn("one hundred percent"), "100%");
}

TEST(NumeralsTime, ClockTimes) {
  EXPECT_EQ(itn("we meet at three thirty"), "we meet at 3:30");
  EXPECT_EQ(itn("the bus comes at seven fifteen, so"), "the bus comes at 7:15, so");
  EXPECT_EQ(itn("at three thirty p m"), "at 3:30 p.m.");
  EXPECT_EQ(itn("ten fifteen p m"), "10:15 p.m.");
  EXPECT_EQ(itn("ten oh five a m."), "10:05 a.m.");
  EXPECT_EQ(itn("six pm"), "6 PM");
  EXPECT_EQ(itn("at eight thirty a.m."), "at 8:30 a.m.");
  EXPECT_EQ(itn("three o'clock"), "3 o'clock");
  EXPECT_EQ(itn("three o clock"), "three o clock");
}

TEST(NumeralsTime, NotATime) {
  EXPECT_EQ(itn("three thirty"), "three thirty");  // no cue
  EXPECT_EQ(itn("after three thirty minutes"), "after three thirty minutes");
  EXPECT_EQ(itn("at twelve fifty dollars"), "at twelve fifty dollars");
  EXPECT_EQ(itn("at nine"), "at nine");
  EXPECT_EQ(itn("at. three thirty"), "at. three thirty");  // the cue is in another sentence
}

TEST(NumeralsOrdinal, FromTenUp) {
  EXPECT_EQ(itn("the tenth time"), "the 10th time");
  EXPECT_EQ(itn("twenty first century"), "21st century");
  EXPECT_EQ(itn("the twenty second"), "the 22nd");
  EXPECT_EQ(itn("the eleventh"), "the 11th");
  EXPECT_EQ(itn("one hundredth"), "100th");
  EXPECT_EQ(itn("the fifth"), "the fifth");
  EXPECT_EQ(itn("at first I thought so"), "at first I thought so");
  EXPECT_EQ(itn("wait a second"), "wait a second");
  EXPECT_EQ(itn("one second"), "one second");
}

TEST(NumeralsDate, MonthAndDay) {
  EXPECT_EQ(itn("january fifth"), "January 5th");
  EXPECT_EQ(itn("the fifth of may"), "the 5th of May");
  EXPECT_EQ(itn("march third twenty twenty"), "March 3rd twenty twenty");
  EXPECT_EQ(itn("on may first two thousand and five."), "on May 1st, 2005.");
  EXPECT_EQ(itn("you may first want to"), "you may first want to");
  EXPECT_EQ(itn("the first of the month"), "the first of the month");
}

TEST(NumeralsEntities, ReportedWithTheirTypes) {
  EXPECT_EQ(itn_entities("he paid twenty five dollars."), Strings{"money:$25"});
  EXPECT_EQ(itn_entities("ten percent at three thirty"), (Strings{"percent:10%", "time:3:30"}));
  EXPECT_EQ(itn_entities("january fifth"), Strings{"date:January 5th"});
  EXPECT_EQ(itn_entities("the tenth of forty two"), (Strings{"ordinal:10th", "number:42"}));
  EXPECT_EQ(itn_entities("one of them"), Strings{});
}

TEST(NumeralsEntities, PhoneEmailUrlAreFoundButLeftAsSpoken) {
  const std::string phone = "call five five five one two three four now";
  EXPECT_EQ(itn(phone), phone);
  EXPECT_EQ(itn_entities(phone), Strings{"phone:555-1234"});
  EXPECT_EQ(itn_entities("five five five oh one two three four five six"), Strings{"phone:555-012-3456"});
  EXPECT_EQ(itn_entities("one two three"), Strings{});
  const std::string email = "write to john dot smith at example dot com";
  EXPECT_EQ(itn(email), email);
  EXPECT_EQ(itn_entities(email), Strings{"email:john.smith@example.com"});
  EXPECT_EQ(itn_entities("w w w dot example dot com"), Strings{"url:www.example.com"});
  EXPECT_EQ(itn_entities("visit example dot co dot uk today"), Strings{"url:example.co.uk"});
  EXPECT_EQ(itn_entities("look at example dot com"), Strings{"url:example.com"});
  EXPECT_EQ(itn_entities("a dot and a line"), Strings{});
}

TEST(NumeralsSpan, MergedTokenTakesTimesSpeakerAndLowestConfidence) {
  std::vector<Word> in = numerals_words("paid twenty five dollars. Then", "A");
  in[2].confidence = 0.3f;
  std::vector<Entity> found;
  std::vector<Word> out = write_numerals(in, &found);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].text, "paid");
  EXPECT_EQ(out[1].text, "$25.");
  EXPECT_DOUBLE_EQ(out[1].start, 1.0);
  EXPECT_DOUBLE_EQ(out[1].end, 3.5);
  EXPECT_FLOAT_EQ(out[1].confidence, 0.3f);
  EXPECT_EQ(out[1].speaker, "A");
  EXPECT_EQ(out[2].text, "Then");
  EXPECT_DOUBLE_EQ(out[2].start, 4.0);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "money");
  EXPECT_EQ(found[0].text, "$25");
  EXPECT_DOUBLE_EQ(found[0].start, 1.0);
  EXPECT_DOUBLE_EQ(found[0].end, 3.5);
  EXPECT_EQ(found[0].speaker, "A");
}

TEST(NumeralsSpan, NeverJoinsTwoSpeakers) {
  std::vector<Word> in = numerals_words("twenty five dollars");
  in[0].speaker = "A";
  in[1].speaker = "B";
  in[2].speaker = "B";
  std::vector<Word> out = write_numerals(in);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].text, "20");
  EXPECT_EQ(out[0].speaker, "A");
  EXPECT_EQ(out[1].text, "$5");
  EXPECT_EQ(out[1].speaker, "B");
  EXPECT_DOUBLE_EQ(out[1].start, 1.0);
}

TEST(NumeralsSpan, NeverCrossesAMark) {
  EXPECT_EQ(itn("I said twenty. Five dollars"), "I said 20. $5");
  EXPECT_EQ(itn("twenty, twenty five"), "20, 25");
  EXPECT_EQ(itn("ten fifteen p m."), "10:15 p.m.");  // no doubled period
  EXPECT_EQ(itn("\"twenty five\" he said"), "\"25\" he said");
}

TEST(NumeralsSpan, EmptyAndUnchanged) {
  EXPECT_TRUE(write_numerals({}).empty());
  std::vector<Word> in = numerals_words("Nothing to see here.", "B");
  std::vector<Word> out = write_numerals(in);
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].text, in[i].text);
    EXPECT_DOUBLE_EQ(out[i].start, in[i].start);
  }
}

}  // namespace
}  // namespace vox
