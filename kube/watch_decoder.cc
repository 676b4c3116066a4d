#include "kube/watch_decoder.h"

#include <cstring>

#include "api/json_nesting.h"

namespace modelgate::kube {

namespace {

// Checks nesting and NUL bytes before nlohmann parses `line`: its parser is iterative, but
// dumping, copying or CBOR-encoding the tree later recurses once per level, and its lexer
// takes a NUL for the end of the input (accepting "{...}\0<anything>").
Status CheckStructure(std::string_view line) {
  if (size_t nul = line.find('\0'); nul != std::string_view::npos) {
    return Status::InvalidArgument("watch event is not valid JSON: NUL byte at offset " +
                                   std::to_string(nul));
  }
  if (static_cast<size_t>(JsonNestingDepth(line)) > kMaxWatchEventDepth) {
    return Status::ResourceExhausted("watch event is nested deeper than " +
                                     std::to_string(kMaxWatchEventDepth) + " levels");
  }
  return Status::Ok();
}

}  // namespace

Result<WatchEvent> ParseWatchEvent(std::string_view line) {
  MODELGATE_RETURN_IF_ERROR(CheckStructure(line));
  Json parsed = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::InvalidArgument("watch event is not valid JSON");
  if (!parsed.is_object()) return Status::InvalidArgument("watch event is not a JSON object");
  auto type = parsed.find("type");
  if (type == parsed.end() || !type->is_string()) {
    return Status::InvalidArgument("watch event has no string field \"type\"");
  }
  WatchEvent event;
  const std::string& name = type->get_ref<const std::string&>();
  if (name == "ADDED")
    event.type = WatchEventType::kAdded;
  else if (name == "MODIFIED")
    event.type = WatchEventType::kModified;
  else if (name == "DELETED")
    event.type = WatchEventType::kDeleted;
  else if (name == "BOOKMARK")
    event.type = WatchEventType::kBookmark;
  else if (name == "ERROR")
    event.type = WatchEventType::kError;
  else
    return Status::InvalidArgument("watch event has unknown type \"" + name.substr(0, 64) + "\"");
  auto object = parsed.find("object");
  if (object == parsed.end() || !object->is_object()) {
    return Status::InvalidArgument("watch event " + name + " has no object");
  }
  if (event.type != WatchEventType::kError) {
    auto meta = object->find("metadata");
    if (meta == object->end() || !meta->is_object()) {
      return Status::InvalidArgument("watch event " + name + " object has no metadata");
    }
  }
  event.object = std::move(*object);
  return event;
}

WatchDecoder::WatchDecoder(size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

Status WatchDecoder::DecodeLine(std::string_view line, std::vector<WatchEvent>* out) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return Status::Ok();  // blank keep-alive lines
  Result<WatchEvent> event = ParseWatchEvent(line);
  if (!event.ok()) {
    failure_ = event.status().WithContext("watch event " + std::to_string(events_decoded_ + 1));
    return failure_;
  }
  ++events_decoded_;
  out->push_back(std::move(event).value());
  return Status::Ok();
}

Status WatchDecoder::Feed(const char* data, size_t size, std::vector<WatchEvent>* out) {
  if (!failure_.ok()) return failure_;
  while (size > 0) {
    const char* newline = static_cast<const char*>(std::memchr(data, '\n', size));
    size_t take = newline ? static_cast<size_t>(newline - data) : size;
    if (partial_.size() + take > max_event_bytes_) {
      failure_ = Status::ResourceExhausted("watch event " + std::to_string(events_decoded_ + 1) +
                                           " is larger than " + std::to_string(max_event_bytes_) +
                                           " bytes");
      partial_.clear();
      return failure_;
    }
    if (!newline) {
      partial_.append(data, take);
      return Status::Ok();
    }
    Status s;
    if (partial_.empty()) {
      s = DecodeLine(std::string_view(data, take), out);
    } else {
      partial_.append(data, take);
      s = DecodeLine(partial_, out);
      partial_.clear();
    }
    if (!s.ok()) return s;
    data += take + 1;
    size -= take + 1;
  }
  return Status::Ok();
}

Status WatchDecoder::Finish(std::vector<WatchEvent>* out) {
  if (!failure_.ok()) return failure_;
  if (partial_.empty()) return Status::Ok();
  std::string last;
  last.swap(partial_);
  return DecodeLine(last, out);
}

}  // namespace modelgate::kube
