"""`ASR_BACKEND=nemo-ctc vox serve` (and nemo-transducer, whisper) with the tiny exports of
tests/models/nemo_asr_test_models.py and whisper_test_models.py in VOX_MODELS_DIR: the scripted models spell a known text for
any audio, so the test checks the plumbing (model dir, features, batching, words, formats), not
accuracy. Also: a recogniser without model files is a clear 404, and OpenAI's model names still
map to the default engine."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import voxtest as vt


def spoken(text):
    """The words as spoken: the text stage's capitals and marks taken off."""
    return re.sub(r"[.,?!]", "", text).lower()

CLIP = os.path.join(vt.LIBRIVOX_DIR, "sense_and_sensibility_01_austen_64kb-0870.wav")
tmp = None
models_dir = None


def setUpModule():
    global tmp, models_dir
    tmp = tempfile.mkdtemp(prefix="vox-nemo-it-")
    built = os.path.join(tmp, "built")
    subprocess.run(["/usr/bin/python3", os.path.join(vt.SOURCE_DIR, "tests", "models", "nemo_asr_test_models.py"), built],
                   check=True)
    models_dir = os.path.join(tmp, "models")
    os.makedirs(models_dir)
    shutil.copytree(os.path.join(built, "ctc"), os.path.join(models_dir, "nemo-ctc"))
    shutil.copytree(os.path.join(built, "tdt"), os.path.join(models_dir, "nemo-transducer"))
    subprocess.run(["/usr/bin/python3", os.path.join(vt.SOURCE_DIR, "tests", "models", "whisper_test_models.py"), built],
                   check=True)
    shutil.copytree(os.path.join(built, "whisper"), os.path.join(models_dir, "whisper"))


def tearDownModule():
    shutil.rmtree(tmp, ignore_errors=True)


class NemoCtcServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = vt.Server("--threads", "2", "--vad", "energy", "--asr-batch", "4",
                               env={"ASR_BACKEND": "nemo-ctc", "VOX_MODELS_DIR": models_dir})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_json(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("response_format", "json")])
        self.assertEqual(status, 200, body)
        text = spoken(json.loads(body)["text"])
        self.assertIn("the cat sat on the", text)

    def test_verbose_json_has_words_with_times(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("response_format", "verbose_json"),
                                                            ("timestamp_granularities[]", "word")])
        self.assertEqual(status, 200, body)
        j = json.loads(body)
        self.assertGreater(len(j["segments"]), 0)
        words = j["words"]
        self.assertIn("cat", [w["word"].strip() for w in words])
        for a, b in zip(words, words[1:]):
            self.assertLessEqual(a["start"], a["end"])
            self.assertLessEqual(a["start"], b["start"])
        self.assertLessEqual(words[-1]["end"], j["duration"] + 0.01)

    def test_model_field_picks_the_transducer(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("model", "nemo-transducer")])
        self.assertEqual(status, 200, body)
        self.assertIn("hello wor", spoken(json.loads(body)["text"]))

    def test_whisper_detects_the_language(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("model", "whisper"), ("response_format", "verbose_json")])
        self.assertEqual(status, 200, body)
        j = json.loads(body)
        self.assertIn("hello world again", j["text"])
        self.assertIn(j["language"], ("de", "german"))

    def test_openai_model_names_use_the_default_engine(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("model", "whisper-1")])
        self.assertEqual(status, 200, body)
        self.assertIn("the cat", spoken(json.loads(body)["text"]))

    def test_models_route_lists_the_engines(self):
        status, _, body = vt.request("GET", self.server.url("/v1/models"))
        self.assertEqual(status, 200)
        ids = [m["id"] for m in json.loads(body)["data"]]
        self.assertIn("nemo-ctc", ids)
        self.assertIn("nemo-transducer", ids)
        self.assertNotIn("parakeet-tdt-0.6b-v2-int8", ids)  # downloadable, not installed


