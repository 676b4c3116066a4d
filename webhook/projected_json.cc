#include "webhook/projected_json.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace modelgate::webhook {
namespace {

using nlohmann::json;
using policy::FieldUse;

// A hand-written scanner accepting exactly what nlohmann's sax_parse accepts, building only the
// used parts of the document. Left-out values are validated without allocating.
class ProjectingParser {
 public:
  ProjectingParser(const char* data, size_t size, const FieldUseFunction& use, int max_depth)
      : begin_(data), p_(data), end_(data + size), use_(use), max_depth_(max_depth) {}

  Result<json> Run();

 private:
  struct Frame {
    json* node;        // nullptr inside a left-out value
    bool object;       // an object, not an array
    bool whole;        // keep everything below
    bool pushed_path;  // a key was pushed on path_ for this object
  };

  bool Fail(const char* at, const std::string& what);
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool ScanString(std::string* out);
  bool ScanHex(uint32_t* cp);
  bool ScanNumber(bool keep, json* value);
  bool ScanLiteral(const char* word, size_t n);
  bool ScanKey();
  bool Unexpected(const char* context, const char* expected);
  FieldUse UseOfNextValue() const;
  json* Insert(json value);
  bool Value();

  const char* const begin_;
  const char* p_;
  const char* const end_;
  const FieldUseFunction& use_;
  const int max_depth_;
  json root_;
  std::vector<Frame> frames_;
  std::vector<std::string> path_;  // path_[0, path_len_) are the keys of open kPartly objects
  size_t path_len_ = 0;
  std::string key_buf_;  // the pending key inside a kept-whole object
  const std::string* pending_key_ = nullptr;
  FieldUse pending_use_ = FieldUse::kUnused;
  std::string number_buf_;
  std::string value_buf_;
  bool too_deep_ = false;
  std::string error_;
};

// Reports an error at `at` (the last byte read, `end_` for the end of input), with line and
// column counted as nlohmann counts them.
bool ProjectingParser::Fail(const char* at, const std::string& what) {
  size_t line = 1;
  const char* line_start = begin_;
  const char* stop = at < end_ ? at + 1 : end_;
  for (const char* c = begin_; c < stop; ++c) {
    if (*c == '\n') {
      ++line;
      line_start = c + 1;
    }
  }
  const size_t column = static_cast<size_t>(at - line_start) + 1;
  if (at < end_ && *at == '\n') {
    error_ = "parse error at line " + std::to_string(line) + ", column 0: " + what;
  } else {
    error_ = "parse error at line " + std::to_string(line) + ", column " + std::to_string(column) +
             ": " + what;
  }
  return false;
}

bool ProjectingParser::ScanHex(uint32_t* cp) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    if (p_ == end_) return Fail(p_, "invalid string: '\\u' must be followed by 4 hex digits");
    const unsigned char c = static_cast<unsigned char>(*p_);
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return Fail(p_, "invalid string: '\\u' must be followed by 4 hex digits");
    }
    v = (v << 4) | d;
    ++p_;
  }
  *cp = v;
  return true;
}

// REQUIRES: *p_ == '"'. Leaves p_ after the closing quote; appends the decoded text to *out
// unless out is null.
// Whether any of the 8 bytes of `w` ends a run of plain string characters: a quote, a
// backslash, a control character or a byte of a multi-byte UTF-8 sequence. Exact as to
// whether there is one, not as to where (the bit tricks of "Bit Twiddling Hacks").
inline bool HasStringSpecialByte(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
  return ((w & kHighs) | below_space | has_zero(w ^ (kOnes * '"')) |
          has_zero(w ^ (kOnes * '\\'))) != 0;
}

