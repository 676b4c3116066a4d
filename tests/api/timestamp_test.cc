#include "api/timestamp.h"

#include <gtest/gtest.h>

namespace modelgate {
namespace {

using std::chrono::sys_days;

TEST(TimestampTest, ParsesUtc) {
  auto t = ParseTimestamp("2026-01-02T15:04:05Z");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatTimestamp(*t), "2026-01-02T15:04:05Z");
}

TEST(TimestampTest, AppliesOffsetsAndDropsFractions) {
  auto t = ParseTimestamp("2026-01-02T17:04:05.987+02:00");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatTimestamp(*t), "2026-01-02T15:04:05Z");
}

TEST(TimestampTest, RefusesMissingZone) {
  auto t = ParseTimestamp("2026-01-02T15:04:05");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("RFC 3339"), std::string::npos);
}

TEST(TimestampTest, RefusesImpossibleDates) {
  EXPECT_FALSE(ParseTimestamp("2026-02-30T00:00:00Z").ok());
  EXPECT_FALSE(ParseTimestamp("2026-01-02T24:00:00Z").ok());
  EXPECT_FALSE(ParseTimestamp("yesterday at noon, roughly").ok());
}

TEST(TimestampTest, FormatsEpoch) {
  EXPECT_EQ(FormatTimestamp(Timestamp(sys_days(std::chrono::year(1970) / 1 / 1))),
            "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace modelgate
