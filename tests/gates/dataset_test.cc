#include "gates/dataset.h"

#include <gtest/gtest.h>

#include <string>

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
