// A Client decorator for tests that remembers the options of every list and watch.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "kube/client.h"

namespace modelgate::kube::testing {

class RecordingClient final : public Client {
 public:
  explicit RecordingClient(Client& inner) : inner_(inner) {}

  Result<Json> Get(const ResourceRef& ref) override { return inner_.Get(ref); }
  Result<Json> List(const GroupVersionResource& gvr, const std::string& ns,
                    const ListOptions& options) override {
    std::function<Status(size_t)> hook;
    size_t call;
    {
      std::lock_guard<std::mutex> guard(mu_);
      lists_.push_back(options);
      call = lists_.size() - 1;
      hook = on_list_;
    }
    if (hook) {
      if (Status status = hook(call); !status.ok()) return status;
    }
    return inner_.List(gvr, ns, options);
  }
  Result<Json> Create(const GroupVersionResource& gvr, const std::string& ns, const Json& object,
                      const WriteOptions& options) override {
    return inner_.Create(gvr, ns, object, options);
  }
  Result<Json> Update(const ResourceRef& ref, const Json& object,
                      const WriteOptions& options) override {
    return inner_.Update(ref, object, options);
  }
  Result<Json> MergePatch(const ResourceRef& ref, const Json& patch,
                          const WriteOptions& options) override {
    return inner_.MergePatch(ref, patch, options);
  }
  Result<Json> Apply(const ResourceRef& ref, const Json& object,
                     const ApplyOptions& options) override {
    return inner_.Apply(ref, object, options);
  }
  Status Delete(const ResourceRef& ref, const DeleteOptions& options) override {
    return inner_.Delete(ref, options);
  }
  Result<Json> UpdateStatus(const ResourceRef& ref, const Json& object,
                            const WriteOptions& options) override {
    return inner_.UpdateStatus(ref, object, options);
  }
  Result<Json> PatchStatus(const ResourceRef& ref, const Json& patch,
                           const WriteOptions& options) override {
    return inner_.PatchStatus(ref, patch, options);
  }
  Result<std::unique_ptr<WatchStream>> Watch(const GroupVersionResource& gvr, const std::string& ns,
                                             const WatchOptions& options) override {
    {
      std::lock_guard<std::mutex> guard(mu_);
      watches_.push_back(options);
    }
    return inner_.Watch(gvr, ns, options);
  }

  // Called before each list with its index from 0; a non-OK Status fails that list call.
  void OnList(std::function<Status(size_t call)> hook) {
    std::lock_guard<std::mutex> guard(mu_);
    on_list_ = std::move(hook);
  }

  std::vector<ListOptions> lists() const {
    std::lock_guard<std::mutex> guard(mu_);
    return lists_;
  }
  std::vector<WatchOptions> watches() const {
    std::lock_guard<std::mutex> guard(mu_);
    return watches_;
  }

 private:
  Client& inner_;
  mutable std::mutex mu_;
  std::vector<ListOptions> lists_;
  std::function<Status(size_t)> on_list_;
  std::vector<WatchOptions> watches_;
};

}  // namespace modelgate::kube::testing
