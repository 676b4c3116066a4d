// Loads the reference values written by tests/gates/vectors/make_vectors.py.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace modelgate::gates::testing {

// The parsed JSON file tests/gates/vectors/<name>; an empty object (and a test failure)
// when it cannot be read.
inline nlohmann::json LoadVectors(const std::string& name) {
  std::ifstream in(std::string(MODELGATE_SOURCE_DIR) + "/tests/gates/vectors/" + name);
  EXPECT_TRUE(in.good()) << "cannot read vectors file " << name;
  if (!in.good()) return nlohmann::json::object();
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

// A sample: either a JSON array of numbers, or the "golden" generator spec that
// make_vectors.py documents (x_i = shift + scale * fmod((i+1)*alpha, 1), optionally rounded).
inline std::vector<double> Sample(const nlohmann::json& spec) {
  if (spec.is_array()) return spec.get<std::vector<double>>();
  const int n = spec.at("n").get<int>();
  const double alpha = spec.value("alpha", 0.6180339887498949);
  const double scale = spec.value("scale", 1.0);
  const double shift = spec.value("shift", 0.0);
  std::vector<double> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    double x = shift + scale * std::fmod((i + 1) * alpha, 1.0);
    if (spec.contains("decimals")) {
      // numpy.round: scale by 10^d, round half to even, scale back.
      const double factor = std::pow(10.0, spec.at("decimals").get<int>());
      x = std::nearbyint(x * factor) / factor;
    }
    out.push_back(x);
  }
  return out;
}

// |actual - expected| <= abs + rel * |expected|.
inline ::testing::AssertionResult Near(double actual, double expected, double rel, double abs = 0) {
  if (std::abs(actual - expected) <= abs + rel * std::abs(expected)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "actual " << actual << " expected " << expected
                                       << " (rel " << rel << ", abs " << abs << ")";
}

}  // namespace modelgate::gates::testing
