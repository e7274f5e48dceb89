"""POST /v1/audio/speech, POST /speak and GET /v1/audio/voices against the real binary."""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import voxtest as vt

ROUND_TRIP_WER_MAX = 0.15  # flite voices → vox's own recogniser, pooled (measured 10.4 %)

server = None
tmp = None


def setUpModule():
    global server, tmp
    tmp = tempfile.mkdtemp(prefix="vox-tts-")
    server = vt.Server("--threads", "2")


def tearDownModule():
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def speak(payload, route="/v1/audio/speech"):
    return vt.request("POST", server.url(route), json.dumps(payload).encode(), {"Content-Type": "application/json"})


def probe(data, suffix):
    path = os.path.join(tmp, "probe" + suffix)
    with open(path, "wb") as f:
        f.write(data)
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path],
                         capture_output=True, text=True, check=True)
    j = json.loads(out.stdout)
    stream = j["streams"][0]
    duration = float(stream.get("duration") or j["format"].get("duration") or 0)
    return stream["codec_name"], int(stream["sample_rate"]), duration


def transcribe_bytes(data, name):
    status, _, body = vt.post_form(server.url("/v1/audio/transcriptions"), [("response_format", "text")],
                                   [("file", name, data)])
    assert status == 200, body
    return body.decode()


class Voices(unittest.TestCase):
    def test_voice_list(self):
        status, _, body = vt.request("GET", server.url("/v1/audio/voices"))
        self.assertEqual(status, 200)
        voices = {v["name"]: v for v in json.loads(body)["data"]}
        for name in ("slt", "rms", "awb", "kal16", "kal"):
            self.assertIn(name, voices)
            self.assertEqual(voices[name]["engine"], "flite")
            self.assertIn(voices[name]["sample_rate"], (8000, 16000))
        self.assertEqual(voices["slt"]["gender"], "female")
        self.assertTrue(any(v["engine"] == "espeak" for v in voices.values()))


class Formats(unittest.TestCase):
    TEXT = "The quick brown fox jumps over the lazy dog. It was a sunny day."
    EXPECTED = {  # format → (codec, sample rate, file suffix)
        "mp3": ("mp3", None, ".mp3"),
        "opus": ("opus", 48000, ".ogg"),
        "aac": ("aac", None, ".aac"),
        "flac": ("flac", None, ".flac"),
        "wav": ("pcm_s16le", None, ".wav"),
    }

    def test_each_format_parses_with_ffprobe(self):
        durations = {}
        for fmt, (codec, rate, suffix) in self.EXPECTED.items():
            with self.subTest(format=fmt):
                status, headers, body = speak({"model": "tts-1", "input": self.TEXT, "voice": "kal16",
                                               "response_format": fmt})
                self.assertEqual(status, 200, body[:300])
                self.assertTrue(headers["content-type"].startswith("audio/"), headers)
                got_codec, got_rate, duration = probe(body, suffix)
                self.assertEqual(got_codec, codec)
                if rate:
                    self.assertEqual(got_rate, rate)
                durations[fmt] = duration
        lo, hi = min(durations.values()), max(durations.values())
        self.assertGreater(lo, 2.0)
        self.assertLess(hi - lo, 0.25, durations)

    def test_pcm_is_raw_24k_16bit(self):
        status, headers, pcm = speak({"model": "tts-1", "input": self.TEXT, "voice": "kal16", "response_format": "pcm"})
        self.assertEqual(status, 200)
        _, _, wav = speak({"model": "tts-1", "input": self.TEXT, "voice": "kal16", "response_format": "wav"})
        _, _, wav_duration = probe(wav, ".wav")
        pcm_duration = len(pcm) / 2 / 24000
        self.assertEqual(len(pcm) % 2, 0)
        self.assertAlmostEqual(pcm_duration, wav_duration, delta=0.1)

    def test_speed_two_halves_duration(self):
        durations = {}
        for speed in (1.0, 2.0):
            status, _, body = speak({"model": "tts-1", "input": self.TEXT, "voice": "rms", "response_format": "wav",
                                     "speed": speed})
            self.assertEqual(status, 200)
            durations[speed] = probe(body, ".wav")[2]
        ratio = durations[2.0] / durations[1.0]
        self.assertGreater(ratio, 0.4)
        self.assertLess(ratio, 0.65)

    def test_sse_stream_equals_plain_audio(self):
        payload = {"model": "tts-1", "input": "First sentence here. And a second one follows.", "voice": "kal16",
                   "response_format": "pcm"}
        _, _, plain = speak(payload)
        status, headers, body = speak(dict(payload, stream_format="sse"))
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/event-stream"))
        events = [json.loads(line[6:]) for line in body.decode().splitlines() if line.startswith("data: ")]
        self.assertGreaterEqual(len(events), 2)
        self.assertTrue(all(e["type"] == "speech.audio.delta" for e in events[:-1]))
        self.assertEqual(events[-1]["type"], "speech.audio.done")
        self.assertIn("usage", events[-1])
        audio = b"".join(base64.b64decode(e["audio"]) for e in events[:-1])
        self.assertEqual(audio, plain)

    def test_legacy_speak_returns_wav(self):
        status, headers, body = speak({"text": "Hello there."}, route="/speak")
        self.assertEqual(status, 200)
        self.assertEqual(body[:4], b"RIFF")
        self.assertEqual(probe(body, ".wav")[0], "pcm_s16le")


