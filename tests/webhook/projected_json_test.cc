#include "webhook/projected_json.h"

#include <gtest/gtest.h>

#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace modelgate::webhook {
namespace {

using nlohmann::json;
using policy::FieldUse;

// The parser this one replaced, nlohmann's SAX parser with a projecting handler: the reference
// for which documents are accepted and what is kept of them.
class ProjectingBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  ProjectingBuilder(const FieldUseFunction& use, int max_depth)
      : use_(use), max_depth_(max_depth) {}

  bool null() { return Scalar(nullptr); }
  bool boolean(bool v) { return Scalar(v); }
  bool number_integer(number_integer_t v) { return Scalar(v); }
  bool number_unsigned(number_unsigned_t v) { return Scalar(v); }
  bool number_float(number_float_t v, const string_t&) { return Scalar(v); }
  bool string(string_t& v) { return Scalar(std::move(v)); }
  bool binary(binary_t& v) { return Scalar(json::binary(std::move(v))); }
  bool start_object(std::size_t) { return Open(json::value_t::object); }
  bool start_array(std::size_t) { return Open(json::value_t::array); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(string_t& k) {
    if (skipped_depth_ > 0) return true;
    const Frame& top = frames_.back();
    if (!top.whole) {
      path_.push_back(k);
      pending_use_ = use_(path_);
      path_.pop_back();
    }
    pending_key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] ".
    if (auto pos = error_.find("] "); pos != std::string::npos) error_ = error_.substr(pos + 2);
    return false;
  }

  bool too_deep() const { return too_deep_; }
  const std::string& error() const { return error_; }
  json& root() { return root_; }

 private:
  struct Frame {
    json* node;
    bool whole;        // keep everything below
    bool pushed_path;  // a key was pushed on path_ for this object
  };

  // The use of the value about to be read.
  FieldUse UseOfNextValue() const {
    if (skipped_depth_ > 0) return FieldUse::kUnused;
    if (frames_.empty()) return use_(path_);
    const Frame& top = frames_.back();
    if (top.whole || top.node->is_array()) return FieldUse::kWhole;
    return pending_use_;
  }

  json* Insert(json value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *frames_.back().node;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[std::move(pending_key_)];
    slot = std::move(value);
    return &slot;
  }

  template <typename T>
  bool Scalar(T&& value) {
    if (UseOfNextValue() == FieldUse::kUnused) return true;
    Insert(json(std::forward<T>(value)));
    return true;
  }

  bool Open(json::value_t type) {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    const FieldUse use = UseOfNextValue();
    const bool root = frames_.empty();
    if (use == FieldUse::kUnused || (use == FieldUse::kPartly && type == json::value_t::array)) {
      // A root that is not an object is kept, empty, so that the caller sees its type.
      if (root && use == FieldUse::kPartly) Insert(json(type));
      ++skipped_depth_;
      return true;
    }
    std::string key = root ? std::string() : pending_key_;
    json* node = Insert(json(type));
    const bool partly = use == FieldUse::kPartly;
    if (partly && !root) path_.push_back(std::move(key));
    frames_.push_back({node, !partly, partly && !root});
    return true;
  }

  bool Close() {
    --depth_;
    if (skipped_depth_ > 0) {
      --skipped_depth_;
      return true;
    }
    if (frames_.back().pushed_path) path_.pop_back();
    frames_.pop_back();
    return true;
  }

  const FieldUseFunction& use_;
  const int max_depth_;
  json root_;
  std::vector<Frame> frames_;
  std::vector<std::string> path_;  // keys of the open kPartly objects below the root
  std::string pending_key_;
  FieldUse pending_use_ = FieldUse::kUnused;
  int depth_ = 0;
  int skipped_depth_ = 0;  // open containers inside a left-out value
  bool too_deep_ = false;
  std::string error_;
};

// Keeps "keep" whole, looks into "look" (and "look.look"), and drops everything else.
FieldUse LookAndKeep(std::span<const std::string> path) {
  if (path.empty()) return FieldUse::kPartly;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] != "look") return FieldUse::kUnused;
  }
  if (path.back() == "keep") return FieldUse::kWhole;
  if (path.back() == "look") return FieldUse::kPartly;
  return FieldUse::kUnused;
}

