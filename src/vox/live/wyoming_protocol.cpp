#include "vox/live/wyoming_protocol.h"

#include <algorithm>

namespace vox::live {

namespace {

constexpr const char* kProtocolVersion = "1.5.4";

// A non-negative integer length field, 0 when absent or null.
Result<size_t> length_field(const nlohmann::json& header, const char* name, size_t limit) {
  if (!header.contains(name) || header[name].is_null()) return size_t{0};
  const auto& v = header[name];
  if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<long long>() < 0))
    return Error(ErrorCode::kInvalidArgument, std::string(name) + " must be a non-negative integer", name);
  auto n = v.get<unsigned long long>();
  if (n > limit)
    return Error(ErrorCode::kTooLarge,
                 std::string(name) + " is " + std::to_string(n) + " bytes; the limit is " + std::to_string(limit), name);
  return size_t(n);
}

}  // namespace

Status WyomingParser::fail(Error e) {
  failed_ = true;
  buffer_.clear();
  pos_ = 0;
  return e;
}

Status WyomingParser::parse_header(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  auto header = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (header.is_discarded()) return Error(ErrorCode::kInvalidArgument, "the event header is not valid JSON");
  if (!header.is_object()) return Error(ErrorCode::kInvalidArgument, "the event header must be a JSON object");
  if (!header.contains("type") || !header["type"].is_string() || header["type"].get_ref<const std::string&>().empty())
    return Error(ErrorCode::kInvalidArgument, "the event header has no type", "type");
  current_ = WyomingEvent{};
  current_.type = header["type"].get<std::string>();
  if (header.contains("data") && !header["data"].is_null()) {
    if (!header["data"].is_object()) return Error(ErrorCode::kInvalidArgument, "the event's data must be a JSON object", "data");
    current_.data = std::move(header["data"]);
  }
  auto data_length = length_field(header, "data_length", limits_.max_data_bytes);
  if (!data_length) return data_length.error();
  auto payload_length = length_field(header, "payload_length", limits_.max_payload_bytes);
  if (!payload_length) return payload_length.error();
  data_length_ = *data_length;
  payload_length_ = *payload_length;
  return Status::Ok();
}

Status WyomingParser::feed(std::string_view bytes, std::vector<WyomingEvent>& out) {
  if (failed_) return Error(ErrorCode::kInvalidArgument, "the event stream is broken");
  buffer_.append(bytes.data(), bytes.size());
  while (true) {
    std::string_view rest(buffer_.data() + pos_, buffer_.size() - pos_);
    if (stage_ == Stage::kHeader) {
      // Only the first max_header_bytes can hold the newline.
      size_t nl = rest.substr(0, limits_.max_header_bytes).find('\n', scanned_);
      if (nl == std::string_view::npos) {
        scanned_ = std::min(rest.size(), limits_.max_header_bytes);
        if (rest.size() >= limits_.max_header_bytes)
          return fail(Error(ErrorCode::kTooLarge, "the event header line is longer than " +
                                                      std::to_string(limits_.max_header_bytes) + " bytes"));
        break;
      }
      if (Status s = parse_header(rest.substr(0, nl)); !s) return fail(s.error());
      pos_ += nl + 1;
      scanned_ = 0;
      stage_ = Stage::kData;
      continue;
    }
    if (stage_ == Stage::kData) {
      if (rest.size() < data_length_) break;
      if (data_length_ > 0) {
        auto data = nlohmann::json::parse(rest.begin(), rest.begin() + data_length_, nullptr, false);
        if (data.is_discarded() || !data.is_object())
          return fail(Error(ErrorCode::kInvalidArgument, "the event's data is not a JSON object", "data"));
        current_.data.update(data);  // merged on top of the header's data
        pos_ += data_length_;
      }
      stage_ = Stage::kPayload;
      continue;
    }
    // Stage::kPayload
    if (rest.size() < payload_length_) break;
    current_.payload.assign(rest.data(), payload_length_);
    pos_ += payload_length_;
    out.push_back(std::move(current_));
    current_ = WyomingEvent{};
    stage_ = Stage::kHeader;
  }
  // Drop consumed bytes once they dominate the buffer (keeps feeding linear).
  if (pos_ > 0 && (pos_ == buffer_.size() || pos_ >= 64 * 1024)) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  return Status::Ok();
}

std::string encode_wyoming_event(const WyomingEvent& event) {
  nlohmann::json header = {{"type", event.type}, {"version", kProtocolVersion}};
  std::string data;
  if (event.data.is_object() && !event.data.empty())
    data = event.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (!data.empty()) header["data_length"] = data.size();
  if (!event.payload.empty()) header["payload_length"] = event.payload.size();
  std::string out = header.dump();
  out.reserve(out.size() + 1 + data.size() + event.payload.size());
  out += '\n';
  out += data;
  out += event.payload;
  return out;
}

WyomingEvent wyoming_error_event(const Error& error) {
  WyomingEvent e;
  e.type = "error";
  e.data = {{"text", error.message}, {"code", error_code_name(error.code)}};
  return e;
}

}  // namespace vox::live
