#include "kube/store.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace modelgate::kube {

IndexFunc IndexByNamespace() {
  return [](const Json& object) -> std::vector<std::string> { return {NamespaceOf(object)}; };
}

IndexFunc IndexByLabel(std::string label) {
  return [label = std::move(label)](const Json& object) -> std::vector<std::string> {
    const Json* labels = nullptr;
    if (object.is_object() && object.contains("metadata") && object["metadata"].is_object() &&
        object["metadata"].contains("labels")) {
      labels = &object["metadata"]["labels"];
    }
    if (labels == nullptr || !labels->is_object()) return {};
    auto it = labels->find(label);
    if (it == labels->end() || !it->is_string()) return {};
    return {it->get<std::string>()};
  };
}

namespace {

std::vector<std::string> OwnerUids(const Json& object, bool controller_only) {
  std::vector<std::string> uids;
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object()) {
    return uids;
  }
  const Json& meta = object["metadata"];
  auto refs = meta.find("ownerReferences");
  if (refs == meta.end() || !refs->is_array()) return uids;
  for (const Json& ref : *refs) {
    if (!ref.is_object() || !ref.contains("uid") || !ref["uid"].is_string()) continue;
    if (controller_only && !(ref.contains("controller") && ref["controller"].is_boolean() &&
                             ref["controller"].get<bool>())) {
      continue;
    }
    uids.push_back(ref["uid"].get<std::string>());
  }
  return uids;
}

}  // namespace

IndexFunc IndexByOwnerUid() {
  return [](const Json& object) { return OwnerUids(object, false); };
}

IndexFunc IndexByControllerUid() {
  return [](const Json& object) { return OwnerUids(object, true); };
}

Status Store::AddIndex(const std::string& name, IndexFunc index) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (index_funcs_.count(name)) return Status::AlreadyExists("index \"" + name + "\" exists");
  if (!objects_.empty()) {
    return Status::Internal("index \"" + name + "\" added after objects were stored");
  }
  index_funcs_[name] = std::move(index);
  indexes_[name];
  return Status::Ok();
}

void Store::IndexInto(Indexes& indexes, const std::string& key, const Json& object) {
  for (const auto& [name, func] : index_funcs_) {
    auto& index = indexes[name];
    for (const std::string& value : func(object)) index[value].insert(key);
  }
}

void Store::UnindexFrom(Indexes& indexes, const std::string& key, const Json& object) {
  for (const auto& [name, func] : index_funcs_) {
    auto& index = indexes[name];
    for (const std::string& value : func(object)) {
      auto it = index.find(value);
      if (it == index.end()) continue;
      it->second.erase(key);
      if (it->second.empty()) index.erase(it);
    }
  }
}

namespace {

// The bytes are the store's own encoding of a valid object: failing to decode them is memory
// corruption, not bad input.
[[noreturn]] void CorruptedObject(const std::string& why) {
  std::fprintf(stderr, "kube::Store: a stored object no longer decodes: %s\n", why.c_str());
  std::abort();
}

}  // namespace

Store::Store(StoreEncoding encoding) : encoding_(encoding) {
  if (encoding_ == StoreEncoding::kDeflated) deflater_ = std::make_unique<ObjectDeflater>();
}

Store::Entry Store::Encode(Json object) {
  Entry entry;
  if (encoding_ == StoreEncoding::kParsed) {
    entry.parsed = std::make_shared<const Json>(std::move(object));
    return entry;
  }
  std::vector<uint8_t> bytes = Json::to_cbor(object);
  if (encoding_ == StoreEncoding::kDeflated) {
    Result<DeflatedObject> deflated = deflater_->Deflate(bytes);
    if (deflated.ok()) {
      entry.deflated = std::make_shared<const DeflatedObject>(std::move(deflated).value());
      return entry;
    }
    // zlib could not allocate its state: keep the object uncompressed rather than lose it.
  }
  // A copy sized to fit: to_cbor's buffer grew by doubling.
  entry.cbor = std::make_shared<const std::vector<uint8_t>>(bytes.begin(), bytes.end());
  return entry;
}

