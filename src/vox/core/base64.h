// Base64 (RFC 4648) for SSE audio deltas and data: URLs.
#pragma once

#include <string>
#include <string_view>

#include "vox/core/error.h"

namespace vox {

std::string base64_encode(std::string_view bytes);
// Accepts padded or unpadded input; whitespace is ignored. Bad characters → kInvalidArgument.
Result<std::string> base64_decode(std::string_view text);

}  // namespace vox
