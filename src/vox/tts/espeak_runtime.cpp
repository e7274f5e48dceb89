#include "vox/tts/espeak_runtime.h"

#include <set>

extern "C" {
#include <espeak-ng/speak_lib.h>
}

namespace vox {

Result<EspeakRuntime*> EspeakRuntime::get() {
  static EspeakRuntime* runtime = nullptr;
  static Error failure;
  static std::once_flag once;
  std::call_once(once, [] {
    // DONT_EXIT: without it espeak-ng calls exit() when its data directory is missing.
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
      failure = Error(ErrorCode::kUnavailable, "espeak-ng could not load its data (is espeak-ng-data installed?)");
      return;
    }
    auto* r = new EspeakRuntime();  // lives as long as the process, like the library's own state
    r->sample_rate_ = rate;
    std::set<std::string> seen;
    for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v && *v; ++v) {
      // languages: (priority byte, NUL-terminated code)* then a 0 byte; the first is the main one.
      const char* langs = (*v)->languages;
      if (!langs || !langs[0] || !langs[1]) continue;
      std::string code = langs + 1;
      if (!seen.insert(code).second) continue;
      r->voices_.push_back({code, (*v)->name ? (*v)->name : code, (*v)->identifier ? (*v)->identifier : code,
                            (*v)->gender == 1 ? "male" : (*v)->gender == 2 ? "female" : ""});
    }
    runtime = r;
  });
  if (!runtime) return failure;
  return runtime;
}

}  // namespace vox
