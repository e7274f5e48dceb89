// Makes arbitrary (valid UTF-8) text safe to hand to flite.
//
// Why: flite reads bytes as Latin-1-ish ASCII and has hard failure modes (checked
// with the flite CLI): a run of ~400 punctuation characters ("!!!...", ".,.,..", "???...")
// corrupts the heap and aborts the process, and one very long token is superlinear in time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vox {

inline constexpr std::size_t kFliteMaxPunctuationRun = 3;  // "..." and "?!" survive
inline constexpr std::size_t kFliteMaxTokenChars = 50;     // longer tokens are split with spaces

// Maps common non-ASCII characters to ASCII (curly quotes, dashes, ellipsis, accented Latin
// letters), turns every other non-ASCII character and control character into a space, cuts runs
// of ASCII punctuation to kFliteMaxPunctuationRun characters and splits tokens longer than
// kFliteMaxTokenChars. The result is plain ASCII. `utf8` must be valid UTF-8 (text.h).
std::string sanitize_for_flite(std::string_view utf8);

}  // namespace vox
