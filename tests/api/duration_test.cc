#include "api/duration.h"

#include <gtest/gtest.h>

#include <chrono>

namespace modelgate {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

nanoseconds Parse(std::string_view text) {
  auto d = ParseGoDuration(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().ToString();
  return d.ok() ? *d : nanoseconds(-1);
}

TEST(GoDurationTest, ParsesHoursAndMinutes) {
  EXPECT_EQ(Parse("720h30m"), hours(720) + minutes(30));
}

TEST(GoDurationTest, ParsesEveryUnit) {
  EXPECT_EQ(Parse("1h2m3s4ms5us6ns"),
            hours(1) + minutes(2) + seconds(3) + milliseconds(4) + nanoseconds(5006));
  EXPECT_EQ(Parse("7\xC2\xB5s"), nanoseconds(7000));
}

TEST(GoDurationTest, ParsesFractions) {
  EXPECT_EQ(Parse("1.5h"), minutes(90));
  EXPECT_EQ(Parse(".5s"), milliseconds(500));
}

TEST(GoDurationTest, ParsesSignAndBareZero) {
  EXPECT_EQ(Parse("-90s"), seconds(-90));
  EXPECT_EQ(Parse("0"), nanoseconds(0));
}

TEST(GoDurationTest, RefusesMissingUnit) {
  auto d = ParseGoDuration("30");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("missing unit"), std::string::npos);
}

TEST(GoDurationTest, RefusesUnknownUnit) {
  auto d = ParseGoDuration("3d");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("unknown unit \"d\""), std::string::npos);
}

TEST(GoDurationTest, RefusesEmptyAndGarbage) {
  EXPECT_FALSE(ParseGoDuration("").ok());
  EXPECT_FALSE(ParseGoDuration("h").ok());
  EXPECT_FALSE(ParseGoDuration("-").ok());
  EXPECT_FALSE(ParseGoDuration("1h 2m").ok());
}

TEST(GoDurationTest, RefusesOverflow) { EXPECT_FALSE(ParseGoDuration("9999999999h").ok()); }

TEST(GoDurationTest, RefusesOverlongInputWithoutReadingIt) {
  std::string long_text(1 << 20, '1');
  long_text += "s";
  auto d = ParseGoDuration(long_text);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("too long"), std::string::npos);
}

TEST(GoDurationTest, FormatsLikeGo) {
  EXPECT_EQ(FormatGoDuration(hours(720)), "720h0m0s");
  EXPECT_EQ(FormatGoDuration(minutes(90)), "1h30m0s");
  EXPECT_EQ(FormatGoDuration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(FormatGoDuration(milliseconds(250)), "250ms");
  EXPECT_EQ(FormatGoDuration(nanoseconds(0)), "0s");
  EXPECT_EQ(FormatGoDuration(seconds(-5)), "-5s");
}

TEST(GoDurationTest, FormatThenParseRoundTrips) {
  for (nanoseconds d : {nanoseconds(1), nanoseconds(1234567), nanoseconds(hours(123) + seconds(7)),
                        nanoseconds(std::chrono::microseconds(42))}) {
    EXPECT_EQ(Parse(FormatGoDuration(d)), d);
  }
}

}  // namespace
}  // namespace modelgate