Result<json> Parse(const std::string& text, int max_depth = 64) {
  return ParseProjectedJson(text.data(), text.size(), LookAndKeep, max_depth);
}

TEST(ProjectedJsonTest, KeepsOnlyUsedFields) {
  auto r = Parse(R"({"keep": {"a": [1, {"b": null}]}, "drop": {"x": [1, 2, {"y": 3}]},
                    "look": {"keep": "k", "drop": 1, "look": {"keep": [true], "z": {}}}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, json::parse(R"({"keep": {"a": [1, {"b": null}]},
                                "look": {"keep": "k", "look": {"keep": [true]}}})"));
}

TEST(ProjectedJsonTest, PartlyUsedArrayIsLeftOutAndScalarKept) {
  auto r = Parse(R"({"look": [{"keep": 1}], "keep": 2})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, json::parse(R"({"keep": 2})"));
  r = Parse(R"({"look": "not an object"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, json::parse(R"({"look": "not an object"})"));
}

TEST(ProjectedJsonTest, NonObjectRootIsKept) {
  auto r = Parse("[1, 2]");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_array());
  EXPECT_EQ(*Parse("7"), 7);
}

TEST(ProjectedJsonTest, SyntaxErrorNamesLineAndColumn) {
  auto r = Parse("{\"drop\": [1,\n 2,, 3]}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("malformed JSON: parse error at line 2, column 4"),
            std::string::npos)
      << r.status().message();
  EXPECT_FALSE(Parse("").ok());
  EXPECT_FALSE(Parse(R"({"a": 1} trailing)").ok());
}

TEST(ProjectedJsonTest, RefusesNulByteAfterADocument) {
  // nlohmann's lexer alone stops at a NUL and would accept the review before it.
  auto r = Parse(std::string("{\"keep\": 1}\0{\"keep\": 2}", 23));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "malformed JSON: NUL byte at offset 11");
}

TEST(ProjectedJsonTest, DepthCountsLeftOutParts) {
  std::string deep = R"({"drop": )" + std::string(70, '[') + std::string(70, ']') + "}";
  auto r = Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
  EXPECT_TRUE(Parse(R"({"drop": )" + std::string(60, '[') + std::string(60, ']') + "}").ok());
}

TEST(ProjectedJsonTest, VeryDeepInputFailsWithoutRecursion) {
  auto r = Parse(std::string(1'000'000, '['));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
}

