#include "gates/jsonl_reader.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace modelgate::gates
