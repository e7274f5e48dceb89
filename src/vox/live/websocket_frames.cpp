#include "vox/live/websocket_frames.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "vox/core/base64.h"

namespace vox::ws {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool is_control(Opcode op) { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }

bool known_opcode(std::uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

// Codes a peer may put in a close frame (§7.4.1, §7.4.2).
bool sendable_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

std::string frame_header(Opcode opcode, std::size_t size, bool fin, bool masked) {
  std::string h;
  h.push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(opcode)));
  const std::uint8_t mask_bit = masked ? 0x80 : 0x00;
  if (size < 126) {
    h.push_back(static_cast<char>(mask_bit | size));
  } else if (size <= 0xFFFF) {
    h.push_back(static_cast<char>(mask_bit | 126));
    h.push_back(static_cast<char>((size >> 8) & 0xFF));
    h.push_back(static_cast<char>(size & 0xFF));
  } else {
    h.push_back(static_cast<char>(mask_bit | 127));
    for (int i = 7; i >= 0; --i) h.push_back(static_cast<char>((static_cast<std::uint64_t>(size) >> (8 * i)) & 0xFF));
  }
  return h;
}

}  // namespace

FrameReader::Result FrameReader::next(Message& out, ProtocolViolation& violation) {
  auto fail = [&](std::uint16_t code, std::string reason) {
    failed_ = true;
    violation = ProtocolViolation{code, std::move(reason)};
    return Result::kViolation;
  };
  if (failed_) return fail(kCloseProtocolError, "connection already failed");
  for (;;) {
    const std::size_t avail = buffer_.size() - offset_;
    if (avail < 2) break;
    const auto* p = reinterpret_cast<const std::uint8_t*>(buffer_.data() + offset_);
    const bool fin = (p[0] & 0x80) != 0;
    if (p[0] & 0x70) return fail(kCloseProtocolError, "reserved bits set (no extension was negotiated)");
    const std::uint8_t op = p[0] & 0x0F;
    if (!known_opcode(op)) return fail(kCloseProtocolError, "unknown opcode");
    const Opcode opcode = static_cast<Opcode>(op);
    const bool masked = (p[1] & 0x80) != 0;
    if (require_mask_ && !masked) return fail(kCloseProtocolError, "client frames must be masked");
    std::uint64_t len = p[1] & 0x7F;
    std::size_t header = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (std::uint64_t(p[2]) << 8) | p[3];
      header = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      if (len >> 63) return fail(kCloseProtocolError, "frame length has its top bit set");
      header = 10;
    }
    if (is_control(opcode)) {
      if (!fin) return fail(kCloseProtocolError, "fragmented control frame");
      if (len > 125) return fail(kCloseProtocolError, "control frame longer than 125 bytes");
    } else {
      // Refuse a message too big before its bytes arrive: a length field is enough.
      const std::uint64_t so_far = in_message_ ? message_.size() : 0;
      if (len > max_message_ || so_far + len > max_message_)
        return fail(kCloseTooBig, "message larger than " + std::to_string(max_message_) + " bytes");
      if (opcode == Opcode::kContinuation && !in_message_) return fail(kCloseProtocolError, "continuation without a message");
      if (opcode != Opcode::kContinuation && in_message_) return fail(kCloseProtocolError, "new message inside a fragmented one");
    }
    const std::size_t mask_len = masked ? 4 : 0;
    if (avail < header + mask_len + len) break;
    std::uint8_t key[4] = {0, 0, 0, 0};
    if (masked) std::memcpy(key, p + header, 4);
    std::string payload(reinterpret_cast<const char*>(p + header + mask_len), static_cast<std::size_t>(len));
    if (masked)
      for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ key[i & 3]);
    offset_ += header + mask_len + static_cast<std::size_t>(len);
    // Keep the buffer from growing without bound: drop what was consumed once it is large.
    if (offset_ > (1u << 16) && offset_ * 2 > buffer_.size()) {
      buffer_.erase(0, offset_);
      offset_ = 0;
    }

    if (is_control(opcode)) {
      if (opcode == Opcode::kClose && !parse_close(payload)) return fail(kCloseProtocolError, "malformed close frame");
      out.opcode = opcode;
      out.payload = std::move(payload);
      return Result::kMessage;
    }
    if (opcode != Opcode::kContinuation) {
      in_message_ = true;
      message_opcode_ = opcode;
      message_.clear();
    }
    message_ += payload;
    if (!fin) continue;
    in_message_ = false;
    if (message_opcode_ == Opcode::kText && !is_valid_utf8(message_))
      return fail(kCloseInvalidPayload, "text message is not valid UTF-8");
    out.opcode = message_opcode_;
    out.payload = std::move(message_);
    message_.clear();
    return Result::kMessage;
  }
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  return Result::kNeedMore;
}

