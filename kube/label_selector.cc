#include "kube/label_selector.h"

#include <set>
#include <vector>

namespace modelgate::kube {
namespace {

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  size_t end = s.find_last_not_of(' ');
  return s.substr(begin, end - begin + 1);
}

// Splits on commas outside parentheses.
Result<std::vector<std::string>> SplitTerms(const std::string& selector) {
  std::vector<std::string> terms;
  std::string current;
  int depth = 0;
  for (char c : selector) {
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) {
      return Status::InvalidArgument("selector \"" + selector + "\": unbalanced ')'");
    }
    if (c == ',' && depth == 0) {
      terms.push_back(Trim(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (depth != 0) return Status::InvalidArgument("selector \"" + selector + "\": unclosed '('");
  terms.push_back(Trim(current));
  return terms;
}

std::string LabelValue(const Json& labels, const std::string& key, bool* present) {
  *present = false;
  if (!labels.is_object()) return "";
  auto it = labels.find(key);
  if (it == labels.end() || !it->is_string()) return "";
  *present = true;
  return it->get<std::string>();
}

Result<bool> MatchTerm(const std::string& term, const Json& labels) {
  if (term.empty()) return Status::InvalidArgument("label selector: empty term");
  bool present = false;
  for (const char* op : {" notin ", " in "}) {
    size_t at = term.find(op);
    if (at == std::string::npos) continue;
    std::string key = Trim(term.substr(0, at));
    std::string rest = Trim(term.substr(at + std::char_traits<char>::length(op)));
    if (key.empty() || rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
      return Status::InvalidArgument("label selector term \"" + term + "\": expected k " +
                                     Trim(op) + " (v1,v2)");
    }
    std::set<std::string> values;
    std::string inner = rest.substr(1, rest.size() - 2);
    size_t start = 0;
    while (start <= inner.size()) {
      size_t comma = inner.find(',', start);
      values.insert(Trim(
          inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    std::string value = LabelValue(labels, key, &present);
    bool in = present && values.count(value) > 0;
    return std::string(op) == " in " ? in : !in;
  }
  if (term[0] == '!') {
    LabelValue(labels, Trim(term.substr(1)), &present);
    return !present;
  }
  size_t ne = term.find("!=");
  if (ne != std::string::npos) {
    std::string value = LabelValue(labels, Trim(term.substr(0, ne)), &present);
    return !present || value != Trim(term.substr(ne + 2));
  }
  size_t eq = term.find('=');
  if (eq != std::string::npos) {
    size_t value_at = term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1;
    std::string value = LabelValue(labels, Trim(term.substr(0, eq)), &present);
    return present && value == Trim(term.substr(value_at));
  }
  if (term.find_first_of(" ()") != std::string::npos) {
    return Status::InvalidArgument("label selector term \"" + term + "\" does not parse");
  }
  LabelValue(labels, term, &present);
  return present;
}

std::string FieldValue(const Json& object, const std::string& path) {
  const Json* node = &object;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object()) return "";
    auto it = node->find(part);
    if (it == node->end()) return "";
    node = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_string()) return node->get<std::string>();
  if (node->is_null()) return "";
  return node->dump();
}

}  // namespace

Result<bool> MatchesLabelSelector(const std::string& selector, const Json& labels) {
  if (Trim(selector).empty()) return true;
  Result<std::vector<std::string>> terms = SplitTerms(selector);
  if (!terms.ok()) return terms.status();
  // Every term is checked, so a malformed one is reported even when an earlier one fails.
  bool all = true;
  for (const std::string& term : *terms) {
    Result<bool> match = MatchTerm(term, labels);
    if (!match.ok()) return match.status();
    all = all && *match;
  }
  return all;
}

Result<bool> MatchesFieldSelector(const std::string& selector, const Json& object) {
  if (Trim(selector).empty()) return true;
  Result<std::vector<std::string>> terms = SplitTerms(selector);
  if (!terms.ok()) return terms.status();
  for (const std::string& term : *terms) {
    size_t ne = term.find("!=");
    size_t eq = term.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("field selector term \"" + term + "\": expected path=value");
    }
    if (ne != std::string::npos && ne < eq) {
      if (FieldValue(object, Trim(term.substr(0, ne))) == Trim(term.substr(ne + 2))) return false;
      continue;
    }
    size_t value_at = term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1;
    if (FieldValue(object, Trim(term.substr(0, eq))) != Trim(term.substr(value_at))) return false;
  }
  return true;
}

}  // namespace modelgate::kube
