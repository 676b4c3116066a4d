#include "gates/html_escape.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/gates/well_formed_xml.h"

namespace modelgate::gates {
namespace {

using ::modelgate::gates::testing::IsWellFormedXml;

TEST(HtmlEscapeTest, EscapesMarkupCharacters) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(HtmlEscapeTest, KeepsValidUtf8) { EXPECT_EQ(EscapeHtml("Größe ≤ 5 ✓"), "Größe ≤ 5 ✓"); }

TEST(HtmlEscapeTest, ReplacesInvalidUtf8WithReplacementCharacter) {
  EXPECT_EQ(EscapeHtml("a\xff"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(EscapeHtml("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong NUL
  EXPECT_EQ(EscapeHtml("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(EscapeHtml("\xE2\x89"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
}

TEST(HtmlEscapeTest, ShowsControlCharactersXmlForbids) {
  EXPECT_EQ(EscapeHtml(std::string("a\0b\x1b\x7f", 5)), "a\\x00b\\x1b\\x7f");
  EXPECT_EQ(EscapeHtml("tab\tline\n"), "tab\tline\n");
}

TEST(HtmlEscapeTest, EveryByteEscapedIsWellFormedXml) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_TRUE(IsWellFormedXml("<p title=\"" + EscapeHtml(all) + "\">" + EscapeHtml(all) + "</p>"));
}

TEST(HtmlEscapeTest, FormatsNumbersWithFourSignificantDigits) {
  EXPECT_EQ(FormatReportNumber(0.912345), "0.9123");
  EXPECT_EQ(FormatReportNumber(180), "180");
  EXPECT_EQ(FormatReportNumber(std::numeric_limits<double>::quiet_NaN()), "—");
  EXPECT_EQ(FormatReportNumber(-INFINITY), "-∞");
}

TEST(HtmlEscapeTest, TruncatesAtACharacterBoundary) {
  EXPECT_EQ(TruncateUtf8("abc", 5), "abc");
  EXPECT_EQ(TruncateUtf8("aéb", 2), "a…");
}

}  // namespace
}  // namespace modelgate::gates
