// A strict XML check for generated pages and charts: Python's expat-based parser, which
// refuses any unescaped '<' or '&', unclosed or crossed elements, and characters XML forbids.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "tests/support/subprocess.h"

namespace modelgate::gates::testing {

inline ::testing::AssertionResult IsWellFormedXml(const std::string& text) {
  char path[] = "/tmp/modelgate-xml-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return ::testing::AssertionFailure() << "cannot create a temporary file";
  close(fd);
  std::ofstream(path, std::ios::binary) << text;
  const auto parsed = ::modelgate::testing::RunShell(
      "python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' " +
      std::string(path));
  std::remove(path);
  if (parsed.exitCode == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "not well-formed XML: " << parsed.output;
}

}  // namespace modelgate::gates::testing