class RoundTrip(unittest.TestCase):
    def test_hello_world_alloy_mp3(self):
        status, _, mp3 = speak({"model": "tts-1", "input": "Hello world", "voice": "alloy"})
        self.assertEqual(status, 200)
        self.assertEqual(probe(mp3, ".mp3")[0], "mp3")
        text = transcribe_bytes(mp3, "hello.mp3")
        self.assertEqual(vt.wer("hello world", text)["wer"], 0.0, text)

    def test_sentences_with_each_flite_voice(self):
        with open(os.path.join(vt.EVAL_DIR, "sentences.txt")) as f:
            pool = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        refs, hyps = [], []
        for v, voice in enumerate(("slt", "rms", "awb", "kal16")):
            for sentence in pool[v * 5: v * 5 + 5]:
                status, _, wav = speak({"model": "tts-1", "input": sentence, "voice": voice, "response_format": "wav"})
                self.assertEqual(status, 200)
                refs.append(sentence)
                hyps.append(transcribe_bytes(wav, "s.wav").replace("\n", " "))
        result = vt.wer("\n".join(refs), "\n".join(hyps))
        print(f"TTS round-trip WER {result['wer']:.3f} over {result['ref_words']} words")
        self.assertLessEqual(result["wer"], ROUND_TRIP_WER_MAX)


class BadInput(unittest.TestCase):
    def expect_400(self, payload, param, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        status, _, reply = vt.request("POST", server.url("/v1/audio/speech"), body, {"Content-Type": "application/json"})
        self.assertEqual(status, 400, reply)
        err = vt.error_of(reply)
        if param:
            self.assertEqual(err["param"], param, err)

    def test_bad_requests(self):
        base = {"model": "tts-1", "input": "Hello", "voice": "alloy"}
        self.expect_400(dict(base, input=""), "input")
        self.expect_400(dict(base, input="a" * 4097), "input")
        self.expect_400(dict(base, voice="nobody"), "voice")
        self.expect_400(dict(base, speed=5), "speed")
        self.expect_400(dict(base, speed=0.1), "speed")
        self.expect_400(dict(base, response_format="wma"), "response_format")
        self.expect_400(dict(base, stream_format="video"), "stream_format")
        self.expect_400(None, None, raw=b'{"model":"tts-1","voice":"alloy","input":"caf\xc3\x28 bad"}')
        self.expect_400(None, None, raw=b"not json")

    def test_4096_characters_is_accepted(self):
        text = ("This is a long test sentence. " * 200)[:4096]
        status, _, body = speak({"model": "tts-1", "input": text, "voice": "kal16", "response_format": "pcm"})
        self.assertEqual(status, 200)
        self.assertGreater(len(body), 24000 * 2 * 60)


if __name__ == "__main__":
    unittest.main()
