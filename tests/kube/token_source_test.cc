#include "kube/token_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace modelgate::kube {
namespace {

class FileTokenSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("modelgate-token-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void WriteToken(const std::string& token) { std::ofstream(path_) << token; }

  std::string path_;
  FakeClock clock_;
};

TEST_F(FileTokenSourceTest, RereadsTheFileAfterTheRefreshPeriod) {
  WriteToken("first\n");
  FileTokenSource source(path_, clock_);
  EXPECT_EQ(*source.Token(), "first");
  WriteToken("second");
  clock_.Advance(std::chrono::seconds(59));
  EXPECT_EQ(*source.Token(), "first");
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(*source.Token(), "second");
}

TEST_F(FileTokenSourceTest, KeepsTheOldTokenWhenTheFileDisappears) {
  WriteToken("first");
  FileTokenSource source(path_, clock_);
  EXPECT_EQ(*source.Token(), "first");
  std::filesystem::remove(path_);
  clock_.Advance(std::chrono::minutes(2));
  Result<std::string> token = source.Token();
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, "first");
}

TEST_F(FileTokenSourceTest, MissingFileWithoutAnyTokenIsAnError) {
  FileTokenSource source(path_, clock_);
  Result<std::string> token = source.Token();
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.status().message().find(path_), std::string::npos);
}

}  // namespace
}  // namespace modelgate::kube