TEST(ProjectedJsonTest, DuplicateKeysKeepTheLast) {
  auto r = Parse(R"({"keep": 1, "keep": 2})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["keep"], 2);
}

FieldUse KeepAll(std::span<const std::string>) { return FieldUse::kWhole; }

// What nlohmann's own parser makes of `text`, for comparing types as well as values.
json Whole(const std::string& text) {
  auto r = ParseProjectedJson(text.data(), text.size(), KeepAll, 64);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : json();
}

bool Accepts(const std::string& text) {
  return ParseProjectedJson(text.data(), text.size(), KeepAll, 64).ok();
}

TEST(ProjectedJsonTest, DecodesEscapesAndSurrogatePairs) {
  EXPECT_EQ(Whole(R"("\"\\\/\b\f\n\r\t")"), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(Whole(R"("\u00e9\u20AC\ud83d\ude00")"), "\u00e9\u20ac\U0001F600");
  EXPECT_EQ(Whole(R"("a\u0000b")"), std::string("a\0b", 3));
  EXPECT_FALSE(Accepts(R"("\uD800")"));
  EXPECT_FALSE(Accepts(R"("\uD800\u0041")"));
  EXPECT_FALSE(Accepts(R"("\uDC00")"));
  EXPECT_FALSE(Accepts(R"("\u12")"));
  EXPECT_FALSE(Accepts(R"("\x")"));
  EXPECT_FALSE(Accepts(R"({"drop": "\uD800x"})"));
}

TEST(ProjectedJsonTest, RefusesControlCharactersAndBadUtf8EvenInLeftOutValues) {
  EXPECT_FALSE(Parse("{\"drop\": \"a\tb\"}").ok());
  EXPECT_FALSE(Parse("{\"drop\": \"a\x1f\"}").ok());
  EXPECT_TRUE(Parse("{\"drop\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}").ok());
  for (const char* bad : {"\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xe0\x80\xaf", "\xf4\x90\x80\x80",
                          "\xf8", "\xff", "\x80"}) {
    EXPECT_FALSE(Parse(std::string("{\"drop\": \"") + bad + "\"}").ok()) << bad;
  }
  EXPECT_TRUE(Accepts("\xef\xbb\xbf{}"));  // a byte order mark, as nlohmann skips it
}

TEST(ProjectedJsonTest, ConvertsNumbersAsNlohmannDoes) {
  EXPECT_TRUE(Whole("-0").is_number_integer());
  EXPECT_TRUE(Whole("7").is_number_unsigned());
  EXPECT_TRUE(Whole("-7").is_number_integer());
  EXPECT_TRUE(Whole("18446744073709551615").is_number_unsigned());
  EXPECT_TRUE(Whole("18446744073709551616").is_number_float());
  EXPECT_TRUE(Whole("-9223372036854775808").is_number_integer());
  EXPECT_TRUE(Whole("-9223372036854775809").is_number_float());
  EXPECT_EQ(Whole("1e-400"), 0.0);
  EXPECT_EQ(Whole("2.5E+3"), 2500.0);
  for (const char* bad : {"01", "-", "1.", ".5", "+1", "1e", "1e+", "0x1", "-01", "1.e5"}) {
    EXPECT_FALSE(Accepts(bad)) << bad;
  }
}

TEST(ProjectedJsonTest, RefusesOverflowingNumbersEvenInLeftOutValues) {
  auto r = Parse(R"({"drop": [1e400]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "malformed JSON: number overflow parsing '1e400'");
  EXPECT_FALSE(Parse(R"({"drop": -1e400})").ok());
  EXPECT_FALSE(Parse(R"({"drop": )" + std::string(400, '9') + "}").ok());
  EXPECT_TRUE(Parse(R"({"drop": )" + std::string(300, '9') + "}").ok());
}

TEST(ProjectedJsonTest, RefusesTrailingGarbageAndAcceptsTrailingWhitespace) {
  EXPECT_TRUE(Accepts(" \t\r\n{} \t\r\n"));
  EXPECT_FALSE(Accepts("{} x"));
  EXPECT_FALSE(Accepts("{}{}"));
  EXPECT_FALSE(Accepts("{}\f"));
  EXPECT_FALSE(Accepts("   "));
  auto r = Parse("{\"drop\": [1 2]}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 1, column 13"), std::string::npos)
      << r.status().message();
}

TEST(ProjectedJsonTest, DepthLimitIsExact) {
  EXPECT_TRUE(Parse(std::string(3, '[') + std::string(3, ']'), 3).ok());
  auto r = Parse(R"({"drop": [[1]]})", 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "JSON nested deeper than 2 levels");
}

// nlohmann's verdict on `text` and what the reference handler keeps of it.
Result<json> ReferenceParse(const std::string& text, const FieldUseFunction& use, int max_depth) {
  if (text.find('\0') != std::string::npos) return Status::InvalidArgument("NUL");
  ProjectingBuilder builder(use, max_depth);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(e.what());
  }
  if (builder.too_deep()) return Status::ResourceExhausted("too deep");
  if (!ok) return Status::InvalidArgument(builder.error());
  return std::move(builder.root());
}

// Equality that also tells integers, unsigned integers and floats apart.
bool SameTree(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_structured()) {
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
      if ((a.is_object() && i.key() != j.key()) || !SameTree(*i, *j)) return false;
    }
    return true;
  }
  return a == b;
}

FieldUse HashedUse(std::span<const std::string> path) {
  size_t h = path.size();
  for (const std::string& key : path) h = h * 31 + std::hash<std::string>()(key);
  return static_cast<FieldUse>(h % 3);
}