class NemoTransducerServesLikeTheEmbeddedEngine(unittest.TestCase):
    """ASR_BACKEND=nemo-transducer with Silero chunks and the embedded diarizer running alongside:
    every response format, and speakers on words and segments that match who is talking."""
    WORD_SPEAKER_ACCURACY_MIN = 0.95  # smoke DER of the embedded engine is ~0

    @classmethod
    def setUpClass(cls):
        # A short idle TTL: the model is freed between some requests and must load again unnoticed.
        cls.server = vt.Server("--threads", "2", "--model-idle-ttl", "1s", "--asr-batch", "8",
                               env={"ASR_BACKEND": "nemo-transducer", "VOX_MODELS_DIR": models_dir})
        cls.corpus = vt.corpus("smoke")
        with open(os.path.join(cls.corpus, "manifest.json")) as f:
            cls.names = [c["id"] for c in json.load(f)["conversations"]]
        cls.wav = os.path.join(cls.corpus, cls.names[0] + ".wav")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def post(self, *fields, wav=None):
        status, headers, body = vt.transcribe(self.server, wav or self.wav, list(fields))
        self.assertEqual(status, 200, body)
        return headers, body.decode()

    def test_json_and_text(self):
        _, body = self.post(("response_format", "json"))
        self.assertIn("hello world again", spoken(json.loads(body)["text"]))
        headers, text = self.post(("response_format", "text"))
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        self.assertIn("hello world", spoken(text))

    def test_a_model_freed_after_its_idle_ttl_loads_again(self):
        _, first = self.post(("response_format", "json"))
        time.sleep(2.5)  # > the 1 s TTL: the reaper has freed the model
        _, again = self.post(("response_format", "json"))
        self.assertEqual(json.loads(first)["text"], json.loads(again)["text"])
        log = self.server.logs()
        self.assertIn("model freed after 1 s unused", log)
        self.assertIn("model loaded again after being freed", log)

    def test_subtitles_are_strictly_valid_with_speakers(self):
        _, srt = self.post(("response_format", "srt"))
        ok, out = vt.check_subtitles("srt", srt)
        self.assertTrue(ok, out + srt[:500])
        self.assertGreaterEqual(len(set(re.findall(r"^\[([A-Z]+)\]", srt, re.M))), 2, srt[:500])
        _, vtt = self.post(("response_format", "vtt"))
        ok, out = vt.check_subtitles("vtt", vtt)
        self.assertTrue(ok, out + vtt[:500])
        self.assertGreaterEqual(len(set(re.findall(r"<v ([A-Z]+)>", vtt))), 2)

    def test_verbose_json_words_carry_speakers(self):
        _, body = self.post(("response_format", "verbose_json"), ("timestamp_granularities[]", "word"))
        j = json.loads(body)
        self.assertTrue(j["words"])
        self.assertTrue(all(w.get("speaker") for w in j["words"]))
        self.assertTrue(all(s.get("speaker") for s in j["segments"]))
        starts = [w["start"] for w in j["words"]]
        self.assertEqual(starts, sorted(starts))

    def test_diarized_json_and_rttm(self):
        _, body = self.post(("response_format", "diarized_json"))
        segments = json.loads(body)["segments"]
        self.assertGreaterEqual(len({s["speaker"] for s in segments}), 2)
        _, rttm = self.post(("response_format", "rttm"))
        lines = [l.split() for l in rttm.splitlines() if l.strip()]
        self.assertTrue(lines and all(l[0] == "SPEAKER" and len(l) == 10 for l in lines), rttm[:300])

    def test_words_get_the_speaker_talking_at_their_time(self):
        # The scripted recogniser puts its words near the start of each chunk, so DER over the
        # transcript would score the script; what must hold is that each word gets the speaker
        # the diarizer finds at its time, as with the embedded recogniser.
        right = total = 0
        speakers_seen = set()
        for name in self.names:
            _, body = self.post(("response_format", "verbose_json"), ("timestamp_granularities[]", "word"),
                                wav=os.path.join(self.corpus, name + ".wav"))
            with open(os.path.join(self.corpus, name + ".json")) as f:
                turns = json.load(f)["turns"]
            pairs = []  # (hypothesis speaker, reference speaker) for words inside one reference turn
            for w in json.loads(body)["words"]:
                mid = (w["start"] + w["end"]) / 2
                talking = {t["speaker"] for t in turns if t["start"] <= mid <= t["end"]}
                if len(talking) == 1:
                    pairs.append((w["speaker"], talking.pop()))
            votes = {}
            for hyp, ref in pairs:
                votes.setdefault(hyp, {}).setdefault(ref, 0)
                votes[hyp][ref] += 1
            mapping = {hyp: max(v, key=v.get) for hyp, v in votes.items()}
            right += sum(mapping[hyp] == ref for hyp, ref in pairs)
            total += len(pairs)
            speakers_seen.update(mapping.values())
        print(f"nemo-transducer: {right}/{total} words carry the reference speaker")
        self.assertGreater(total, 20)
        self.assertGreaterEqual(len(speakers_seen), 2)
        self.assertGreaterEqual(right / total, self.WORD_SPEAKER_ACCURACY_MIN)


class ParakeetShapedExport(unittest.TestCase):
    """bench/models/parakeet_shaped.py at a tiny size: a real FastConformer graph, an LSTM
    prediction network with (L, B, H) states and a TDT joiner, random weights. Keeps the benchmark's
    model builder working and runs the batched search through a real recurrent decoder."""

    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(tmp, "parakeet-shaped-tiny")
        subprocess.run(["/usr/bin/python3", os.path.join(vt.SOURCE_DIR, "bench", "models", "parakeet_shaped.py"), cls.dir,
                        "--layers", "2", "--d-model", "64", "--heads", "4", "--ff", "128", "--pred", "32", "--vocab", "40"],
                       check=True)

    def transcribe(self, wav, batch):
        proc = subprocess.run([vt.VOX_BIN, "transcribe", wav, "-f", "verbose_json", "--timestamp-granularities", "word",
                               "--diarize", "false", "--asr", "nemo-transducer", "--nemo-transducer-model", self.dir,
                               "--asr-batch", str(batch), "--threads", "2"], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_batched_search_through_an_lstm_decoder(self):
        wav = os.path.join(vt.corpus("smoke"), "smoke_000.wav")
        for batch in (1, 4):
            with self.subTest(batch=batch):
                j = self.transcribe(wav, batch)
                words = j["words"]
                self.assertGreater(len(words), 5)
                for a, b in zip(words, words[1:]):
                    self.assertLessEqual(a["start"], a["end"])
                    self.assertLessEqual(a["start"], b["start"])
                self.assertLessEqual(words[-1]["end"], j["duration"] + 0.01)


class MissingModels(unittest.TestCase):
    def test_nemo_ctc_without_model_files_is_model_not_found(self):
        empty = os.path.join(tmp, "empty-models")
        os.makedirs(empty, exist_ok=True)
        with vt.Server("--threads", "1", "--vad", "energy", env={"VOX_MODELS_DIR": empty}) as server:
            for model in ("nemo-ctc", "parakeet-tdt-0.6b-v2-int8"):
                status, _, body = vt.transcribe(server, CLIP, [("model", model)])
                self.assertEqual(status, 404, body)
                err = vt.error_of(body)
                self.assertEqual(err["code"], "model_not_found", body)
                self.assertIn("vox models pull", err["message"])
            status, _, body = vt.transcribe(server, CLIP, [("model", "whisper-1")])
            self.assertEqual(status, 200, body)


if __name__ == "__main__":
    unittest.main()
