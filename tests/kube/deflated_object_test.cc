#include "kube/deflated_object.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace modelgate::kube {
namespace {

using Json = nlohmann::json;

// A ModelVersion waiting for a validation Job slot, as the operator's cache holds it.
CborBytes WaitingModelVersion(int i) {
  const std::string name = "bench-" + std::to_string(10000 + i);
  Json conditions = Json::array();
  for (const char* type : {"Ready", "Reconciling", "DataValidated", "QualityValidated",
                           "RobustnessValidated", "StressTested"}) {
    conditions.push_back(
        {{"type", type},
         {"status", "Unknown"},
         {"observedGeneration", 1},
         {"lastTransitionTime", "2026-11-28T10:39:" + std::to_string(10 + i % 50) + "Z"},
         {"reason", "WaitingForJobSlot"},
         {"message", "gate data: waiting for a free validation Job slot"}});
  }
  Json object = {{"apiVersion", "modelgate.io/v1alpha1"},
                 {"kind", "ModelVersion"},
                 {"metadata",
                  {{"name", name},
                   {"namespace", "bench-operator"},
                   {"uid", "4624332a-82ac-40d4-be1f-" + std::to_string(100000000000 + i * 7919)},
                   {"resourceVersion", std::to_string(29759 + i)},
                   {"generation", 1}}},
                 {"spec",
                  {{"model", "breast-cancer"},
                   {"version", "1.0." + std::to_string(i)},
                   {"artifact",
                    {{"uri", "s3://models/breast-cancer/" + std::to_string(i) + "/model.joblib"},
                     {"format", "sklearn"}}},
                   {"serving", {{"image", "modelgate/mlserver-sklearn:1.0"}, {"port", 8080}}},
                   {"gates",
                    {{"data", {{"enabled", true}, {"maxDriftShare", 0.3}, {"maxNullRate", 0.05}}},
                     {"quality", {{"enabled", true}, {"metric", "auc"}, {"threshold", 0.9}}}}}}},
                 {"status",
                  {{"phase", "Pending"},
                   {"observedGeneration", 1},
                   {"gatesPassed", "0/4"},
                   {"conditions", conditions}}}};
  return Json::to_cbor(object);
}

// Bytes nothing else resembles.
CborBytes Noise(size_t size, unsigned seed) {
  CborBytes bytes(size);
  for (uint8_t& b : bytes) {
    seed = seed * 1103515245u + 12345u;
    b = static_cast<uint8_t>(seed >> 16);
  }
  return bytes;
}

TEST(ObjectDeflaterTest, InflatesToTheSameBytes) {
  ObjectDeflater deflater;
  for (int i = 0; i < 3; ++i) {
    const CborBytes cbor = WaitingModelVersion(i);
    Result<DeflatedObject> deflated = deflater.Deflate(cbor);
    ASSERT_TRUE(deflated.ok()) << deflated.status().ToString();
    Result<CborBytes> inflated = Inflate(*deflated);
    ASSERT_TRUE(inflated.ok()) << inflated.status().ToString();
    EXPECT_EQ(*inflated, cbor);
  }
}

TEST(ObjectDeflaterTest, FirstObjectBecomesTheDictionary) {
  ObjectDeflater deflater;
  EXPECT_EQ(deflater.dictionary(), nullptr);
  const CborBytes first = WaitingModelVersion(0);
  ASSERT_TRUE(deflater.Deflate(first).ok());
  ASSERT_NE(deflater.dictionary(), nullptr);
  EXPECT_EQ(*deflater.dictionary(), first);
}

TEST(ObjectDeflaterTest, SiblingCompressesToUnderATenthOfItsSize) {
  ObjectDeflater deflater;
  ASSERT_TRUE(deflater.Deflate(WaitingModelVersion(0)).ok());
  const CborBytes sibling = WaitingModelVersion(1);
  Result<DeflatedObject> deflated = deflater.Deflate(sibling);
  ASSERT_TRUE(deflated.ok());
  EXPECT_LT(deflated->deflated.size() * 10, sibling.size())
      << deflated->deflated.size() << " of " << sibling.size() << " bytes";
}

TEST(ObjectDeflaterTest, KeepsTheDictionaryWhileObjectsResembleIt) {
  ObjectDeflater deflater;
  ASSERT_TRUE(deflater.Deflate(WaitingModelVersion(0)).ok());
  const std::shared_ptr<const CborBytes> dictionary = deflater.dictionary();
  for (int i = 1; i < 3 * ObjectDeflater::kMinObjectsPerDictionary; ++i) {
    ASSERT_TRUE(deflater.Deflate(WaitingModelVersion(i)).ok());
  }
  EXPECT_EQ(deflater.dictionary(), dictionary);
}

TEST(ObjectDeflaterTest, TakesAnUnlikeObjectAsDictionaryAfterTheMinimumCount) {
  ObjectDeflater deflater;
  ASSERT_TRUE(deflater.Deflate(WaitingModelVersion(0)).ok());
  const std::shared_ptr<const CborBytes> first = deflater.dictionary();
  // Objects that compress badly against it, fewer than the minimum: the dictionary stays.
  for (int i = 1; i < ObjectDeflater::kMinObjectsPerDictionary; ++i) {
    ASSERT_TRUE(deflater.Deflate(Noise(512, i)).ok());
  }
  EXPECT_EQ(deflater.dictionary(), first);
  const CborBytes unlike = Noise(512, 999);
  Result<DeflatedObject> deflated = deflater.Deflate(unlike);
  ASSERT_TRUE(deflated.ok());
  ASSERT_NE(deflater.dictionary(), first);
  EXPECT_EQ(*deflater.dictionary(), unlike);
  EXPECT_EQ(deflated->dictionary, deflater.dictionary());
}

TEST(ObjectDeflaterTest, ObjectsOfAnOlderDictionaryStillInflate) {
  ObjectDeflater deflater;
  const CborBytes old_object = WaitingModelVersion(0);
  Result<DeflatedObject> old_deflated = deflater.Deflate(old_object);
  ASSERT_TRUE(old_deflated.ok());
  for (int i = 1; i <= ObjectDeflater::kMinObjectsPerDictionary; ++i) {
    ASSERT_TRUE(deflater.Deflate(Noise(512, i)).ok());
  }
  ASSERT_NE(deflater.dictionary(), old_deflated->dictionary);
  Result<CborBytes> inflated = Inflate(*old_deflated);
  ASSERT_TRUE(inflated.ok());
  EXPECT_EQ(*inflated, old_object);
}

TEST(InflateTest, RefusesBytesThatDoNotInflateToTheRecordedSize) {
  ObjectDeflater deflater;
  Result<DeflatedObject> deflated = deflater.Deflate(WaitingModelVersion(0));
  ASSERT_TRUE(deflated.ok());
  DeflatedObject longer = *deflated;
  longer.cbor_size += 1;
  EXPECT_EQ(Inflate(longer).status().code(), Status::Code::kInternal);
  DeflatedObject truncated = *deflated;
  truncated.deflated.resize(truncated.deflated.size() / 2);
  EXPECT_EQ(Inflate(truncated).status().code(), Status::Code::kInternal);
}

TEST(InflateTest, RefusesAnObjectWithoutDictionary) {
  DeflatedObject object;
  object.cbor_size = 1;
  object.deflated = "x";
  EXPECT_EQ(Inflate(object).status().code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace modelgate::kube
