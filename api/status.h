// Status and Result: how modelgate reports errors that a user can cause.
//
// A Status is OK or carries a code and a message that names what went wrong and where
// (a field path, file:line:column, or a URL). Functions that can fail return a Status or
// a Result<T>; exceptions never cross a module boundary.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace modelgate {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,   // the input is malformed or violates a rule
    kNotFound,          // a named thing does not exist
    kAlreadyExists,     // a create found the thing already there
    kConflict,          // an optimistic-concurrency write lost the race
    kUnavailable,       // a dependency could not be reached; retrying may help
    kDeadlineExceeded,  // an operation ran out of time
    kPermissionDenied,  // the caller may not do this
    kResourceExhausted, // a size or count limit was hit
    kInternal,          // a bug: an invariant did not hold
  };

  // An OK status.
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) { return {Code::kDeadlineExceeded, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {Code::kResourceExhausted, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message" (for adding a file or field).
  Status WithContext(const std::string& context) const;

  // "OK" or "<CodeName>: <message>".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// The name of a status code, such as "InvalidArgument".
const char* StatusCodeName(Status::Code code);

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  // REQUIRES: !status.ok()
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace modelgate

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define MODELGATE_RETURN_IF_ERROR(expr)            \
  do {                                             \
    ::modelgate::Status mg_status_ = (expr);       \
    if (!mg_status_.ok()) return mg_status_;       \
  } while (false)
