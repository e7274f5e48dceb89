// Known-speaker labelling (OpenAI's known_speaker_names[] + known_speaker_references[]), for any
// diarizer: each reference clip is appended to the recording after a pause and diarized with it,
// so a clip lands in the cluster of the voice it matches. A cluster is named after a clip when
// most of that clip's speech went to it; clusters no clip claims keep the letters A, B, ...
#pragma once

#include <map>
#include <string>
#include <vector>

#include "vox/audio/audio.h"
#include "vox/diar/diarizer.h"

namespace vox {

struct KnownSpeaker {
  std::string name;
  std::string reference;  // the clip as sent (a data: URL or raw base64 of any audio format)
  AudioBuffer audio;      // the clip decoded to 16 kHz mono (filled by the Transcriber)
};

inline constexpr int kMaxKnownSpeakers = 4;
inline constexpr double kMinReferenceSeconds = 2.0, kMaxReferenceSeconds = 10.0;
// Share of a clip's speech that must fall into one cluster for the clip to name it.
inline constexpr double kKnownSpeakerMinShare = 0.6;

// The bytes of a reference: "data:<mime>;base64,<payload>" or bare base64.
Result<std::string> decode_reference(const std::string& reference);

// The recording with every clip appended (1 s of silence before each), and where the clips are.
struct EnrolledAudio {
  std::vector<float> samples;
  std::vector<SpeechRegion> speech;            // the recording's regions + one per clip
  std::vector<std::pair<double, double>> clips;  // [start, end) of each clip, seconds
  double recording_end = 0.0;
};
EnrolledAudio append_references(std::span<const float> recording, const std::vector<SpeechRegion>& speech,
                                const std::vector<KnownSpeaker>& speakers);

// Splits the diarizer's turns into the recording's turns and cluster → name (from the clips).
std::map<int, std::string> name_clusters(const EnrolledAudio& enrolled, const std::vector<KnownSpeaker>& speakers,
                                         std::vector<SpeakerTurn>& turns);

}  // namespace vox
