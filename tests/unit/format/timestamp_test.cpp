#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "vox/format/writers.h"

namespace vox {
namespace {

TEST(FormatTimestamp, BothSeparators) {
  EXPECT_EQ(format_timestamp(0.0, ','), "00:00:00,000");
  EXPECT_EQ(format_timestamp(0.0, '.'), "00:00:00.000");
  EXPECT_EQ(format_timestamp(3723.456, ','), "01:02:03,456");
  EXPECT_EQ(format_timestamp(3723.456, '.'), "01:02:03.456");
}

TEST(FormatTimestamp, RoundsToNearestMillisecond) {
  EXPECT_EQ(format_timestamp(1.2346, ','), "00:00:01,235");
  EXPECT_EQ(format_timestamp(1.2344, ','), "00:00:01,234");
  EXPECT_EQ(format_timestamp(0.0004, ','), "00:00:00,000");
}

TEST(FormatTimestamp, RoundingCarriesIntoMinutesAndHours) {
  EXPECT_EQ(format_timestamp(59.9996, ','), "00:01:00,000");
  EXPECT_EQ(format_timestamp(59.9994, ','), "00:00:59,999");
  EXPECT_EQ(format_timestamp(3599.9996, '.'), "01:00:00.000");
  EXPECT_EQ(format_timestamp(119.9999, ','), "00:02:00,000");
}

TEST(FormatTimestamp, HoursPastNinetyNine) {
  EXPECT_EQ(format_timestamp(100 * 3600.0, ','), "100:00:00,000");
  EXPECT_EQ(format_timestamp(1234 * 3600.0 + 61.5, '.'), "1234:01:01.500");
}

TEST(FormatTimestamp, NegativeAndNonFiniteShowAsZero) {
  EXPECT_EQ(format_timestamp(-1.5, ','), "00:00:00,000");
  EXPECT_EQ(format_timestamp(std::nan(""), ','), "00:00:00,000");
  EXPECT_EQ(format_timestamp(std::numeric_limits<double>::infinity(), '.'), "00:00:00.000");
  EXPECT_EQ(format_timestamp(1e300, ','), "277777:46:40,000");  // clamped, not overflowed
}

}  // namespace
}  // namespace vox
