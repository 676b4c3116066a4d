#include "gates/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace modelgate::gates {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Reads every row of `text`; fails the test on a read error.
Rows ReadAll(const std::string& text, CsvOptions options = {}) {
  auto reader = CsvReader::Open(MemoryByteSource(text, "data.csv"), options);
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

// The first error reading `text`.
Status FirstError(const std::string& text, CsvOptions options = {}) {
  return ScanCsv(text.data(), text.size(), options);
}

// A source that hands out one byte per read, to cut every record at every position.
class TrickleSource : public ByteSource {
 public:
  explicit TrickleSource(std::string data) : data_(std::move(data)) {}
  Result<std::size_t> Read(char* buffer, std::size_t) override {
    if (offset_ == data_.size()) return std::size_t{0};
    buffer[0] = data_[offset_++];
    return std::size_t{1};
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  std::size_t offset_ = 0;
  std::string name_ = "trickle.csv";
};

TEST(CsvReaderTest, ReadsHeaderAndRows) {
  EXPECT_EQ(ReadAll("a,b\n1,2\n3,4\n"), (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
}

TEST(CsvReaderTest, SplitsFieldsOfEveryLengthAndByteValue) {
  // Field lengths 0..20 on both sides of the eight-byte steps of the delimiter search, with
  // bytes just below and above ',' (0x2C) and high UTF-8 bytes next to the delimiters.
  const std::string fillers[] = {"+", "-", "\xC3\xA9", "x"};
  for (const std::string& filler : fillers) {
    std::string text = "a,b,c\n";
    Rows expected = {{"a", "b", "c"}};
    for (std::size_t n = 0; n <= 20; ++n) {
      std::string first, second;
      for (std::size_t i = 0; i < n; ++i) first += filler;
      for (std::size_t i = 0; i < 20 - n; ++i) second += filler;
      text += first + "," + second + ",;\n";
      expected.push_back({first, second, ";"});
    }
    EXPECT_EQ(ReadAll(text), expected) << filler;
  }
}

TEST(CsvReaderTest, ReadsLastRowWithoutTrailingNewline) {
  EXPECT_EQ(ReadAll("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReaderTest, StripsCarriageReturnOfCrlfLineEnds) {
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReaderTest, SkipsUtf8ByteOrderMark) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF"
                    "a,b\n1,2\n"),
            (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReaderTest, UnquotesDoubledQuotesAndEmbeddedNewlines) {
  EXPECT_EQ(ReadAll("a,b\n\"x \"\"y\"\"\",\"line1\r\nline2\"\n3,\"\"\n"),
            (Rows{{"a", "b"}, {"x \"y\"", "line1\r\nline2"}, {"3", ""}}));
}

TEST(CsvReaderTest, KeepsDelimiterInsideQuotes) {
  EXPECT_EQ(ReadAll("a,b\n\"1,5\",2\n"), (Rows{{"a", "b"}, {"1,5", "2"}}));
}

TEST(CsvReaderTest, ReadsEmptyTrailingField) {
  EXPECT_EQ(ReadAll("a,b\n1,\n\"x\",\n"), (Rows{{"a", "b"}, {"1", ""}, {"x", ""}}));
}

TEST(CsvReaderTest, SkipsBlankLines) {
  EXPECT_EQ(ReadAll("a,b\n\n1,2\r\n\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReaderTest, ParsesRecordsCutAtEveryByteBoundary) {
  std::string text =
      "\xEF\xBB\xBF"
      "a,b\r\n\"q\"\"1\",\"multi\nline\"\n\xC3\xA9,2\n";
  auto reader =
      CsvReader::Open(std::make_unique<TrickleSource>(text), CsvOptions{.buffer_bytes = 4});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string_view> fields;
  Rows rows;
  while (true) {
    Result<bool> got = (*reader)->NextRow(&fields);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (!*got) break;
    rows.emplace_back(fields.begin(), fields.end());
  }
  EXPECT_EQ(rows, (Rows{{"q\"1", "multi\nline"}, {"\xC3\xA9", "2"}}));
}

TEST(CsvReaderTest, ReportsRaggedRowWithLineAndColumn) {
  Status status = FirstError("a,b\n1,2\n1,2,3\n");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "input:3:5: row has 3 fields, the header has 2");
}

TEST(CsvReaderTest, ReportsShortRow) {
  Status status = FirstError("a,b,c\n1,2\n");
  EXPECT_EQ(status.message(), "input:2:4: row has 2 fields, the header has 3");
}

TEST(CsvReaderTest, ReportsInvalidUtf8WithLineAndColumn) {
  Status status = FirstError("a,b\n1,2\nok,x\xFFy\n");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "input:3:5: invalid UTF-8 (byte 0xff)");
}

TEST(CsvReaderTest, ReportsLineOfErrorAfterMultiLineField) {
  Status status = FirstError("a,b\n\"x\ny\",2\n1,2,3\n");
  EXPECT_EQ(status.message(), "input:4:5: row has 3 fields, the header has 2");
}

TEST(CsvReaderTest, RejectsEmptyFile) {
  Status status = FirstError("");
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "input: empty file: no header row");
}

TEST(CsvReaderTest, RejectsDuplicateColumnNames) {
  EXPECT_EQ(FirstError("a,b,a\n").message(), "input:1:5: duplicate column name \"a\"");
}

TEST(CsvReaderTest, RejectsUnterminatedQuote) {
  EXPECT_EQ(FirstError("a,b\n1,\"open\n").message(),
            "input:2:3: quoted field is not closed before the end of the file");
}

TEST(CsvReaderTest, RejectsTextAfterClosingQuote) {
  EXPECT_EQ(FirstError("a\n\"x\"y\n").code(), Status::Code::kInvalidArgument);
}

TEST(CsvReaderTest, RejectsQuoteInsideUnquotedField) {
  EXPECT_EQ(FirstError("a\nx\"y\n").message(),
            "input:2:2: quote inside an unquoted field (quote the whole field)");
}

TEST(CsvReaderTest, RejectsFieldOverSizeBound) {
  CsvOptions options{.max_field_bytes = 1000, .buffer_bytes = 64};
  std::string text = "a,b\n1," + std::string(5000, 'x') + "\n";
  Status status = FirstError(text, options);
  EXPECT_EQ(status.code(), Status::Code::kResourceExhausted);
  EXPECT_NE(status.message().find("field larger than 1000 bytes"), std::string::npos);
}

TEST(CsvReaderTest, RejectsQuotedFieldOverSizeBoundWithoutReadingItAll) {
  CsvOptions options{.max_field_bytes = 1000, .max_record_bytes = 1u << 20, .buffer_bytes = 64};
  std::string text = "a\n\"" + std::string(100000, 'x');
  Status status = FirstError(text, options);
  EXPECT_EQ(status.code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(status.message(), "input:2:1: field larger than 1000 bytes");
}

TEST(CsvReaderTest, RejectsTooManyColumns) {
  CsvOptions options{.max_columns = 3};
  EXPECT_EQ(FirstError("a,b,c,d\n", options).code(), Status::Code::kResourceExhausted);
}

TEST(CsvReaderTest, NamesRowPosition) {
  auto reader = CsvReader::Open(MemoryByteSource("a\n1\n2\n", "d.csv"));
  ASSERT_TRUE(reader.ok());
  std::vector<std::string_view> fields;
  ASSERT_TRUE(*(*reader)->NextRow(&fields));
  ASSERT_TRUE(*(*reader)->NextRow(&fields));
  EXPECT_EQ((*reader)->Position(), "d.csv:3");
}

// Random two-column documents built from the constructs of the grammar, with an occasional
// stray byte that breaks them.
std::string RandomCsv(std::uint64_t seed, std::size_t rows) {
  static const char* const kFields[] = {
      "", "a", "12", "\"x,y\"", "\"q\"\"q\"", "\"two\nlines\"", "\xC3\xA9t\xC3\xA9", "   "};
  static constexpr char kStray[] = {'"', ',', '\n', '\r', '\xFF', '\xC3'};
  auto next = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return seed >> 33;
  };
  std::string out = "h1,h2\n";
  for (std::size_t i = 0; i < rows; ++i) {
    out += kFields[next() % 8];
    out += ',';
    out += kFields[next() % 8];
    out += next() % 2 ? "\r\n" : "\n";
    if (next() % 25 == 0) out.insert(out.size() - 1 - next() % 3, 1, kStray[next() % 6]);
  }
  return out;
}

// Every row and the final status, reading with a given buffer size.
std::pair<Rows, std::string> ReadWithBuffer(const std::string& text, std::size_t buffer) {
  CsvOptions options{.max_field_bytes = 64, .max_record_bytes = 256, .buffer_bytes = buffer};
  auto reader = CsvReader::Open(MemoryByteSource(text, "r.csv"), options);
  if (!reader.ok()) return {{}, reader.status().ToString()};
  Rows rows;
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = (*reader)->NextRow(&fields);
    if (!got.ok()) return {rows, got.status().ToString()};
    if (!*got) return {rows, "OK"};
    rows.emplace_back(fields.begin(), fields.end());
  }
}

TEST(CsvReaderTest, ReadsRandomInputTheSameWhateverTheBufferSize) {
  int with_rows = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const std::string text = RandomCsv(seed, 5 + seed % 40);
    auto whole = ReadWithBuffer(text, 1 << 16);
    if (!whole.first.empty()) ++with_rows;
    for (std::size_t buffer : {1, 3, 17}) {
      EXPECT_EQ(ReadWithBuffer(text, buffer), whole) << "seed " << seed << " buffer " << buffer;
    }
  }
  EXPECT_GT(with_rows, 30) << "the random documents should often parse past the header";
}

}  // namespace
}  // namespace modelgate::gates
