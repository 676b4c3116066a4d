#include "kube/watch_decoder.h"

#include <gtest/gtest.h>

#include <random>

namespace modelgate::kube {
namespace {

const std::string kTwoEvents =
    R"({"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"5"}}})"
    "\n"
    R"({"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"6"}}})"
    "\n";

TEST(WatchDecoderTest, DecodesCompleteLines) {
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  ASSERT_TRUE(decoder.Feed(kTwoEvents.data(), kTwoEvents.size(), &events).ok());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, WatchEventType::kAdded);
  EXPECT_EQ(events[1].type, WatchEventType::kModified);
  EXPECT_EQ(ResourceVersionOf(events[1].object), "6");
}

TEST(WatchDecoderTest, EventsSplitAcrossChunksAtEveryByteDecodeTheSame) {
  for (size_t cut = 0; cut <= kTwoEvents.size(); ++cut) {
    WatchDecoder decoder;
    std::vector<WatchEvent> events;
    ASSERT_TRUE(decoder.Feed(kTwoEvents.data(), cut, &events).ok());
    ASSERT_TRUE(decoder.Feed(kTwoEvents.data() + cut, kTwoEvents.size() - cut, &events).ok());
    ASSERT_EQ(events.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(decoder.buffered(), 0u);
  }
}

TEST(WatchDecoderTest, ByteByByteFeedingDecodesAll) {
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  for (char c : kTwoEvents) ASSERT_TRUE(decoder.Feed(&c, 1, &events).ok());
  EXPECT_EQ(events.size(), 2u);
}

TEST(WatchDecoderTest, BookmarkAndErrorAreDecoded) {
  std::string text =
      R"({"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"12"}}})"
      "\n"
      R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}})"
      "\n";
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  ASSERT_TRUE(decoder.Feed(text.data(), text.size(), &events).ok());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, WatchEventType::kBookmark);
  EXPECT_EQ(events[1].type, WatchEventType::kError);
  EXPECT_EQ(events[1].object["code"], 410);
}

TEST(WatchDecoderTest, OversizedEventIsRejectedWithoutBufferingIt) {
  WatchDecoder decoder(64);
  std::vector<WatchEvent> events;
  std::string big(100, 'x');
  Status s = decoder.Feed(big.data(), big.size(), &events);
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(WatchDecoderTest, MalformedLineFailsAndStaysFailed) {
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  std::string bad = "{not json}\n";
  Status s = decoder.Feed(bad.data(), bad.size(), &events);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("watch event 1"), std::string::npos);
  EXPECT_FALSE(decoder.Feed(kTwoEvents.data(), kTwoEvents.size(), &events).ok());
  EXPECT_TRUE(events.empty());
}

TEST(WatchDecoderTest, UnknownTypeIsRejected) {
  EXPECT_FALSE(ParseWatchEvent(R"({"type":"WEIRD","object":{"metadata":{}}})").ok());
}

TEST(WatchDecoderTest, ObjectWithoutMetadataIsRejected) {
  EXPECT_FALSE(ParseWatchEvent(R"({"type":"ADDED","object":{}})").ok());
}

TEST(WatchDecoderTest, DeeplyNestedEventIsRefusedNamingTheBound) {
  const std::string deep = R"({"type":"ADDED","object":{"metadata":{},"spec":)" +
                           std::string(100000, '[') + std::string(100000, ']') + "}}\n";
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  Status s = decoder.Feed(deep.data(), deep.size(), &events);
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(s.message(), "watch event 1: watch event is nested deeper than 256 levels");
  EXPECT_TRUE(events.empty());
}

TEST(WatchDecoderTest, EventNestedToTheBoundIsDecoded) {
  // The line itself and its object are two of the levels.
  const std::string line = R"({"type":"ADDED","object":{"metadata":{},"spec":)" +
                           std::string(254, '[') + std::string(254, ']') + "}}";
  EXPECT_TRUE(ParseWatchEvent(line).ok());
}

TEST(WatchDecoderTest, BracketsInStringsAreNotNesting) {
  const std::string line =
      R"({"type":"ADDED","object":{"metadata":{"name":")" + std::string(1000, '[') + R"(\"["}}})";
  Result<WatchEvent> event = ParseWatchEvent(line);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
}

TEST(WatchDecoderTest, NulByteAfterAnEventIsRefused) {
  // nlohmann's lexer alone stops at a NUL and would decode the event before it.
  const std::string line =
      std::string(R"({"type":"ADDED","object":{"metadata":{}}})") + '\0' + "garbage";
  Result<WatchEvent> event = ParseWatchEvent(line);
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.status().message(), "watch event is not valid JSON: NUL byte at offset 41");
}

TEST(WatchDecoderTest, BlankLinesAreIgnored) {
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  std::string text = "\n\r\n" + kTwoEvents;
  ASSERT_TRUE(decoder.Feed(text.data(), text.size(), &events).ok());
  EXPECT_EQ(events.size(), 2u);
}

TEST(WatchDecoderTest, FinishDecodesLastLineWithoutNewline) {
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  std::string text = kTwoEvents.substr(0, kTwoEvents.find('\n'));
  ASSERT_TRUE(decoder.Feed(text.data(), text.size(), &events).ok());
  EXPECT_TRUE(events.empty());
  ASSERT_TRUE(decoder.Finish(&events).ok());
  EXPECT_EQ(events.size(), 1u);
}

TEST(WatchDecoderTest, FinishRejectsTruncatedEvent) {
  WatchDecoder decoder;
  std::vector<WatchEvent> events;
  ASSERT_TRUE(decoder.Feed(kTwoEvents.data(), 20, &events).ok());
  EXPECT_FALSE(decoder.Finish(&events).ok());
}

// A small fuzz loop: random bytes and random mutations of valid input never crash and
// never buffer more than the bound.
TEST(WatchDecoderTest, RandomInputNeverCrashesOrExceedsBound) {
  std::mt19937 rng(42);
  for (int round = 0; round < 2000; ++round) {
    WatchDecoder decoder(256);
    std::vector<WatchEvent> events;
    std::string input = kTwoEvents + kTwoEvents;
    for (int m = 0; m < 5; ++m) input[rng() % input.size()] = static_cast<char>(rng() % 256);
    size_t at = 0;
    while (at < input.size()) {
      size_t n = std::min<size_t>(input.size() - at, 1 + rng() % 40);
      decoder.Feed(input.data() + at, n, &events);
      ASSERT_LE(decoder.buffered(), 256u);
      at += n;
    }
    decoder.Finish(&events);
  }
}

}  // namespace
}  // namespace modelgate::kube
