#include "webhook/projected_json.h"

#include <cstring>
#include <utility>
#include <vector>

namespace modelgate::webhook {
namespace {

using nlohmann::json;
using policy::FieldUse;

// A SAX handler building only the used parts of the document.
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

}  // namespace

Result<json> ParseProjectedJson(const char* data, size_t size, const FieldUseFunction& use,
                                int max_depth) {
  // nlohmann's lexer takes a NUL byte for the end of the input, which would accept
  // "{...}\0<anything>"; JSON has no NUL outside \u0000 escapes, so it is malformed.
  if (const void* nul = std::memchr(data, '\0', size)) {
    return Status::InvalidArgument("malformed JSON: NUL byte at offset " +
                                   std::to_string(static_cast<const char*>(nul) - data));
  }
  ProjectingBuilder builder(use, max_depth);
  bool ok = false;
  try {
    ok = json::sax_parse(data, data + size, &builder);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + e.what());
  }
  if (builder.too_deep()) {
    return Status::ResourceExhausted("JSON nested deeper than " + std::to_string(max_depth) +
                                     " levels");
  }
  if (!ok) return Status::InvalidArgument("malformed JSON: " + builder.error());
  return std::move(builder.root());
}

}  // namespace modelgate::webhook
