// Piper's phonemiser on Debian's espeak-ng. espeak-ng is one process-wide instance, so this holds
// EspeakRuntime's lock for the whole sentence: espeak_TextToPhonemes keeps a read-ahead character
// between calls, and the loop below always runs to the end of the text so that no state is left
// behind for the next caller (the espeak synthesiser or another Piper request).
#include <cstring>

extern "C" {
#include <espeak-ng/speak_lib.h>
}

#include "vox/tts/espeak_runtime.h"
#include "vox/tts/piper_phonemes.h"

namespace vox {

Result<std::u32string> espeak_phonemes(std::string_view sentence, const std::string& espeak_voice) {
  auto rt = EspeakRuntime::get();
  if (!rt) return rt.error();
  const std::string text(sentence);  // espeak reads up to a NUL
  std::u32string out;
  std::lock_guard<std::mutex> lock((*rt)->mutex());
  if (espeak_SetVoiceByName(espeak_voice.c_str()) != EE_OK)
    return Error(ErrorCode::kUnavailable, "espeak-ng has no voice '" + espeak_voice + "' (needed by a Piper voice)");
  const void* cursor = text.c_str();
  bool gap = false;
  while (cursor) {
    const char* start = static_cast<const char*>(cursor);
    const char* ipa = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, espeakPHONEMES_IPA);
    const char* end = cursor ? static_cast<const char*>(cursor) : start + std::strlen(start);
    const std::u32string clause = ipa ? decompose_nfd(utf8_codepoints(ipa)) : std::u32string();
    // Piper synthesises each espeak sentence on its own; vox hands over one sentence, but should
    // a second one (or an unpunctuated clause break) follow, keep the words apart with a space.
    if (gap && !clause.empty()) out += U' ';
    out += clause;
    // Piper's patched espeak reports the clause terminator; ours drops it, so read it back from
    // the consumed text (Debian's espeak-ng 1.51: espeak_TextToPhonemes drops clause punctuation).
    out += clause_punctuation(std::string_view(start, std::size_t(end - start)));
    gap = !out.empty() && out.back() != U' ';
  }
  return out;
}

}  // namespace vox
