#include "gates/jsonl_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace modelgate::gates {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows ReadAll(const std::string& text) {
  auto reader = JsonLinesReader::Open(MemoryByteSource(text, "data.jsonl"));
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  Rows rows;
  rows.emplace_back((*reader)->column_names().begin(), (*reader)->column_names().end());
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = (*reader)->NextRow(&fields);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok() || !*got) break;
    rows.emplace_back(fields.begin(), fields.end());
  }
  return rows;
}

Status FirstError(const std::string& text, JsonLinesOptions options = {}) {
  return ScanJsonLines(text.data(), text.size(), options);
}

TEST(JsonLinesReaderTest, ReadsColumnsInFirstObjectOrder) {
  EXPECT_EQ(ReadAll("{\"b\": 1, \"a\": \"x\"}\n{\"b\": 2.5, \"a\": \"y\"}\n"),
            (Rows{{"b", "a"}, {"1", "x"}, {"2.5", "y"}}));
}

TEST(JsonLinesReaderTest, ReadsNullAndMissingKeysAsEmpty) {
  EXPECT_EQ(ReadAll("{\"a\": 1, \"b\": true}\n{\"a\": null}\n"),
            (Rows{{"a", "b"}, {"1", "true"}, {"", ""}}));
}

TEST(JsonLinesReaderTest, SkipsBlankLinesAndCrlf) {
  EXPECT_EQ(ReadAll("{\"a\": 1}\r\n\r\n{\"a\": 2}"), (Rows{{"a"}, {"1"}, {"2"}}));
}

TEST(JsonLinesReaderTest, RejectsEmptyFile) {
  EXPECT_EQ(FirstError("\n\n").message(), "input: empty file: no rows");
}

TEST(JsonLinesReaderTest, ReportsMalformedJsonWithLine) {
  Status status = FirstError("{\"a\": 1}\n{\"a\": }\n");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("input:2:", 0), 0u) << status.message();
}

TEST(JsonLinesReaderTest, NumberBeyondDoubleRangeIsAnErrorNotAnException) {
  // nlohmann throws out_of_range for it, which once escaped the reader and ended the process.
  Status status = FirstError("{\"a\": 1}\n{\"a\": 341e308}\n");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "input:2:1: invalid JSON: number overflow parsing '341e308'");
}

TEST(JsonLinesReaderTest, RejectsNulByteAfterAnObject) {
  // nlohmann's lexer alone stops at a NUL and would read the object before it.
  Status status = FirstError(std::string("{\"a\": 1}\n{\"a\": 2}\0{\"b\"\n", 23));
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "input:2:9: invalid JSON: NUL byte");
}

TEST(JsonLinesReaderTest, RejectsNewKeys) {
  EXPECT_EQ(FirstError("{\"a\": 1}\n{\"b\": 1}\n").message(),
            "input:2:1: key \"b\" is not among the columns of the first line");
}

TEST(JsonLinesReaderTest, RejectsNestedValues) {
  EXPECT_EQ(FirstError("{\"a\": [1]}\n").code(), Status::Code::kInvalidArgument);
}

TEST(JsonLinesReaderTest, RejectsNonObjectLines) {
  EXPECT_EQ(FirstError("[1, 2]\n").message(), "input:1:1: expected a JSON object");
}

TEST(JsonLinesReaderTest, RejectsDeepNestingBeforeParsing) {
  std::string deep = "{\"a\": " + std::string(100000, '[') + "\n";
  EXPECT_EQ(FirstError(deep).message(), "input:1:1: nesting deeper than 64");
}

TEST(JsonLinesReaderTest, RejectsLineOverLengthBound) {
  JsonLinesOptions options{.max_line_bytes = 100, .buffer_bytes = 16};
  std::string text = "{\"a\": \"" + std::string(1000, 'x') + "\"}\n";
  EXPECT_EQ(FirstError(text, options).code(), Status::Code::kResourceExhausted);
}

TEST(JsonLinesReaderTest, RejectsInvalidUtf8InStrings) {
  EXPECT_EQ(FirstError("{\"a\": \"\xFF\"}\n").code(), Status::Code::kInvalidArgument);
}

// A source that hands out at most three bytes per read.
class TrickleSource : public ByteSource {
 public:
  explicit TrickleSource(std::string data) : data_(std::move(data)) {}
  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    std::size_t n = std::min({size, std::size_t{3}, data_.size() - offset_});
    data_.copy(buffer, n, offset_);
    offset_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  std::size_t offset_ = 0;
  std::string name_ = "trickle.jsonl";
};

TEST(JsonLinesReaderTest, ReadsLinesCutAcrossReadsAndBufferGrowth) {
  std::string text = "{\"a\": \"" + std::string(100, 'x') + "\", \"b\": -1.5e3}\n{\"a\": \"y\"}\n";
  auto reader = JsonLinesReader::Open(std::make_unique<TrickleSource>(text),
                                      JsonLinesOptions{.buffer_bytes = 8});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string_view> fields;
  ASSERT_TRUE(*(*reader)->NextRow(&fields));
  EXPECT_EQ(fields[0], std::string(100, 'x'));
  EXPECT_EQ(fields[1], "-1500.0");
  ASSERT_TRUE(*(*reader)->NextRow(&fields));
  EXPECT_EQ(fields[0], "y");
  EXPECT_EQ(fields[1], "");
  EXPECT_FALSE(*(*reader)->NextRow(&fields));
}

}  // namespace
}  // namespace modelgate::gates
