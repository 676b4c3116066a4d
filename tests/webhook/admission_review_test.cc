#include "webhook/admission_review.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace modelgate::webhook {
namespace {

using nlohmann::json;

json ValidReview() {
  return json::parse(R"({
    "apiVersion": "admission.k8s.io/v1",
    "kind": "AdmissionReview",
    "request": {
      "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
      "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
      "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
      "name": "fraud-api",
      "namespace": "ml",
      "operation": "CREATE",
      "userInfo": {"username": "alice", "uid": "u1", "groups": ["system:authenticated", "ml"]},
      "object": {"metadata": {"name": "fraud-api"}},
      "oldObject": null,
      "dryRun": true
    }
  })");
}

Result<AdmissionRequest> Parse(const std::string& body) {
  return ParseAdmissionReview(body.data(), body.size());
}

TEST(AdmissionReviewTest, ParsesRequestFields) {
  auto r = Parse(ValidReview().dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->uid, "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(r->kind_group, "apps");
  EXPECT_EQ(r->kind, "Deployment");
  EXPECT_EQ(r->resource, "deployments");
  EXPECT_EQ(r->name, "fraud-api");
  EXPECT_EQ(r->ns, "ml");
  EXPECT_EQ(r->operation, "CREATE");
  EXPECT_EQ(r->user.username, "alice");
  EXPECT_EQ(r->user.groups, (std::vector<std::string>{"system:authenticated", "ml"}));
  EXPECT_TRUE(r->dry_run);
  EXPECT_EQ(r->object["metadata"]["name"], "fraud-api");
  EXPECT_TRUE(r->old_object.is_null());
}

TEST(AdmissionReviewTest, RejectsMalformedJsonWithPosition) {
  auto r = Parse("{\"apiVersion\": \"admission.k8s.io/v1\",\n \"kind\": }");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("malformed JSON"), std::string::npos);
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().message();
}

TEST(AdmissionReviewTest, RejectsWrongApiVersion) {
  json review = ValidReview();
  review["apiVersion"] = "admission.k8s.io/v1beta1";
  auto r = Parse(review.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("apiVersion must be \"admission.k8s.io/v1\", got "
                                      "\"admission.k8s.io/v1beta1\""),
            std::string::npos)
      << r.status().message();
}

TEST(AdmissionReviewTest, RejectsWrongKind) {
  json review = ValidReview();
  review["kind"] = "ConversionReview";
  auto r = Parse(review.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("kind must be \"AdmissionReview\""), std::string::npos);
}

TEST(AdmissionReviewTest, RejectsMissingUid) {
  json review = ValidReview();
  review["request"].erase("uid");
  auto r = Parse(review.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "AdmissionReview: request.uid is missing");
}

TEST(AdmissionReviewTest, RejectsMissingRequest) {
  json review = ValidReview();
  review.erase("request");
  EXPECT_FALSE(Parse(review.dump()).ok());
}

TEST(AdmissionReviewTest, RejectsFieldOfWrongType) {
  json review = ValidReview();
  review["request"]["userInfo"]["groups"] = "ml";
  auto r = Parse(review.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("request.userInfo.groups"), std::string::npos);
}

TEST(AdmissionReviewTest, RejectsNonObjectBody) {
  EXPECT_FALSE(Parse("[1,2,3]").ok());
  EXPECT_FALSE(Parse("").ok());
}

TEST(AdmissionReviewTest, RejectsDeepNestingBeforeParsing) {
  std::string deep(100000, '[');
  auto r = Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
}

