// Mutated AdmissionReviews, bytes flipped, cut and repeated, must come back as a value
// (parsed or an error), never as a crash or an exception. Deterministic: a fixed seed.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "webhook/admission_review.h"

namespace modelgate::webhook {
namespace {

constexpr char kSeed[] = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
"request":{"uid":"u","kind":{"group":"apps","version":"v1","kind":"Deployment"},
"resource":{"group":"apps","version":"v1","resource":"deployments"},"namespace":"ml",
"operation":"CREATE","userInfo":{"username":"a","groups":["g"]},"dryRun":false,
"object":{"metadata":{"name":"x","annotations":{"modelgate.io/model-version":"m"}}}}})";

std::string Mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0:
        s[at] = static_cast<char>(rng() % 256);
        break;
      case 1:
        s.erase(at, 1 + rng() % 16);
        break;
      case 2:
        s.insert(at, s.substr(at, 1 + rng() % 32));
        break;
      default:
        s.resize(at);
        break;
    }
  }
  return s;
}

TEST(AdmissionReviewFuzzTest, MutatedInputNeverThrows) {
  std::mt19937 rng(20261128);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string input = Mutate(kSeed, rng);
    Result<AdmissionRequest> r = Status::Internal("not run");
    ASSERT_NO_THROW(r = ParseAdmissionReview(input.data(), input.size())) << input;
    if (r.ok()) {
      ++parsed;
      EXPECT_FALSE(r->uid.empty());
    } else {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
  // Some mutations keep the document valid; the loop is exercising both paths.
  EXPECT_GT(parsed, 0);
}

}  // namespace
}  // namespace modelgate::webhook