ObjectPtr Store::Decode(const Entry& entry) {
  if (entry.parsed != nullptr) return entry.parsed;
  Json object;
  if (entry.deflated != nullptr) {
    Result<CborBytes> cbor = Inflate(*entry.deflated);
    if (!cbor.ok()) CorruptedObject(cbor.status().message());
    object = Json::from_cbor(*cbor, /*strict=*/true, /*allow_exceptions=*/false);
  } else {
    object = Json::from_cbor(*entry.cbor, /*strict=*/true, /*allow_exceptions=*/false);
  }
  if (object.is_discarded()) CorruptedObject("not CBOR");
  return std::make_shared<const Json>(std::move(object));
}

ObjectPtr Store::Upsert(Json object) {
  std::string key = KeyOf(object);
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto it = objects_.find(key);
  ObjectPtr previous;
  if (it != objects_.end()) {
    previous = Decode(it->second);
    UnindexFrom(indexes_, key, *previous);
  }
  // Indexed before encoding, so a CBOR store does not decode what it just encoded.
  IndexInto(indexes_, key, object);
  Entry stored = Encode(std::move(object));
  if (it != objects_.end()) {
    it->second = std::move(stored);
  } else {
    objects_.emplace(std::move(key), std::move(stored));
  }
  return previous;
}

ObjectPtr Store::Remove(const std::string& key) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return nullptr;
  ObjectPtr previous = Decode(it->second);
  UnindexFrom(indexes_, key, *previous);
  objects_.erase(it);
  return previous;
}

std::vector<ObjectPtr> Store::Replace(std::vector<Json> objects) {
  StagePage(std::move(objects));
  return CommitStaged();
}

void Store::StagePage(std::vector<Json> objects) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  for (Json& object : objects) {
    std::string key = KeyOf(object);
    if (auto it = staged_.find(key); it != staged_.end()) {
      // Listed twice (not by an API server): the later state wins, as in Replace.
      UnindexFrom(staged_indexes_, key, *Decode(it->second));
    }
    IndexInto(staged_indexes_, key, object);
    staged_[std::move(key)] = Encode(std::move(object));
    object = Json();  // the page's JSON goes as it is encoded
  }
}

std::vector<ObjectPtr> Store::CommitStaged() {
  std::unique_lock<std::shared_mutex> lock(mu_);
  std::vector<ObjectPtr> removed;
  for (const auto& [key, entry] : objects_) {
    if (!staged_.count(key)) removed.push_back(Decode(entry));
  }
  for (const auto& [name, func] : index_funcs_) staged_indexes_[name];  // empty ones too
  objects_.swap(staged_);
  indexes_.swap(staged_indexes_);
  staged_ = {};
  staged_indexes_.clear();
  return removed;
}

void Store::DropStaged() {
  std::unique_lock<std::shared_mutex> lock(mu_);
  staged_ = {};
  staged_indexes_.clear();
}

ObjectPtr Store::Get(const std::string& key) const {
  Entry entry;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = objects_.find(key);
    if (it == objects_.end()) return nullptr;
    entry = it->second;
  }
  return Decode(entry);
}

std::vector<ObjectPtr> Store::List() const {
  std::vector<Entry> entries;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    entries.reserve(objects_.size());
    for (const auto& [key, entry] : objects_) entries.push_back(entry);
  }
  std::vector<ObjectPtr> out;
  out.reserve(entries.size());
  for (const Entry& entry : entries) out.push_back(Decode(entry));
  return out;
}

std::vector<std::string> Store::ListKeys() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<std::string> out;
  out.reserve(objects_.size());
  for (const auto& [key, entry] : objects_) out.push_back(key);
  return out;
}

size_t Store::Size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return objects_.size();
}

Result<std::vector<ObjectPtr>> Store::ByIndex(const std::string& index,
                                              const std::string& value) const {
  std::vector<Entry> entries;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto idx = indexes_.find(index);
    if (idx == indexes_.end()) return Status::NotFound("no index \"" + index + "\"");
    auto keys = idx->second.find(value);
    if (keys != idx->second.end()) {
      for (const std::string& key : keys->second) {
        auto it = objects_.find(key);
        if (it != objects_.end()) entries.push_back(it->second);
      }
    }
  }
  std::vector<ObjectPtr> out;
  out.reserve(entries.size());
  for (const Entry& entry : entries) out.push_back(Decode(entry));
  return out;
}

}  // namespace modelgate::kube
