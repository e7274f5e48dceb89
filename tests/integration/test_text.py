"""The text stage over real HTTP: written text from sphinx's lowercase words, scored on the eval
kit's dev corpus (punctuation/casing F1, WER with the stage on and off), and paragraphs, entities,
sentiment and text rules on sentences flite speaks in the test."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

import voxtest as vt

# The aims on the dev corpus (bench/text/run prints the measured values).
AIMS = {"sentence": 0.70, "capital": 0.80, "comma": 0.40, "question": 0.60}
# The text stage changes no recognised word: WER may differ only by scorer rounding.
WER_TOLERANCE = 0.002

server = None
tmp = None


def setUpModule():
    global server, tmp
    tmp = tempfile.mkdtemp(prefix="vox-text-")
    rules = os.path.join(tmp, "rules.txt")
    with open(rules, "w") as f:
        f.write("# place names\nnew york => NYC\n")
    server = vt.Server("--threads", "2", "--text-rules", rules)


def tearDownModule():
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def speak(name, text, voice="slt"):
    path = os.path.join(tmp, name + ".wav")
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", path], check=True)
    return path


def verbose(path, *fields):
    status, _, body = vt.transcribe(server, path, [("response_format", "verbose_json"),
                                                   ("timestamp_granularities[]", "word"), *fields])
    assert status == 200, body
    return json.loads(body)


class DevCorpus(unittest.TestCase):
    """One pass with the text stage on, one with it off, over the dev corpus."""

    @classmethod
    def setUpClass(cls):
        cls.corpus = vt.corpus("dev")
        names = sorted(f[:-4] for f in os.listdir(cls.corpus) if f.endswith(".wav"))
        cls.on_dir = os.path.join(tmp, "on")
        cls.off_dir = os.path.join(tmp, "off")
        os.makedirs(cls.on_dir)
        os.makedirs(cls.off_dir)
        off = [("punctuate", "false"), ("numerals", "false"), ("remove_fillers", "false")]

        def run(job):
            name, out, fields = job
            j = verbose(os.path.join(cls.corpus, name + ".wav"), ("diarize", "true"), *fields)
            with open(os.path.join(out, name + ".json"), "w") as f:
                json.dump(j, f)

        # The stage off on a few files is enough to see that it changes no recognised word.
        cls.off_names = names[:4]
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(run, [(n, cls.on_dir, []) for n in names] + [(n, cls.off_dir, off) for n in cls.off_names]))

    def test_punctuation_and_casing_reach_the_aims(self):
        result = vt.score("punct", self.corpus, self.on_dir)
        print("dev punct F1:", {k: round(v["f1"], 3) for k, v in result["total"].items() if isinstance(v, dict)})
        for mark, aim in AIMS.items():
            self.assertGreaterEqual(result["total"][mark]["f1"], aim, f"{mark} F1 below the aim: {result['total']}")
        name = self.off_names[0]
        raw = vt.score("punct", os.path.join(self.corpus, name + ".txt"), os.path.join(self.off_dir, name + ".json"))
        self.assertEqual(raw["total"]["sentence"]["f1"], 0.0, "punctuate=false leaves the word stream as it was")

    def test_wer_does_not_move(self):
        on = off = None
        ref_words = errors_on = errors_off = 0
        for name in self.off_names:
            ref = os.path.join(self.corpus, name + ".txt")
            a = vt.score("wer", ref, os.path.join(self.on_dir, name + ".json"))["total"]
            b = vt.score("wer", ref, os.path.join(self.off_dir, name + ".json"))["total"]
            ref_words += a["ref_words"]
            errors_on += a["errors"]
            errors_off += b["errors"]
        on, off = errors_on / ref_words, errors_off / ref_words
        print(f"dev WER with the text stage {on:.4f}, without {off:.4f}")
        self.assertLessEqual(abs(on - off), WER_TOLERANCE)

    def test_words_keep_their_times(self):
        for name in sorted(os.listdir(self.on_dir))[:3]:
            with open(os.path.join(self.on_dir, name)) as f:
                on = json.load(f)
            with open(os.path.join(self.off_dir, name)) as f:
                off = json.load(f)
            # Every written word starts where a spoken word started and ends where one ended.
            starts = {round(w["start"], 3) for w in off["words"]}
            ends = {round(w["end"], 3) for w in off["words"]}
            for w in on["words"]:
                self.assertIn(round(w["start"], 3), starts, w)
                self.assertIn(round(w["end"], 3), ends, w)
                self.assertTrue(w["speaker"])


class Features(unittest.TestCase):
    def test_sentences_capitals_and_numerals(self):
        path = speak("numbers", "The ticket cost twenty five dollars. I will arrive at three thirty.")
        j = verbose(path)
        self.assertRegex(j["text"], r"^[A-Z]")
        self.assertIn("$25", j["text"])
        self.assertRegex(j["text"], r"\bI\b")
        self.assertTrue(j["text"].rstrip().endswith((".", "?", "!")), j["text"])
        money = [w for w in j["words"] if w["word"].startswith("$25")]
        self.assertEqual(len(money), 1, j["words"])

    def test_options_off_give_the_raw_stream(self):
        path = speak("raw", "The ticket cost twenty five dollars.")
        j = verbose(path, ("punctuate", "false"), ("numerals", "false"))
        self.assertEqual(j["text"], j["text"].lower())
        self.assertNotIn("$", j["text"])
        self.assertIn("twenty five", j["text"])

    def test_paragraphs_sentiment_and_text_output(self):
        path = speak("review", "I really love this wonderful little cafe. The coffee is excellent and the staff are "
                               "very friendly. I am happy every time I visit.")
        j = verbose(path, ("detect_sentiment", "true"))
        self.assertTrue(j["paragraphs"], "sentiment implies paragraphs")
        for p in j["paragraphs"]:
            self.assertTrue(p["sentences"])
            self.assertIn(p["sentiment"]["label"], ("positive", "neutral", "negative"))
            self.assertTrue(-1 <= p["sentiment"]["score"] <= 1)
        self.assertEqual(j["sentiment"]["label"], "positive", j)
        bad = verbose(speak("complaint", "This was a terrible day. The service was awful and I hate waiting. "
                                         "Nothing worked and everyone was angry."), ("detect_sentiment", "true"))
        self.assertEqual(bad["sentiment"]["label"], "negative", bad)
        status, _, body = vt.transcribe(server, path, [("response_format", "text"), ("detect_paragraphs", "true")])
        self.assertEqual(status, 200, body)
        self.assertNotIn("paragraphs", json.loads(vt.transcribe(server, path)[2]))  # not asked: absent

    def test_entities(self):
        path = speak("places", "Last year we flew from London to Paris. Then doctor Smith met us in Texas. "
                               "The tickets cost twenty five dollars.")
        j = verbose(path, ("detect_entities", "true"))
        types = {e["type"] for e in j["entities"]}
        self.assertIn("location", types, j["entities"])
        self.assertIn("money", types, j["entities"])
        texts = {e["text"] for e in j["entities"]}
        self.assertTrue({"Paris", "London", "Texas"} & texts, j["entities"])
        words = j["words"]
        for e in j["entities"]:
            self.assertTrue(any(abs(w["start"] - e["start"]) < 1e-6 for w in words), e)
            self.assertTrue(any(abs(w["end"] - e["end"]) < 1e-6 for w in words), e)

    def test_server_and_request_text_rules(self):
        path = speak("rules", "We moved to new york last year. The cat sat on the mat.")
        j = verbose(path, ("text_rules", json.dumps([{"from": "the cat", "to": "Felix"}])))
        self.assertIn("NYC", j["text"])
        self.assertIn("Felix", j["text"])
        felix = [w for w in j["words"] if w["word"].startswith("Felix")]
        self.assertEqual(len(felix), 1)
        self.assertLess(felix[0]["start"], felix[0]["end"])

    def test_bad_text_rules_are_a_400(self):
        path = speak("bad", "Hello there.")
        for bad in ("not json", "[1]", json.dumps([{"from": "", "to": "x"}])):
            status, _, body = vt.transcribe(server, path, [("text_rules", bad)])
            self.assertEqual(status, 400, body)
            self.assertEqual(vt.error_of(body)["param"], "text_rules")
        status, _, body = vt.transcribe(server, path, [("detect_entities", "maybe")])
        self.assertEqual(status, 400, body)

    def test_cli_flags(self):
        path = speak("cli", "What time is it? It is twenty five past three.")
        proc = subprocess.run([vt.VOX_BIN, "transcribe", path, "-f", "text", "--no-punctuate", "--no-numerals"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, proc.stdout.lower())
        proc = subprocess.run([vt.VOX_BIN, "transcribe", path, "-f", "verbose_json", "--detect-paragraphs", "true"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(json.loads(proc.stdout)["paragraphs"])
        proc = subprocess.run([vt.VOX_BIN, "transcribe", path, "--text-rules", os.path.join(tmp, "missing.txt")],
                              capture_output=True, text=True)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("missing.txt", proc.stderr)


if __name__ == "__main__":
    unittest.main()
