"""`ASR_BACKEND=nemo-ctc vox serve` (and nemo-transducer, whisper) with the tiny exports of
tests/models/nemo_asr_test_models.py and whisper_test_models.py in VOX_MODELS_DIR: the scripted models spell a known text for
any audio, so the test checks the plumbing (model dir, features, batching, words, formats), not
accuracy. Also: a recogniser without model files is a clear 404, and OpenAI's model names still
map to the default engine."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import voxtest as vt

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
        cls.server = vt.Server("--threads", "2", "--vad", "energy",
                               env={"ASR_BACKEND": "nemo-ctc", "VOX_MODELS_DIR": models_dir})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_json(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("response_format", "json")])
        self.assertEqual(status, 200, body)
        text = json.loads(body)["text"]
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
        self.assertIn("hello wor", json.loads(body)["text"])

    def test_whisper_detects_the_language(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("model", "whisper"), ("response_format", "verbose_json")])
        self.assertEqual(status, 200, body)
        j = json.loads(body)
        self.assertIn("hello world again", j["text"])
        self.assertIn(j["language"], ("de", "german"))

    def test_openai_model_names_use_the_default_engine(self):
        status, _, body = vt.transcribe(self.server, CLIP, [("model", "whisper-1")])
        self.assertEqual(status, 200, body)
        self.assertIn("the cat", json.loads(body)["text"])

    def test_models_route_lists_the_engines(self):
        status, _, body = vt.request("GET", self.server.url("/v1/models"))
        self.assertEqual(status, 200)
        ids = [m["id"] for m in json.loads(body)["data"]]
        self.assertIn("nemo-ctc", ids)
        self.assertIn("nemo-transducer", ids)
        self.assertNotIn("parakeet-tdt-0.6b-v2-int8", ids)  # downloadable, not installed


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
