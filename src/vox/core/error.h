// Errors are values: every fallible libvox call returns Result<T>. The HTTP layer and the CLI each
// map an ErrorCode onto a status / exit code in exactly one place (server/http_errors.cpp,
// cli/exit_codes.cpp); library code never exits or aborts.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace vox {

enum class ErrorCode {
  kInvalidArgument,   // a parameter is malformed or out of range
  kNotFound,          // a named thing (voice, job, file) does not exist
  kModelNotFound,     // a requested model / engine is not installed
  kEmptyInput,        // zero bytes, or audio without a single sample
  kInvalidAudio,      // not a media file we can parse (garbage, text, ...)
  kTruncatedAudio,    // a media file that ends before its declared end
  kNoAudioStream,     // a container without an audio track (e.g. video only)
  kTooLarge,          // over the configured upload size
  kTooLong,           // over the configured maximum duration
  kUnauthorized,      // missing / wrong / revoked API key
  kRateLimited,       // a per-key limit is exhausted; retry later
  kBusy,              // server-wide capacity exhausted; retry later
  kCancelled,         // the caller cancelled (client disconnect, DELETE job)
  kUnavailable,       // an engine or backend failed to load or is not ready
  kIo,                // file system or network I/O failed
  kInternal,          // a bug or an engine failure we cannot classify
};

// Stable snake_case name of a code, used as OpenAI's error.code and in logs.
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string param;            // the request field at fault, if any
  double retry_after_s = 0.0;   // for kRateLimited / kBusy

  Error() = default;
  Error(ErrorCode c, std::string msg, std::string p = {}) : code(c), message(std::move(msg)), param(std::move(p)) {}
};

// A value or an Error. Small on purpose: std::expected is C++23.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace vox