std::string encode_frame(Opcode opcode, std::string_view payload, bool fin) {
  std::string f = frame_header(opcode, payload.size(), fin, false);
  f.append(payload.data(), payload.size());
  return f;
}

std::string encode_masked_frame(Opcode opcode, std::string_view payload, std::uint32_t mask, bool fin) {
  std::string f = frame_header(opcode, payload.size(), fin, true);
  const std::uint8_t key[4] = {std::uint8_t(mask >> 24), std::uint8_t(mask >> 16), std::uint8_t(mask >> 8),
                               std::uint8_t(mask)};
  f.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(static_cast<char>(payload[i] ^ key[i & 3]));
  return f;
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code & 0xFF));
  // 125 bytes at most in a control frame; never cut a UTF-8 sequence in half.
  std::size_t n = std::min<std::size_t>(reason.size(), 123);
  while (n > 0 && n < reason.size() && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
  p.append(reason.data(), n);
  return p;
}

std::optional<std::pair<std::uint16_t, std::string>> parse_close(std::string_view payload) {
  if (payload.empty()) return std::make_pair(kCloseNoStatus, std::string());
  if (payload.size() == 1) return std::nullopt;
  const std::uint16_t code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                        static_cast<unsigned char>(payload[1]));
  if (!sendable_close_code(code)) return std::nullopt;
  std::string_view reason = payload.substr(2);
  if (!is_valid_utf8(reason)) return std::nullopt;
  return std::make_pair(code, std::string(reason));
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(n) >= s.size()) return false;  // truncated sequence
    for (int k = 1; k <= n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// ---- handshake ----

std::string RequestHead::header(std::string_view name) const {
  std::string out;
  for (const auto& [k, v] : headers) {
    if (!iequals(k, name)) continue;
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

std::size_t find_head_end(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\n') continue;
    if (i + 1 < bytes.size() && bytes[i + 1] == '\n') return i + 2;
    if (i + 2 < bytes.size() && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

std::optional<RequestHead> parse_request_head(std::string_view text) {
  RequestHead head;
  bool first = true;
  std::size_t pos = 0;
  bool ended = false;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      first = false;
      std::size_t a = line.find(' ');
      if (a == std::string_view::npos || a == 0) return std::nullopt;
      std::size_t b = line.find(' ', a + 1);
      if (b == std::string_view::npos || b == a + 1) return std::nullopt;
      head.method = std::string(line.substr(0, a));
      head.target = std::string(line.substr(a + 1, b - a - 1));
      head.version = std::string(line.substr(b + 1));
      if (head.version.rfind("HTTP/", 0) != 0 || head.target.find(' ') != std::string::npos) return std::nullopt;
      for (char c : head.method)
        if (!std::isupper(static_cast<unsigned char>(c))) return std::nullopt;
      std::size_t q = head.target.find('?');
      head.path = head.target.substr(0, q);
      if (q != std::string::npos) head.query = head.target.substr(q + 1);
      if (head.path.empty() || head.path[0] != '/') return std::nullopt;
      continue;
    }
    if (line.empty()) {
      ended = true;
      break;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view name = line.substr(0, colon);
    for (char c : name)
      if (c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x21) return std::nullopt;
    head.headers.emplace_back(std::string(name), std::string(trim(line.substr(colon + 1))));
  }
  if (first || !ended) return std::nullopt;
  return head;
}

std::vector<std::string> header_tokens(std::string_view value) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    std::size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view t = trim(value.substr(pos, comma - pos));
    if (!t.empty()) out.emplace_back(t);
    pos = comma + 1;
  }
  return out;
}

bool header_has_token(std::string_view value, std::string_view token) {
  for (const auto& t : header_tokens(value))
    if (iequals(t, token)) return true;
  return false;
}

bool is_upgrade_request(const RequestHead& head) { return header_has_token(head.header("Upgrade"), "websocket"); }

std::string upgrade_problem(const RequestHead& head) {
  if (!is_upgrade_request(head)) return "not a WebSocket upgrade (no 'Upgrade: websocket' header)";
  if (head.method != "GET") return "a WebSocket upgrade must be a GET";
  if (head.version != "HTTP/1.1") return "a WebSocket upgrade needs HTTP/1.1";
  if (!header_has_token(head.header("Connection"), "upgrade")) return "missing 'Connection: Upgrade'";
  if (trim(head.header("Sec-WebSocket-Version")) != "13") return "unsupported Sec-WebSocket-Version (13 is served)";
  std::string key(trim(head.header("Sec-WebSocket-Key")));
  auto decoded = base64_decode(key);
  if (key.empty() || !decoded || decoded->size() != 16) return "Sec-WebSocket-Key must be 16 bytes in base64";
  return "";
}

std::string accept_key(std::string_view client_key) {
  static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input(trim(client_key));
  input += kGuid;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha1(), nullptr);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

}  // namespace vox::ws
