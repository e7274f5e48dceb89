// ISO-639-1 codes → the lowercase English language names OpenAI's verbose_json reports.
#pragma once

#include <string>
#include <string_view>

namespace vox {

// "en" → "english", "zh" → "chinese". Case-insensitive; a region suffix ("en-US", "pt_BR") is
// ignored. A name that is already a known full name is returned lowercased; anything else
// unknown is returned lowercased as given (never empty unless the input is).
std::string language_full_name(std::string_view code);

}  // namespace vox
