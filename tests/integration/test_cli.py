"""The `vox` command line: transcribe to every format, exit codes and one-line errors."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import voxtest as vt


def vox(*args, timeout=600):
    return subprocess.run([vt.VOX_BIN, *args], capture_output=True, text=True, timeout=timeout)


class Cli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vox-cli-")
        cls.wav = os.path.join(vt.LIBRIVOX_DIR, "sense_and_sensibility_01_austen_64kb-0880.wav")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_version_and_help(self):
        p = vox("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^vox \d+\.\d+\.\d+")
        p = vox("serve", "--help")
        self.assertEqual(p.returncode, 0)
        for flag in ("--host", "--port", "--threads", "--asr", "--max-upload", "--max-duration", "VOX_PORT", "ASR_BACKEND"):
            self.assertIn(flag, p.stdout)
        self.assertEqual(vox("transcribe", "--help").returncode, 0)

    def test_transcribe_to_stdout_and_files(self):
        p = vox("transcribe", self.wav, "--threads", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("young man", json.loads(p.stdout)["text"])
        self.assertEqual(p.stderr, "")  # quiet when not on a terminal
        for fmt in ("json", "text", "srt", "vtt", "verbose_json"):
            with self.subTest(fmt=fmt):
                out = os.path.join(self.tmp, "out." + fmt)
                p = vox("transcribe", self.wav, "-f", fmt, "-o", out, "--diarize", "false")
                self.assertEqual(p.returncode, 0, p.stderr)
                with open(out) as f:
                    text = f.read()
                self.assertIn("young", text.lower())
                if fmt in ("srt", "vtt"):
                    ok, msg = vt.check_subtitles(fmt, text)
                    self.assertTrue(ok, msg)

    def test_several_files_into_a_directory(self):
        other = os.path.join(vt.LIBRIVOX_DIR, "sense_and_sensibility_01_austen_64kb-0930.wav")
        outdir = os.path.join(self.tmp, "many")
        p = vox("transcribe", self.wav, other, "-f", "text", "-o", outdir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(sorted(os.listdir(outdir)),
                         ["sense_and_sensibility_01_austen_64kb-0880.txt", "sense_and_sensibility_01_austen_64kb-0930.txt"])

    def test_errors_are_one_line_with_distinct_exit_codes(self):
        garbage = os.path.join(self.tmp, "garbage.mp3")
        with open(garbage, "wb") as f:
            f.write(os.urandom(4096))
        empty = os.path.join(self.tmp, "empty.wav")
        open(empty, "wb").close()
        cases = [
            (["transcribe", "/nonexistent/x.wav"], 4),
            (["transcribe", garbage], 3),
            (["transcribe", empty], 3),
            (["transcribe", self.wav, "-f", "docx"], 2),
            (["transcribe"], 2),
            (["frobnicate"], 2),
            (["serve", "--port", "notaport"], 2),
            (["serve", "--host", "0.0.0.0", "--port", "0"], 2),
        ]
        for args, code in cases:
            with self.subTest(args=args):
                p = vox(*args, timeout=60)
                self.assertEqual(p.returncode, code, p.stderr)
                lines = p.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, p.stderr)
                self.assertTrue(lines[0].startswith("vox: "), p.stderr)


if __name__ == "__main__":
    unittest.main()
