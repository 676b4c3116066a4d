#include "gates/category_counts.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace modelgate::gates {
namespace {

TEST(CategoryCountsTest, CountsEveryDistinctValue) {
  CategoryCounts counts(1000);
  // Far more distinct values than cache slots, interleaved, so slots are shared and evicted.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 300; ++i) counts.Add("value-" + std::to_string(i));
  }
  counts.Add("");
  ASSERT_EQ(counts.map().size(), 301u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(counts.map().at("value-" + std::to_string(i)), 3);
  EXPECT_EQ(counts.map().at(""), 1);
  EXPECT_FALSE(counts.overflowed());
}

TEST(CategoryCountsTest, TellsApartValuesThatShareBytes) {
  CategoryCounts counts(1000);
  // Values of every length up to 40 that differ in one byte only, at the start, the middle
  // or the end, and values that are prefixes of one another.
  std::vector<std::string> values;
  for (std::size_t n = 1; n <= 40; ++n) {
    for (std::size_t at : {std::size_t{0}, n / 2, n - 1}) {
      std::string v(n, 'a');
      v[at] = 'b';
      values.push_back(v);
    }
    values.push_back(std::string(n, 'a'));
  }
  for (int round = 0; round < 2; ++round) {
    for (const std::string& v : values) counts.Add(v);
  }
  for (const std::string& v : values) {
    std::size_t copies = 0;
    for (const std::string& w : values) copies += v == w;
    EXPECT_EQ(counts.map().at(v), static_cast<std::int64_t>(2 * copies)) << v;
  }
}

TEST(CategoryCountsTest, ForgetsEverythingPastTheBound) {
  CategoryCounts counts(3);
  for (const char* v : {"a", "b", "c", "a"}) counts.Add(v);
  EXPECT_FALSE(counts.overflowed());
  counts.Add("d");
  EXPECT_TRUE(counts.overflowed());
  EXPECT_TRUE(counts.map().empty());
  counts.Add("a");
  EXPECT_TRUE(counts.map().empty());
}

TEST(CategoryCountsTest, CopiesCountOnTheirOwn) {
  CategoryCounts original(10);
  original.Add("x");
  CategoryCounts copy = original;
  copy.Add("x");
  original.Add("x");
  original.Add("x");
  EXPECT_EQ(copy.map().at("x"), 2);
  EXPECT_EQ(original.map().at("x"), 3);
  CategoryCounts moved = std::move(copy);
  moved.Add("x");
  EXPECT_EQ(moved.map().at("x"), 3);
  CategoryCounts assigned(10);
  assigned = moved;
  assigned.Add("x");
  EXPECT_EQ(assigned.map().at("x"), 4);
  EXPECT_EQ(moved.map().at("x"), 3);
}

}  // namespace
}  // namespace modelgate::gates
