#include "gates/overfitting.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gates/csv_reader.h"

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;

TEST(OverfittingTest, DetectsValidationLossRisingWhileTrainingLossFalls) {
  std::vector<EpochLoss> history = {{1, 1.0, 0.9}, {2, 0.8, 0.7}, {3, 0.6, 0.75}, {4, 0.5, 0.8}};
  OverfittingFinding finding = DetectOverfittingInHistory(history, 2);
  EXPECT_TRUE(finding.overfitting);
  EXPECT_EQ(finding.since_epoch, 2);
  EXPECT_THAT(finding.message, HasSubstr("rose for 2 epochs after epoch 2 (0.7 -> 0.8)"));
}

TEST(OverfittingTest, ToleratesFewerRisingEpochsThanPatience) {
  std::vector<EpochLoss> history = {{1, 1.0, 0.9}, {2, 0.8, 0.7}, {3, 0.6, 0.75}, {4, 0.5, 0.6}};
  OverfittingFinding finding = DetectOverfittingInHistory(history, 2);
  EXPECT_FALSE(finding.overfitting);
  EXPECT_EQ(finding.rising_epochs, 1);
}

TEST(OverfittingTest, RisingValidationLossWithRisingTrainingLossIsNotOverfitting) {
  std::vector<EpochLoss> history = {{1, 0.5, 0.5}, {2, 0.6, 0.6}, {3, 0.7, 0.7}, {4, 0.8, 0.8}};
  EXPECT_FALSE(DetectOverfittingInHistory(history, 1).overfitting);
}

TEST(OverfittingTest, GapIsTrainMinusHoldoutForScoresAndReverseForErrors) {
  EXPECT_DOUBLE_EQ(TrainHoldoutGap(0.95, 0.85, true), 0.95 - 0.85);
  EXPECT_DOUBLE_EQ(TrainHoldoutGap(0.2, 0.5, false), 0.3);
}

TEST(OverfittingTest, ReadsTrainingHistoryColumnsByName) {
  auto reader = CsvReader::Open(
      MemoryByteSource("val_loss,epoch,train_loss\n0.9,1,1.0\n0.8,2,0.7\n", "history.csv"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto history = ReadTrainingHistory(**reader);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].epoch, 2);
  EXPECT_EQ((*history)[1].train_loss, 0.7);
  EXPECT_EQ((*history)[1].val_loss, 0.8);
}

TEST(OverfittingTest, HistoryValueThatIsNotANumberNamesFileLineAndColumn) {
  auto reader = CsvReader::Open(
      MemoryByteSource("epoch,train_loss,val_loss\n1,1.0,0.9\n2,0.7,oops\n", "history.csv"));
  ASSERT_TRUE(reader.ok());
  auto history = ReadTrainingHistory(**reader);
  ASSERT_FALSE(history.ok());
  EXPECT_THAT(history.status().message(), HasSubstr("history.csv:3"));
  EXPECT_THAT(history.status().message(), HasSubstr("val_loss"));
}

TEST(OverfittingTest, HistoryWithoutValidationLossIsRefused) {
  auto reader = CsvReader::Open(MemoryByteSource("epoch,train_loss\n1,1.0\n", "history.csv"));
  ASSERT_TRUE(reader.ok());
  auto history = ReadTrainingHistory(**reader);
  ASSERT_FALSE(history.ok());
  EXPECT_THAT(history.status().message(), HasSubstr("no column \"val_loss\""));
}

}  // namespace
}  // namespace modelgate::gates