TEST(AdmissionReviewTest, RejectsOversizedBody) {
  std::string big(kMaxAdmissionReviewBytes + 1, ' ');
  auto r = Parse(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
}

TEST(AdmissionReviewTest, BracketsInsideStringsDoNotCountAsNesting) {
  json review = ValidReview();
  review["request"]["object"]["metadata"]["annotations"] = {{"a", std::string(200, '[')}};
  EXPECT_TRUE(Parse(review.dump()).ok());
}

TEST(AdmissionReviewTest, DeepNestingInsideLeftOutFieldsStillCounts) {
  json review = ValidReview();
  json deep = 1;
  for (int i = 0; i < kMaxAdmissionReviewDepth; ++i) deep = json::array({deep});
  review["request"]["object"]["spec"]["containers"] = deep;
  auto r = Parse(review.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kResourceExhausted);
}

TEST(AdmissionReviewTest, KeepsOfTheObjectWhatDecisionsRead) {
  json review = ValidReview();
  json& object = review["request"]["object"];
  object["metadata"]["labels"] = {{"tier", "gold"}};
  object["metadata"]["annotations"] = {{"modelgate.io/model-version", "fraud-v2"}};
  object["metadata"]["managedFields"] = json::array({{{"manager", "kubectl"}}});
  object["spec"]["replicas"] = 3;
  object["spec"]["template"]["metadata"]["annotations"] = {{"modelgate.io/model-version", "a"}};
  object["spec"]["template"]["spec"]["containers"] = json::array({{{"name", "model"}}});
  review["request"]["oldObject"] = object;
  auto r = Parse(review.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const json want = json::parse(R"({
    "metadata": {"name": "fraud-api", "labels": {"tier": "gold"},
                 "annotations": {"modelgate.io/model-version": "fraud-v2"}},
    "spec": {"template": {"metadata": {"annotations": {"modelgate.io/model-version": "a"}}}}
  })");
  EXPECT_EQ(r->object, want);
  EXPECT_EQ(r->old_object, want);
  EXPECT_EQ(r->user.groups, (std::vector<std::string>{"system:authenticated", "ml"}));
}

TEST(AdmissionReviewTest, SerializesDenialWithStatus) {
  AdmissionResponse response;
  response.uid = "abc";
  response.allowed = false;
  response.code = 403;
  response.message = "denied because";
  json j = json::parse(SerializeAdmissionReview(response));
  EXPECT_EQ(j["apiVersion"], "admission.k8s.io/v1");
  EXPECT_EQ(j["kind"], "AdmissionReview");
  EXPECT_EQ(j["response"]["uid"], "abc");
  EXPECT_EQ(j["response"]["allowed"], false);
  EXPECT_EQ(j["response"]["status"]["code"], 403);
  EXPECT_EQ(j["response"]["status"]["message"], "denied because");
  EXPECT_EQ(j["response"]["status"]["reason"], "Forbidden");
}

TEST(AdmissionReviewTest, SerializesWarningsAndAuditAnnotations) {
  AdmissionResponse response;
  response.uid = "abc";
  response.warnings = {"w1", "w2"};
  response.audit_annotations = {{"policy-audit", "x"}};
  json j = json::parse(SerializeAdmissionReview(response));
  EXPECT_EQ(j["response"]["allowed"], true);
  EXPECT_FALSE(j["response"].contains("status"));
  EXPECT_EQ(j["response"]["warnings"], json({"w1", "w2"}));
  EXPECT_EQ(j["response"]["auditAnnotations"]["policy-audit"], "x");
}

TEST(AdmissionReviewTest, SerializesInvalidUtf8WithoutThrowing) {
  AdmissionResponse response;
  response.uid = "abc";
  response.allowed = false;
  response.message = std::string("bad \xff byte");
  EXPECT_NO_THROW(json::parse(SerializeAdmissionReview(response)));
}

TEST(AdmissionReviewTest, PlainAllowedAnswerIsTheDocumentsCompactForm) {
  AdmissionResponse response;
  response.uid = "0df28fbd-5f5f-4a8f-9f0a-2b3c4d5e6f70";
  const json want = {{"apiVersion", "admission.k8s.io/v1"},
                     {"kind", "AdmissionReview"},
                     {"response", {{"uid", response.uid}, {"allowed", true}}}};
  EXPECT_EQ(SerializeAdmissionReview(response), want.dump());
}

TEST(AdmissionReviewTest, UidWithQuotesIsEscaped) {
  AdmissionResponse response;
  response.uid = "a\"b\\c";
  json j = json::parse(SerializeAdmissionReview(response));
  EXPECT_EQ(j["response"]["uid"], "a\"b\\c");
  EXPECT_EQ(j["response"]["allowed"], true);
}

}  // namespace
}  // namespace modelgate::webhook
