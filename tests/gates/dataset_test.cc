#include "gates/dataset.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace modelgate::gates {
namespace {

TEST(DatasetTest, RecognisesNullSpellings) {
  EXPECT_TRUE(IsNullValue(""));
  EXPECT_TRUE(IsNullValue("NA"));
  EXPECT_TRUE(IsNullValue("null"));
  EXPECT_FALSE(IsNullValue("0"));
  EXPECT_FALSE(IsNullValue("None"));
}

TEST(DatasetTest, ParsesFiniteNumbersOnly) {
  double x = 0;
  EXPECT_TRUE(ParseFiniteDouble("-1.5e3", &x));
  EXPECT_EQ(x, -1500);
  EXPECT_TRUE(ParseFiniteDouble("+2", &x));
  EXPECT_EQ(x, 2);
  EXPECT_FALSE(ParseFiniteDouble("nan", &x));
  EXPECT_FALSE(ParseFiniteDouble("inf", &x));
  EXPECT_FALSE(ParseFiniteDouble("1e999", &x));
  EXPECT_FALSE(ParseFiniteDouble(" 1", &x));
  EXPECT_FALSE(ParseFiniteDouble("1,5", &x));
  EXPECT_FALSE(ParseFiniteDouble("+-1", &x));
  EXPECT_FALSE(ParseFiniteDouble("", &x));
}

// The reference: what ParseFiniteDouble returned before plain decimals took a fast path.
bool FromCharsFiniteDouble(std::string_view text, double* value) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') {
    ++begin;
    if (begin == end || *begin == '-') return false;
  }
  auto [ptr, ec] = std::from_chars(begin, end, *value, std::chars_format::general);
  return !text.empty() && ec == std::errc() && ptr == end && std::isfinite(*value);
}

TEST(DatasetTest, ParsesEveryDecimalExactlyAsFromChars) {
  std::vector<std::string> texts = {"0",
                                    "-0",
                                    "-0.0",
                                    "007.50",
                                    "9007199254740992",
                                    "9007199254740993",
                                    "0.1",
                                    "0.30000000000000004",
                                    "123456789012345678901",
                                    "1.",
                                    ".5",
                                    "-",
                                    ".",
                                    "1..2",
                                    "1.2.3",
                                    "--1",
                                    "1a",
                                    "0.0000000000000000000001",
                                    "1.00000000000000000000001",
                                    "4.35",
                                    "-2.675"};
  std::uint64_t x = 7;
  for (int i = 0; i < 200000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string text = (x >> 63) != 0 ? "-" : "";
    text += std::to_string((x >> 20) % 100000000000ULL);
    const int decimals = static_cast<int>((x >> 8) % 24);
    if (decimals > 0) text += "." + std::to_string((x >> 30) % 1000000).substr(0, decimals);
    texts.push_back(text);
  }
  for (const std::string& text : texts) {
    double fast = -1, reference = -1;
    const bool parsed = FromCharsFiniteDouble(text, &reference);
    ASSERT_EQ(ParseFiniteDouble(text, &fast), parsed) << text;
    if (parsed) {
      ASSERT_EQ(fast, reference) << text;
      ASSERT_EQ(std::signbit(fast), std::signbit(reference)) << text;
    }
  }
}

TEST(DatasetTest, FindsFirstInvalidUtf8Byte) {
  const std::string valid = "plain ascii, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80";
  EXPECT_EQ(FindInvalidUtf8(valid.data(), valid.size()), valid.size());
  const std::string overlong = "abcdefghij\xC0\xAF";
  EXPECT_EQ(FindInvalidUtf8(overlong.data(), overlong.size()), 10u);
  const std::string surrogate = "x\xED\xA0\x80";
  EXPECT_EQ(FindInvalidUtf8(surrogate.data(), surrogate.size()), 1u);
  const std::string truncated = "ok\xE2\x82";
  EXPECT_EQ(FindInvalidUtf8(truncated.data(), truncated.size()), 2u);
  const std::string too_high = "\xF4\x90\x80\x80";
  EXPECT_EQ(FindInvalidUtf8(too_high.data(), too_high.size()), 0u);
}

TEST(DatasetTest, OpensBothFormatsBehindOneInterface) {
  for (auto [format, text] :
       {std::pair{DatasetFormat::kCsv, std::string("a,b\n1,x\n")},
        std::pair{DatasetFormat::kJsonLines, std::string("{\"a\": 1, \"b\": \"x\"}\n")}}) {
    auto source = OpenDataset(MemoryByteSource(text, "d"), format);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    EXPECT_EQ((*source)->column_names(), (std::vector<std::string>{"a", "b"}));
    std::vector<std::string_view> row;
    ASSERT_TRUE(*(*source)->NextRow(&row));
    EXPECT_EQ(row, (std::vector<std::string_view>{"1", "x"}));
    EXPECT_FALSE(*(*source)->NextRow(&row));
  }
}

TEST(DatasetTest, ParsesFormatNames) {
  EXPECT_EQ(*ParseDatasetFormat("csv"), DatasetFormat::kCsv);
  EXPECT_EQ(*ParseDatasetFormat("jsonl"), DatasetFormat::kJsonLines);
  EXPECT_EQ(ParseDatasetFormat("parquet").status().message(),
            "unknown dataset format \"parquet\" (expected csv or jsonl)");
}

}  // namespace
}  // namespace modelgate::gates
