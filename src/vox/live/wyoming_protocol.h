// The Wyoming protocol's framing (Home Assistant's local speech protocol), without sockets: one
// JSON header line {"type", "data"?, "data_length"?, "payload_length"?}\n, then data_length bytes
// of JSON merged over the header's data, then payload_length bytes of binary payload (PCM audio).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vox/core/error.h"

namespace vox::live {

struct WyomingEvent {
  std::string type;
  nlohmann::json data = nlohmann::json::object();
  std::string payload;  // raw bytes
};

struct WyomingLimits {
  size_t max_header_bytes = 64 * 1024;        // the JSON header line, newline included
  size_t max_data_bytes = 1024 * 1024;        // data_length
  size_t max_payload_bytes = 4 * 1024 * 1024; // payload_length
};

// Incremental parser: feed bytes as they arrive, get each event once it is complete. After an
// error (bad header line, bad JSON, missing type, oversize lengths) the stream cannot be
// resynchronised: the parser stays failed and the caller should close the connection.
class WyomingParser {
 public:
  explicit WyomingParser(WyomingLimits limits = {}) : limits_(limits) {}

  // Appends `bytes`; complete events are appended to `out` (also those before an error).
  Status feed(std::string_view bytes, std::vector<WyomingEvent>& out);
  bool failed() const { return failed_; }
  // Bytes of an event that has started but is not complete yet.
  size_t pending_bytes() const { return buffer_.size() - pos_; }

 private:
  Status parse_header(std::string_view line);
  Status fail(Error e);

  enum class Stage { kHeader, kData, kPayload };
  WyomingLimits limits_;
  std::string buffer_;
  size_t pos_ = 0;      // first unconsumed byte of buffer_
  size_t scanned_ = 0;  // bytes of the header line already searched for its newline
  Stage stage_ = Stage::kHeader;
  WyomingEvent current_;
  size_t data_length_ = 0;
  size_t payload_length_ = 0;
  bool failed_ = false;
};

// One event on the wire: the header line (type, version, data_length, payload_length), the data
// JSON (when non-empty) and the payload.
std::string encode_wyoming_event(const WyomingEvent& event);

// The `error` event for an Error: {"text": message, "code": error_code_name(code)}.
WyomingEvent wyoming_error_event(const Error& error);

}  // namespace vox::live
