"""The piper engine through the real server: voices from VOX_MODELS_DIR are listed and speak.

The voice is tests/models/piper_test_models.py's echo model (Piper's exact inputs and output),
so the audio encodes the phoneme ids and scales that reached it and the test checks them."""
import json
import os
import shutil
import struct
import subprocess
import tempfile
import unittest

import voxtest as vt

SAMPLE_RATE = 16000
SILENCE = SAMPLE_RATE // 5  # Piper's 0.2 s after each sentence
IDS = {"_": 0, "^": 1, "$": 2, " ": 3, "a": 10, "b": 11, "c": 12, ".": 14}
CONFIG = {
    "audio": {"sample_rate": SAMPLE_RATE},
    "espeak": {"voice": "en-us"},
    "language": {"code": "en_US"},
    "inference": {"noise_scale": 0.5, "length_scale": 1.25, "noise_w": 0.75},
    "phoneme_type": "text",
    "num_speakers": 1,
    "phoneme_id_map": {k: [v] for k, v in IDS.items()},
}

server = None
tmp = None


def setUpModule():
    global server, tmp
    tmp = tempfile.mkdtemp(prefix="vox-piper-")
    built = os.path.join(tmp, "built")
    subprocess.run(["/usr/bin/python3", os.path.join(vt.SOURCE_DIR, "tests", "models", "piper_test_models.py"), built],
                   check=True)
    voices = os.path.join(tmp, "models", "piper")
    os.makedirs(voices)
    shutil.copy(os.path.join(built, "single.onnx"), os.path.join(voices, "en_US-echo-x_low.onnx"))
    with open(os.path.join(voices, "en_US-echo-x_low.onnx.json"), "w") as f:
        json.dump(CONFIG, f)
    multi = dict(CONFIG, num_speakers=3, speaker_id_map={"alice": 0, "bob": 2, "carol": 1})
    shutil.copy(os.path.join(built, "multi.onnx"), os.path.join(voices, "echo-multi.onnx"))
    with open(os.path.join(voices, "echo-multi.onnx.json"), "w") as f:
        json.dump(multi, f)
    server = vt.Server("--threads", "2", env={"VOX_MODELS_DIR": os.path.join(tmp, "models")})


def tearDownModule():
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def post(route, payload):
    return vt.request("POST", server.url(route), json.dumps(payload).encode(), {"Content-Type": "application/json"})


def expected_ids(text):
    ids = [IDS["^"], IDS["_"]]
    for ch in text:
        if ch in IDS:
            ids += [IDS[ch], IDS["_"]]
    return ids + [IDS["$"]]


def wav_samples(data):
    """16-bit mono samples and the rate of a WAV file vox wrote (canonical 44-byte header)."""
    rate = struct.unpack_from("<I", data, 24)[0]
    return list(struct.unpack_from("<%dh" % ((len(data) - 44) // 2), data, 44)), rate


class PiperVoices(unittest.TestCase):
    def test_listed_with_engine_language_rate_and_speakers(self):
        status, _, body = vt.request("GET", server.url("/v1/audio/voices"))
        self.assertEqual(status, 200)
        voices = {v["name"]: v for v in json.loads(body)["data"]}
        self.assertIn("en_US-echo-x_low", voices)
        v = voices["en_US-echo-x_low"]
        self.assertEqual((v["engine"], v["language"], v["sample_rate"]), ("piper", "en-US", SAMPLE_RATE))
        for name in ("echo-multi", "echo-multi:alice", "echo-multi:bob", "echo-multi:carol"):
            self.assertEqual(voices[name]["engine"], "piper")
        self.assertEqual(voices["slt"]["engine"], "flite")  # the embedded engines are still there


class PiperSpeech(unittest.TestCase):
    def decode(self, samples, n_ids, with_sid=False):
        """Echoed values (ids, length, scales, sid) from 16-bit samples, peak = 1.0 = 32767."""
        values = [round(s / 32767 * 1024, 2) for s in samples[1:1 + n_ids + 4 + with_sid]]
        return values

    def test_speak_wav_carries_ids_and_scales_exactly(self):
        text = "abc cab."
        status, headers, body = post("/speak", {"text": text, "voice": "en_US-echo-x_low", "speed": 1.25})
        self.assertEqual(status, 200, body)
        samples, rate = wav_samples(body)
        self.assertEqual(rate, SAMPLE_RATE)
        ids = expected_ids(text)
        self.assertEqual(len(samples), 1 + len(ids) + 1 + 3 + SILENCE)
        self.assertEqual(samples[0], 32767)
        got = self.decode(samples, len(ids))
        self.assertEqual([round(x) for x in got[:len(ids) + 1]], ids + [len(ids)])
        # scales: noise_scale, length_scale / speed, noise_w (16-bit quantisation: 1/32 resolution)
        for value, want in zip(got[len(ids) + 1:], [0.5, 1.25 / 1.25, 0.75]):
            self.assertAlmostEqual(value, want, delta=0.04)
        self.assertTrue(all(s == 0 for s in samples[-SILENCE:]))

    def test_speaker_by_name(self):
        status, _, body = post("/speak", {"text": "a", "voice": "echo-multi:bob"})
        self.assertEqual(status, 200, body)
        samples, _ = wav_samples(body)
        ids = expected_ids("a")
        got = self.decode(samples, len(ids), with_sid=True)
        self.assertEqual(round(got[-1]), 2)

    def test_openai_route_streams_audio_of_the_expected_length(self):
        text = "Abc cab. Abc."  # two sentences (a period before a lowercase word ends none)
        status, headers, body = post("/v1/audio/speech", {"model": "tts-1", "input": text, "voice": "en_US-echo-x_low",
                                                          "response_format": "pcm"})
        self.assertEqual(status, 200, body)
        # Two sentences, each 1 + ids + 4 samples + silence at 16 kHz, sent as 24 kHz 16-bit PCM
        # (the voice is a "text" one: Piper lower-cases the sentence).
        native = sum(1 + len(expected_ids(s)) + 4 + SILENCE for s in ("abc cab.", "abc."))
        want = native * 24000 / SAMPLE_RATE * 2
        self.assertAlmostEqual(len(body), want, delta=0.02 * want)

    def test_unknown_piper_voice_is_a_400(self):
        status, _, body = post("/v1/audio/speech", {"model": "tts-1", "input": "abc", "voice": "en_US-nope-low"})
        self.assertEqual(status, 400, body)
        self.assertEqual(vt.error_of(body)["param"], "voice")


if __name__ == "__main__":
    unittest.main()
