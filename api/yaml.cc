#include "api/yaml.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <utility>

namespace modelgate {
namespace {

using nlohmann::json;

// Thrown inside the event handler to abandon a parse; never leaves this file.
struct YamlRefusal {
  Status status;
};

std::string Position(const std::string& source, const YAML::Mark& mark) {
  if (mark.is_null()) return source;
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

bool IsOneOf(const std::string& v, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (v == w) return true;
  }
  return false;
}

// The JSON value of a plain scalar, typed the way sigs.k8s.io/yaml (and so kubectl) does.
json ResolvePlain(const std::string& v) {
  if (IsOneOf(v, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) return true;
  if (IsOneOf(v, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) {
    return false;
  }
  if (IsOneOf(v, {"null", "Null", "NULL", "~", ""})) return nullptr;
  static const std::regex* kInt = new std::regex(R"([-+]?[0-9]+)");
  static const std::regex* kHex = new std::regex(R"(0x[0-9a-fA-F]+)");
  static const std::regex* kFloat =
      new std::regex(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (v.size() <= 64) {
    if (std::regex_match(v, *kInt)) {
      errno = 0;
      long long n = std::strtoll(v.c_str(), nullptr, 10);
      if (errno != ERANGE) return static_cast<int64_t>(n);
      return std::strtod(v.c_str(), nullptr);
    }
    if (std::regex_match(v, *kHex)) {
      errno = 0;
      long long n = std::strtoll(v.c_str() + 2, nullptr, 16);
      if (errno != ERANGE) return static_cast<int64_t>(n);
    }
    if (std::regex_match(v, *kFloat)) {
      // Beyond a double's range ("1e999") sigs.k8s.io/yaml keeps the scalar a string; an
      // infinity would also have no JSON form.
      const double d = std::strtod(v.c_str(), nullptr);
      if (std::isfinite(d)) return d;
    }
  }
  return v;
}

json ResolveScalar(const std::string& tag, const std::string& value) {
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return value;
  if (tag == "tag:yaml.org,2002:null") return nullptr;
  return ResolvePlain(value);
}

// Builds JSON values from yaml-cpp's parse events, enforcing YamlLimits as it goes.
class JsonBuilder : public YAML::EventHandler {
 public:
  JsonBuilder(const std::string& source, const YamlLimits& limits)
      : source_(source), limits_(limits) {}

  // The finished document, or nullopt when it was empty.
  std::optional<json> TakeDocument() {
    std::optional<json> out = std::move(root_);
    root_.reset();
    return out;
  }

  void OnDocumentStart(const YAML::Mark&) override { anchors_.clear(); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Add(nullptr, "null", 1, mark, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      throw YamlRefusal{Status::InvalidArgument(Position(source_, mark) + ": unknown alias")};
    }
    // Each alias copies its anchor's whole value; counting the copies bounds alias bombs.
    Add(it->second.first, std::nullopt, it->second.second, mark, YAML::NullAnchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Add(ResolveScalar(tag, value), value, 1, mark, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(json::array(), mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(json::object(), mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    json value;
    YAML::Mark mark;
    YAML::anchor_t anchor;
    size_t nodes_at_start;
    std::optional<std::string> pending_key;
    YAML::Mark key_mark;
  };

  void Count(size_t n, const YAML::Mark& mark) {
    nodes_ += n;
    if (nodes_ > limits_.max_nodes) {
      throw YamlRefusal{Status::ResourceExhausted(
          Position(source_, mark) + ": document expands to more than " +
          std::to_string(limits_.max_nodes) + " values (alias expansion is counted)")};
    }
  }

  void Open(json value, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (stack_.size() + 1 > static_cast<size_t>(limits_.max_depth)) {
      throw YamlRefusal{Status::ResourceExhausted(Position(source_, mark) +
                                                  ": nesting deeper than " +
                                                  std::to_string(limits_.max_depth) + " levels")};
    }
    if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().pending_key) {
      throw YamlRefusal{
          Status::InvalidArgument(Position(source_, mark) + ": mapping keys must be scalars")};
    }
    Count(1, mark);
    stack_.push_back(Frame{std::move(value), mark, anchor, nodes_ - 1, std::nullopt, {}});
  }

  void Close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.pending_key) {
      throw YamlRefusal{Status::InvalidArgument(Position(source_, frame.key_mark) +
                                                ": mapping key without a value")};
    }
    size_t count = nodes_ - frame.nodes_at_start;
    // The container itself was counted in Open; Place must not count it again.
    nodes_ -= count;
    Add(std::move(frame.value), std::nullopt, count, frame.mark, frame.anchor);
  }

  // Places a finished value into its parent (or makes it the document's root).
  void Add(json value, std::optional<std::string> scalar_text, size_t count, const YAML::Mark& mark,
           YAML::anchor_t anchor) {
    Count(count, mark);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {value, count};
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(value));
      return;
    }
    if (!parent.pending_key) {
      if (!value.is_primitive()) {
        throw YamlRefusal{
            Status::InvalidArgument(Position(source_, mark) + ": mapping keys must be scalars")};
      }
      std::string key = scalar_text         ? *scalar_text
                        : value.is_string() ? value.get<std::string>()
                                            : value.dump();
      if (parent.value.contains(key)) {
        throw YamlRefusal{Status::InvalidArgument(Position(source_, mark) + ": duplicate key \"" +
                                                  key.substr(0, 64) + "\"")};
      }
      parent.pending_key = std::move(key);
      parent.key_mark = mark;
      return;
    }
    parent.value[*parent.pending_key] = std::move(value);
    parent.pending_key.reset();
  }

  const std::string& source_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, std::pair<json, size_t>> anchors_;
  std::optional<json> root_;
  size_t nodes_ = 0;
};

}  // namespace

Result<std::vector<json>> ParseYamlDocuments(std::string_view text, const std::string& source,
                                             const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::ResourceExhausted(source + ": input of " + std::to_string(text.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(limits.max_bytes) + " bytes");
  }
  std::vector<json> documents;
  try {
    std::istringstream stream{std::string(text)};
    YAML::Parser parser(stream);
    JsonBuilder builder(source, limits);
    size_t seen = 0;
    while (parser.HandleNextDocument(builder)) {
      if (++seen > limits.max_documents) {
        return Status::ResourceExhausted(source + ": more than " +
                                         std::to_string(limits.max_documents) + " documents");
      }
      std::optional<json> doc = builder.TakeDocument();
      if (doc && !doc->is_null()) documents.push_back(std::move(*doc));
    }
  } catch (const YamlRefusal& refusal) {
    return refusal.status;
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(Position(source, e.mark) + ": " + e.msg);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(source + ": " + e.what());
  }
  return documents;
}

Result<json> ParseYaml(std::string_view text, const std::string& source, const YamlLimits& limits) {
  auto docs = ParseYamlDocuments(text, source, limits);
  if (!docs.ok()) return docs.status();
  if (docs->size() != 1) {
    return Status::InvalidArgument(source + ": expected exactly one YAML document, found " +
                                   std::to_string(docs->size()));
  }
  return std::move((*docs)[0]);
}

}  // namespace modelgate