bool ProjectingParser::ScanString(std::string* out) {
  ++p_;
  if (out) out->clear();
  for (;;) {
    const char* run = p_;
    // Eight plain bytes at a time, then byte by byte up to the one that ends the run.
    for (uint64_t w; end_ - p_ >= 8; p_ += 8) {
      std::memcpy(&w, p_, sizeof w);
      if (HasStringSpecialByte(w)) break;
    }
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      ++p_;
    }
    if (out) out->append(run, p_);
    if (p_ == end_) return Fail(end_, "invalid string: missing closing quote");
    const unsigned char c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      return true;
    }
    if (c == '\\') {
      ++p_;
      if (p_ == end_) return Fail(end_, "invalid string: forbidden character after backslash");
      char unescaped;
      switch (*p_) {
        case '"':
          unescaped = '"';
          break;
        case '\\':
          unescaped = '\\';
          break;
        case '/':
          unescaped = '/';
          break;
        case 'b':
          unescaped = '\b';
          break;
        case 'f':
          unescaped = '\f';
          break;
        case 'n':
          unescaped = '\n';
          break;
        case 'r':
          unescaped = '\r';
          break;
        case 't':
          unescaped = '\t';
          break;
        case 'u': {
          ++p_;
          uint32_t cp;
          if (!ScanHex(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            static const char kNoLow[] =
                "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
            if (p_ == end_ || *p_ != '\\') return Fail(p_, kNoLow);
            ++p_;
            if (p_ == end_ || *p_ != 'u') return Fail(p_, kNoLow);
            ++p_;
            uint32_t low;
            if (!ScanHex(&low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return Fail(p_ - 1, kNoLow);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail(p_ - 1,
                        "invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
          }
          if (out) {
            if (cp < 0x80) {
              out->push_back(static_cast<char>(cp));
            } else if (cp < 0x800) {
              out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
              out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else if (cp < 0x10000) {
              out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
              out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
              out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else {
              out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
              out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
              out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
              out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            }
          }
          continue;
        }
        default:
          return Fail(p_, "invalid string: forbidden character after backslash");
      }
      ++p_;
      if (out) out->push_back(unescaped);
      continue;
    }
    if (c < 0x20) {
      return Fail(p_, "invalid string: control character must be escaped");
    }
    // UTF-8 sequences, with the byte ranges of RFC 3629 as nlohmann checks them.
    unsigned char lo1 = 0x80, hi1 = 0xBF;
    int n;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c == 0xE0) {
      n = 2, lo1 = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      n = 2;
    } else if (c == 0xED) {
      n = 2, hi1 = 0x9F;
    } else if (c == 0xF0) {
      n = 3, lo1 = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      n = 3;
    } else if (c == 0xF4) {
      n = 3, hi1 = 0x8F;
    } else {
      return Fail(p_, "invalid string: ill-formed UTF-8 byte");
    }
    const char* seq = p_;
    ++p_;
    for (int i = 0; i < n; ++i) {
      const unsigned char lo = i == 0 ? lo1 : 0x80, hi = i == 0 ? hi1 : 0xBF;
      if (p_ == end_) return Fail(end_, "invalid string: ill-formed UTF-8 byte");
      const unsigned char b = static_cast<unsigned char>(*p_);
      if (b < lo || b > hi) return Fail(p_, "invalid string: ill-formed UTF-8 byte");
      ++p_;
    }
    if (out) out->append(seq, p_);
  }
}

// REQUIRES: *p_ is '-' or a digit. Converts the number as nlohmann does when `keep`, and
// whenever it could overflow a double (which nlohmann refuses).
bool ProjectingParser::ScanNumber(bool keep, json* value) {
  const char* start = p_;
  const bool negative = *p_ == '-';
  auto digit = [this] { return p_ < end_ && *p_ >= '0' && *p_ <= '9'; };
  if (negative) {
    ++p_;
    if (!digit()) return Fail(p_, "invalid number; expected digit after '-'");
  }
  if (*p_ == '0') {
    ++p_;
  } else {
    while (digit()) ++p_;
  }
  const size_t int_digits = static_cast<size_t>(p_ - start) - (negative ? 1 : 0);
  bool is_float = false, has_exponent = false;
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    if (!digit()) return Fail(p_, "invalid number; expected digit after '.'");
    while (digit()) ++p_;
    is_float = true;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) {
      ++p_;
      if (!digit()) return Fail(p_, "invalid number; expected digit after exponent sign");
    } else if (!digit()) {
      return Fail(p_, "invalid number; expected '+', '-', or digit after exponent");
    }
    while (digit()) ++p_;
    is_float = has_exponent = true;
  }
  // Without an exponent, fewer than 300 integer digits always fit a double.
  if (!keep && !has_exponent && int_digits < 300) return true;
  number_buf_.assign(start, p_);
  if (!is_float) {
    char* endptr = nullptr;
    errno = 0;
    if (negative) {
      const long long x = std::strtoll(number_buf_.c_str(), &endptr, 10);
      if (errno == 0) {
        *value = static_cast<json::number_integer_t>(x);
        return true;
      }
    } else {
      const unsigned long long x = std::strtoull(number_buf_.c_str(), &endptr, 10);
      if (errno == 0) {
        *value = static_cast<json::number_unsigned_t>(x);
        return true;
      }
    }
  }
  const double d = std::strtod(number_buf_.c_str(), nullptr);
  if (!std::isfinite(d)) {
    error_ = "number overflow parsing '" + number_buf_ + "'";
    return false;
  }
  *value = d;
  return true;
}

bool ProjectingParser::ScanLiteral(const char* word, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p_ == end_ || *p_ != word[i]) return Fail(p_, "invalid literal");
    ++p_;
  }
  return true;
}

