"""Diarization end to end against the real binary: DER / cpWER on the eval kit's smoke corpus,
speaker-count hints, every format that shows speakers, and POST /v1/audio/diarization."""
import json
import os
import re
import shutil
import tempfile
import unittest

import voxtest as vt

# Measured with the embedded diarizer on smoke seed 1 (see README "Results"); bounds sit a little above.
SMOKE_DER_MAX = 0.05            # pooled DER, collar 0.25
SMOKE_CPWER_MINUS_WER_MAX = 0.03

server = None
tmp = None
corpus = None
responses = {}  # name -> verbose_json dict (diarize on by default)


def setUpModule():
    global server, tmp, corpus
    tmp = tempfile.mkdtemp(prefix="vox-diar-")
    corpus = vt.corpus("smoke")
    server = vt.Server("--threads", "2")


def tearDownModule():
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def conversations():
    with open(os.path.join(corpus, "manifest.json")) as f:
        return [c["id"] for c in json.load(f)["conversations"]]


def verbose(name):
    if name not in responses:
        status, _, body = vt.transcribe(server, os.path.join(corpus, name + ".wav"),
                                        [("response_format", "verbose_json"), ("timestamp_granularities[]", "word")])
        assert status == 200, body
        responses[name] = json.loads(body)
    return responses[name]


def reference_speakers(name):
    with open(os.path.join(corpus, name + ".json")) as f:
        return {t["speaker"] for t in json.load(f)["turns"]}


class Accuracy(unittest.TestCase):
    def test_smoke_der_and_cpwer(self):
        hyp_dir = os.path.join(tmp, "hyp")
        os.makedirs(hyp_dir, exist_ok=True)
        for name in conversations():
            with open(os.path.join(hyp_dir, name + ".json"), "w") as f:
                json.dump(verbose(name), f)
        report = vt.score("report", corpus, hyp_dir)
        total = report["total"]
        der, wer, cpwer = total["der"]["der"], total["wer"]["wer"], total["cpwer"]["cpwer"]
        print(f"smoke DER {der:.4f}  WER {wer:.4f}  cpWER {cpwer:.4f}")
        self.assertLessEqual(der, SMOKE_DER_MAX)
        self.assertLessEqual(cpwer - wer, SMOKE_CPWER_MINUS_WER_MAX)

    def test_speaker_count_without_hints(self):
        for name in conversations():
            with self.subTest(conversation=name):
                got = {s["speaker"] for s in verbose(name)["segments"]}
                self.assertEqual(len(got), len(reference_speakers(name)), got)

    def test_every_word_and_segment_has_a_speaker(self):
        j = verbose(conversations()[0])
        self.assertTrue(j["words"])
        self.assertTrue(all(w.get("speaker") for w in j["words"]))
        self.assertTrue(all(s.get("speaker") for s in j["segments"]))


class Hints(unittest.TestCase):
    WAV = None

    @classmethod
    def setUpClass(cls):
        cls.WAV = os.path.join(corpus, conversations()[0] + ".wav")

    def speakers(self, *fields):
        status, _, body = vt.transcribe(server, self.WAV, [("response_format", "verbose_json"), *fields])
        self.assertEqual(status, 200, body)
        return {s["speaker"] for s in json.loads(body)["segments"]}

    def test_exact_count_is_honoured(self):
        self.assertEqual(len(self.speakers(("num_speakers", "3"))), 3)
        self.assertEqual(len(self.speakers(("num_speakers", "1"))), 1)

    def test_bounds_are_honoured(self):
        self.assertEqual(len(self.speakers(("max_speakers", "1"))), 1)
        self.assertGreaterEqual(len(self.speakers(("min_speakers", "3"))), 3)

    def test_contradictory_hints_are_400(self):
        status, _, body = vt.transcribe(server, self.WAV, [("num_speakers", "5"), ("max_speakers", "2")])
        self.assertEqual(status, 400)
        self.assertEqual(vt.error_of(body)["param"], "num_speakers")


def data_url(path):
    import base64
    with open(path, "rb") as f:
        return "data:audio/wav;base64," + base64.b64encode(f.read()).decode()


