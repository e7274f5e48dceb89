// Subtitle timestamps. Rounding happens once, on whole milliseconds, so that 59.9996 s carries
// into the next minute instead of printing "00:00:60,000".
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "vox/format/writers.h"

namespace vox {

std::string format_timestamp(double seconds, char millis_separator) {
  // Negative or non-finite times have no meaning in a subtitle file: show them as zero. Absurdly
  // large ones are clamped (to about 31 years) so the conversion cannot overflow.
  long long ms = std::isfinite(seconds) && seconds > 0 ? std::llround(std::min(seconds, 1e9) * 1000.0) : 0;
  long long hours = ms / 3600000;
  int minutes = int(ms / 60000 % 60);
  int secs = int(ms / 1000 % 60);
  int millis = int(ms % 1000);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02d:%02d%c%03d", hours, minutes, secs, millis_separator, millis);
  return buf;
}

}  // namespace vox