FieldUse ProjectingParser::UseOfNextValue() const {
  if (frames_.empty()) return use_(std::span<const std::string>(path_.data(), 0));
  const Frame& top = frames_.back();
  if (top.node == nullptr) return FieldUse::kUnused;
  if (top.whole || !top.object) return FieldUse::kWhole;
  return pending_use_;
}

json* ProjectingParser::Insert(json value) {
  if (frames_.empty()) {
    root_ = std::move(value);
    return &root_;
  }
  json& parent = *frames_.back().node;
  if (parent.is_array()) {
    parent.push_back(std::move(value));
    return &parent.back();
  }
  // As nlohmann's parser does with a repeated key: the last value wins.
  auto [it, inserted] =
      parent.get_ref<json::object_t&>().insert_or_assign(*pending_key_, std::move(value));
  return &it->second;
}

// REQUIRES: p_ at '"' inside an object. Reads the key and its ':'.
bool ProjectingParser::ScanKey() {
  Frame& top = frames_.back();
  if (top.node == nullptr) {
    if (!ScanString(nullptr)) return false;
  } else if (top.whole) {
    if (!ScanString(&key_buf_)) return false;
    pending_key_ = &key_buf_;
  } else {
    if (path_.size() <= path_len_) path_.resize(path_len_ + 1);
    if (!ScanString(&path_[path_len_])) return false;
    pending_key_ = &path_[path_len_];
    pending_use_ = use_(std::span<const std::string>(path_.data(), path_len_ + 1));
  }
  SkipSpace();
  if (p_ == end_ || *p_ != ':') return Unexpected("object separator", "':'");
  ++p_;
  return true;
}

// Reports the token at p_, which does not fit where it is, where nlohmann does: a malformed
// token as such, at the byte that makes it so; a well-formed one at its last byte.
bool ProjectingParser::Unexpected(const char* context, const char* expected) {
  const std::string prefix = std::string("syntax error while parsing ") + context + " - ";
  if (p_ == end_) return Fail(end_, prefix + "unexpected end of input; expected " + expected);
  std::string token;
  switch (*p_) {
    case '"':
      if (!ScanString(nullptr)) return false;
      token = "string literal";
      break;
    case 't':
    case 'f':
    case 'n': {
      const char* word = *p_ == 't' ? "true" : *p_ == 'f' ? "false" : "null";
      if (!ScanLiteral(word, std::strlen(word))) return false;
      token = std::string(word) + " literal";
      break;
    }
    case '{':
    case '}':
    case '[':
    case ']':
    case ',':
    case ':':
      token = std::string("'") + *p_ + "'";
      ++p_;
      break;
    default:
      if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) {
        json ignored;
        // Overflow is only an error for a number that is a value.
        if (!ScanNumber(false, &ignored) && error_.rfind("number overflow", 0) != 0) return false;
        token = "number literal";
        break;
      }
      return Fail(p_, prefix + "invalid literal");
  }
  return Fail(p_ - 1, prefix + "unexpected " + token + "; expected " + expected);
}