// Mutates well-formed documents with JSON fragments and stray bytes, and checks that both
// parsers accept the same texts, fail for depth on the same ones and keep the same trees.
TEST(ProjectedJsonTest, AgreesWithNlohmannOnMutatedDocuments) {
  const std::vector<std::string> seeds = {
      R"({"keep": {"a": [1, {"b": null}]}, "drop": {"x": [1, 2.5e-3, {"y": -3}]},
          "look": {"keep": "k\u00e9", "drop": true, "look": {"keep": [false], "z": {}}}})",
      R"({"look": [{"keep": 1}], "keep": 2, "look": "x", "keep": "\ud83d\ude00"})",
      "[1, 2]",
      "-0",
      "\"s\\n\"",
      "{}",
      "[]",
      "18446744073709551616",
      R"({"look": {"look": {"keep": 1E5}, "keep": [-9223372036854775809, 18446744073709551615]}})",
  };
  const char* fragments[] = {"{",
                             "}",
                             "[",
                             "]",
                             ",",
                             ":",
                             "\"",
                             "\\",
                             "\\u",
                             "\\uD800",
                             "\\uDC00",
                             "\\uDBFF\\uDFFF",
                             "\\u00e9",
                             "\\u0000",
                             "\xc3\xa9",
                             "\xe0\xa0\x80",
                             "\xed\xa0\x80",
                             "\xf0\x90\x80\x80",
                             "\xf4\x90\x80\x80",
                             "\xc0\xaf",
                             "\xff",
                             "\x80",
                             "\x01",
                             " ",
                             "\n",
                             "\t",
                             "\r",
                             "\f",
                             "\xef\xbb\xbf",
                             "true",
                             "false",
                             "null",
                             "tru",
                             "-",
                             "-0",
                             "0",
                             "01",
                             "1.5",
                             "1.",
                             ".5",
                             "1e400",
                             "-1e400",
                             "1e-400",
                             "1E+2",
                             "1e",
                             "1e+",
                             "9223372036854775808",
                             "-9223372036854775809",
                             "\"look\"",
                             "\"keep\"",
                             "\"drop\"",
                             "{\"look\":{",
                             "{\"keep\":"};
  const FieldUseFunction uses[] = {LookAndKeep, KeepAll, HashedUse};
  std::mt19937_64 random(20261128);
  std::vector<std::string> corpus = seeds;
  int accepted = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string text = corpus[random() % corpus.size()];
    for (int m = 1 + random() % 4; m > 0; --m) {
      const size_t pos = random() % (text.size() + 1);
      switch (random() % 4) {
        case 0:
          text.insert(pos, fragments[random() % std::size(fragments)]);
          break;
        case 1:
          text.erase(pos, 1 + random() % 4);
          break;
        case 2:
          if (pos < text.size()) text[pos] = static_cast<char>(random() % 256);
          break;
        case 3:
          text.insert(random() % (text.size() + 1), text.substr(pos, 1 + random() % 20));
          break;
      }
    }
    for (int max_depth : {64, 3}) {
      for (const FieldUseFunction& use : uses) {
        Result<json> ours = ParseProjectedJson(text.data(), text.size(), use, max_depth);
        Result<json> reference = ReferenceParse(text, use, max_depth);
        ASSERT_EQ(ours.ok(), reference.ok())
            << json(text).dump(-1, ' ', true, json::error_handler_t::replace) << "\n"
            << (ours.ok() ? reference.status() : ours.status()).ToString();
        if (ours.ok()) {
          ASSERT_TRUE(SameTree(*ours, *reference)) << text;
        } else {
          ASSERT_EQ(ours.status().code(), reference.status().code()) << text;
        }
      }
    }
    if (ParseProjectedJson(text.data(), text.size(), KeepAll, 64).ok()) {
      ++accepted;
      if (corpus.size() < 2'000) corpus.push_back(text);
    }
  }
  EXPECT_GT(accepted, 1'000);
}

}  // namespace
}  // namespace modelgate::webhook