class KnownSpeakers(unittest.TestCase):
    """Reference clips of the two voices of a conversation name its speakers."""

    def test_references_label_the_right_speakers(self):
        name = conversations()[0]
        with open(os.path.join(corpus, name + ".json")) as f:
            ref = json.load(f)
        voices = sorted({t["speaker"] for t in ref["turns"]})
        names = {voice: "Person " + voice.upper() for voice in voices}
        fields = [("response_format", "verbose_json")]
        for voice in voices:  # the longest single-sentence clip of each voice (2-10 s)
            with open(os.path.join(corpus, "utterances", "utterances.json")) as f:
                clips = [u for u in json.load(f) if u["voice"] == voice and 2.0 <= u["duration"] <= 10.0]
            clip = max(clips, key=lambda u: u["duration"])
            fields += [("known_speaker_names[]", names[voice]),
                       ("known_speaker_references[]", data_url(os.path.join(corpus, "utterances", clip["wav"])))]
        status, _, body = vt.transcribe(server, os.path.join(corpus, name + ".wav"), fields)
        self.assertEqual(status, 200, body)
        segments = json.loads(body)["segments"]
        self.assertEqual({s["speaker"] for s in segments}, set(names.values()))
        # Time-weighted agreement of each segment's name with the reference voice under it.
        right = total = 0.0
        for s in segments:
            for t in ref["turns"]:
                overlap = min(s["end"], t["end"]) - max(s["start"], t["start"])
                if overlap > 0:
                    total += overlap
                    right += overlap if names[t["speaker"]] == s["speaker"] else 0
        self.assertGreater(right / total, 0.9)

    def test_bad_references_are_400(self):
        wav = os.path.join(corpus, conversations()[0] + ".wav")
        cases = [
            [("known_speaker_names[]", "Ann")],  # no clip
            [("known_speaker_names[]", "Ann"), ("known_speaker_references[]", "data:audio/wav;base64,!!!")],
            [("known_speaker_names[]", "Ann"),
             ("known_speaker_references[]", "data:audio/wav;base64," + __import__("base64").b64encode(b"noise" * 50).decode())],
        ]
        for fields in cases:
            with self.subTest(fields=str(fields)[:80]):
                status, _, body = vt.transcribe(server, wav, fields)
                self.assertEqual(status, 400, body)
                self.assertEqual(vt.error_of(body)["param"], "known_speaker_references[]")


class Formats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = conversations()[1]
        cls.wav = os.path.join(corpus, cls.name + ".wav")

    def post(self, fmt, route="/v1/audio/transcriptions"):
        status, headers, body = vt.transcribe(server, self.wav, [("response_format", fmt)], route=route)
        self.assertEqual(status, 200, body)
        return body.decode()

    def test_diarized_json_is_openai_shape(self):
        j = json.loads(self.post("diarized_json"))
        self.assertEqual(j["task"], "transcribe")
        self.assertGreater(j["duration"], 10)
        self.assertEqual(j["usage"]["type"], "duration")
        self.assertGreaterEqual(len({s["speaker"] for s in j["segments"]}), 2)
        for i, s in enumerate(j["segments"], 1):
            self.assertEqual(s["type"], "transcript.text.segment")
            self.assertEqual(s["id"], f"seg_{i:03d}")
            self.assertLess(s["start"], s["end"])
            self.assertTrue(s["text"])
            self.assertRegex(s["speaker"], r"^[A-Z]+$")

    def test_srt_has_speaker_prefixes(self):
        srt = self.post("srt")
        ok, out = vt.check_subtitles("srt", srt)
        self.assertTrue(ok, out)
        texts = [l for l in srt.splitlines() if l and not l[0].isdigit()]
        self.assertTrue(texts and all(re.match(r"^\[[A-Z]+\] ", l) or not l.startswith("[") for l in texts))
        self.assertGreaterEqual(len(set(re.findall(r"^\[([A-Z]+)\]", srt, re.M))), 2)

    def test_vtt_has_voice_spans_and_is_valid(self):
        vtt = self.post("vtt")
        ok, out = vt.check_subtitles("vtt", vtt)
        self.assertTrue(ok, out)
        self.assertGreaterEqual(len(set(re.findall(r"<v ([A-Z]+)>", vtt))), 2)

    def test_rttm_scores_like_the_json(self):
        rttm = self.post("rttm")
        path = os.path.join(tmp, self.name + ".rttm")
        with open(path, "w") as f:
            f.write(rttm)
        for line in rttm.splitlines():
            self.assertEqual(len(line.split()), 10, line)
        der = vt.score("der", os.path.join(corpus, self.name + ".rttm"), path)["total"]["der"]
        self.assertLessEqual(der, 0.10)

    def test_diarization_route_json_and_rttm(self):
        j = json.loads(self.post("json", route="/v1/audio/diarization"))
        self.assertGreater(j["duration"], 10)
        self.assertGreaterEqual(len({s["speaker"] for s in j["segments"]}), 2)
        self.assertTrue(all(s["start"] < s["end"] and "text" not in s for s in j["segments"]))
        path = os.path.join(tmp, "route.rttm")
        with open(path, "w") as f:
            f.write(self.post("rttm", route="/v1/audio/diarization"))
        der = vt.score("der", os.path.join(corpus, self.name + ".rttm"), path)["total"]["der"]
        self.assertLessEqual(der, 0.10)

    def test_stream_sends_segment_events_then_done(self):
        plain = json.loads(self.post("diarized_json"))
        status, headers, body = vt.transcribe(server, self.wav, [("response_format", "diarized_json"), ("stream", "true")])
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["content-type"].startswith("text/event-stream"))
        events = [json.loads(l[6:]) for l in body.decode().splitlines() if l.startswith("data: ")]
        self.assertEqual(events[-1]["type"], "transcript.text.done")
        self.assertEqual(events[-1]["text"], plain["text"])
        segments = events[:-1]
        self.assertTrue(segments and all(e["type"] == "transcript.text.segment" for e in segments))
        self.assertEqual([(e["speaker"], e["text"]) for e in segments],
                         [(s["speaker"], s["text"]) for s in plain["segments"]])

    def test_diarization_route_refuses_text_formats(self):
        status, _, body = vt.transcribe(server, self.wav, [("response_format", "srt")], route="/v1/audio/diarization")
        self.assertEqual(status, 400)
        self.assertEqual(vt.error_of(body)["param"], "response_format")


if __name__ == "__main__":
    unittest.main()