// Parses the whole document, iteratively.
bool ProjectingParser::Value() {
  // Skip a UTF-8 byte order mark, as nlohmann does.
  if (p_ < end_ && static_cast<unsigned char>(*p_) == 0xEF) {
    if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB ||
        static_cast<unsigned char>(p_[2]) != 0xBF) {
      return Fail(p_ + std::min<ptrdiff_t>(end_ - p_ - 1, 2),
                  "invalid BOM; must be 0xEF 0xBB 0xBF if given");
    }
    p_ += 3;
  }
  for (;;) {
    // A value is expected.
    SkipSpace();
    if (p_ == end_) return Unexpected("value", "'[', '{', or a literal");
    const char c = *p_;
    if (c == '{' || c == '[') {
      if (static_cast<int>(frames_.size()) >= max_depth_) {
        too_deep_ = true;
        return false;
      }
      const bool object = c == '{';
      ++p_;
      const FieldUse use = UseOfNextValue();
      const bool root = frames_.empty();
      if (use == FieldUse::kUnused || (use == FieldUse::kPartly && !object)) {
        if (root && use == FieldUse::kPartly) Insert(json(json::value_t::array));
        frames_.push_back({nullptr, object, false, false});
      } else {
        json* node = Insert(json(object ? json::value_t::object : json::value_t::array));
        const bool partly = use == FieldUse::kPartly;
        // The key of a kPartly object is already in path_[path_len_].
        if (partly && !root) ++path_len_;
        frames_.push_back({node, object, !partly, partly && !root});
      }
      SkipSpace();
      if (p_ < end_ && *p_ == (object ? '}' : ']')) {
        ++p_;
      } else {
        if (object) {
          if (p_ == end_ || *p_ != '"') return Unexpected("object key", "string literal");
          if (!ScanKey()) return false;
        }
        continue;
      }
      // An empty container: closed below.
      Frame& top = frames_.back();
      if (top.pushed_path) --path_len_;
      frames_.pop_back();
    } else {
      const FieldUse use = UseOfNextValue();
      const bool keep = use != FieldUse::kUnused;
      if (c == '"') {
        if (!ScanString(keep ? &value_buf_ : nullptr)) return false;
        if (keep) Insert(json(value_buf_));
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        json number;
        if (!ScanNumber(keep, &number)) return false;
        if (keep) Insert(std::move(number));
      } else if (c == 't') {
        if (!ScanLiteral("true", 4)) return false;
        if (keep) Insert(json(true));
      } else if (c == 'f') {
        if (!ScanLiteral("false", 5)) return false;
        if (keep) Insert(json(false));
      } else if (c == 'n') {
        if (!ScanLiteral("null", 4)) return false;
        if (keep) Insert(json(nullptr));
      } else {
        return Unexpected("value", "'[', '{', or a literal");
      }
    }
    // A value was read: what follows it.
    for (;;) {
      SkipSpace();
      if (frames_.empty()) {
        return p_ == end_ || Unexpected("value", "end of input");
      }
      const bool object = frames_.back().object;
      if (p_ == end_) return object ? Unexpected("object", "'}'") : Unexpected("array", "']'");
      if (*p_ == ',') {
        ++p_;
        if (object) {
          SkipSpace();
          if (p_ == end_ || *p_ != '"') return Unexpected("object key", "string literal");
          if (!ScanKey()) return false;
        }
        break;  // to the next value
      }
      if (*p_ == (object ? '}' : ']')) {
        ++p_;
        Frame& top = frames_.back();
        if (top.pushed_path) --path_len_;
        frames_.pop_back();
        continue;
      }
      return object ? Unexpected("object", "'}'") : Unexpected("array", "']'");
    }
  }
}

Result<json> ProjectingParser::Run() {
  if (!Value()) {
    if (too_deep_) {
      return Status::ResourceExhausted("JSON nested deeper than " + std::to_string(max_depth_) +
                                       " levels");
    }
    return Status::InvalidArgument("malformed JSON: " + error_);
  }
  return std::move(root_);
}

}  // namespace

Result<json> ParseProjectedJson(const char* data, size_t size, const FieldUseFunction& use,
                                int max_depth) {
  // JSON has no NUL outside \u0000 escapes (and nlohmann's lexer would take one for the end).
  if (const void* nul = std::memchr(data, '\0', size)) {
    return Status::InvalidArgument("malformed JSON: NUL byte at offset " +
                                   std::to_string(static_cast<const char*>(nul) - data));
  }
  ProjectingParser parser(data, size, use, max_depth);
  return parser.Run();
}

}  // namespace modelgate::webhook
