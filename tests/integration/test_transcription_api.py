"""POST /v1/audio/transcriptions and /transcribe against the real binary, with real audio."""
import json
import os
import shutil
import tempfile
import threading
import unittest

import voxtest as vt

# Measured with the sphinx engine (see README "Results"); bounds sit a little above.
LIBRIVOX_WER_MAX = 0.26   # pooled over the 5 pocketsphinx-testdata librivox clips (measured 21.1 %)
SMOKE_WER_MAX = 0.12      # pooled over the 3 smoke conversations (measured 7.9-9.3 %)
FORMAT_WER_MAX = 0.25     # one smoke conversation re-encoded to each input format

server = None
tmp = None


def setUpModule():
    global server, tmp
    tmp = tempfile.mkdtemp(prefix="vox-it-")
    server = vt.Server("--threads", "2")


def tearDownModule():
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def smoke_file(i=1):
    return os.path.join(vt.corpus("smoke"), f"smoke_{i:03d}")


class Meta(unittest.TestCase):
    def test_health_ready_models(self):
        self.assertEqual(vt.request("GET", server.url("/health"))[0], 200)
        self.assertEqual(vt.request("GET", server.url("/ready"))[0], 200)
        status, _, body = vt.request("GET", server.url("/v1/models"))
        self.assertEqual(status, 200)
        j = json.loads(body)
        self.assertEqual(j["object"], "list")
        ids = [m["id"] for m in j["data"]]
        self.assertIn("sphinx", ids)
        self.assertIn("whisper-1", ids)
        for m in j["data"]:
            self.assertEqual(m["object"], "model")

    def test_unknown_route_is_openai_404(self):
        status, _, body = vt.request("GET", server.url("/v1/nope"))
        self.assertEqual(status, 404)
        self.assertEqual(vt.error_of(body)["code"], "not_found")


class Accuracy(unittest.TestCase):
    def test_librivox_real_speech(self):
        refs = vt.librivox_references()
        ref_all, hyp_all = [], []
        for name, ref in sorted(refs.items()):
            status, _, body = vt.transcribe(server, os.path.join(vt.LIBRIVOX_DIR, name + ".wav"),
                                            [("model", "whisper-1")])
            self.assertEqual(status, 200, body)
            ref_all.append(ref)
            hyp_all.append(json.loads(body)["text"])
        result = vt.wer("\n".join(ref_all), "\n".join(hyp_all))
        print(f"librivox WER {result['wer']:.3f} over {result['ref_words']} words")
        self.assertLessEqual(result["wer"], LIBRIVOX_WER_MAX)

    def test_smoke_conversations(self):
        ref_all, hyp_all = [], []
        for i in (0, 1, 2):
            base = smoke_file(i)
            status, _, body = vt.transcribe(server, base + ".wav", [("response_format", "text")])
            self.assertEqual(status, 200, body)
            with open(base + ".txt") as f:
                ref_all.append(f.read())
            hyp_all.append(body.decode())
        result = vt.wer("\n".join(ref_all), "\n".join(hyp_all))
        print(f"smoke WER {result['wer']:.3f} over {result['ref_words']} words")
        self.assertLessEqual(result["wer"], SMOKE_WER_MAX)


class InputFormats(unittest.TestCase):
    """Each container/codec, made with the ffmpeg CLI from one smoke conversation."""

    ENCODINGS = {
        "wav44k-stereo.wav": ["-ar", "44100", "-ac", "2"],
        "mp3.mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
        "flac.flac": ["-c:a", "flac"],
        "vorbis.ogg": ["-c:a", "libvorbis"],
        "opus.opus": ["-c:a", "libopus", "-b:a", "32k"],
        "aac.m4a": ["-c:a", "aac", "-b:a", "64k"],
        "opus.webm": ["-c:a", "libopus"],
        "video.mp4": ["VIDEO", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"],
        "video.mov": ["VIDEO", "-c:v", "mpeg4", "-c:a", "aac", "-shortest"],
    }

    def test_each_input_format(self):
        src = smoke_file(1) + ".wav"
        with open(smoke_file(1) + ".txt") as f:
            ref = f.read()
        for name, args in self.ENCODINGS.items():
            with self.subTest(format=name):
                out = os.path.join(tmp, name)
                if args and args[0] == "VIDEO":
                    vt.ffmpeg("-f", "lavfi", "-i", "color=c=blue:s=64x48:r=5", "-i", src, *args[1:], out)
                else:
                    vt.ffmpeg("-i", src, *args, out)
                status, _, body = vt.transcribe(server, out, [("response_format", "json")])
                self.assertEqual(status, 200, body)
                result = vt.wer(ref, json.loads(body)["text"])
                self.assertLessEqual(result["wer"], FORMAT_WER_MAX, f"{name}: WER {result['wer']}")


class ResponseFormats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.wav = smoke_file(2) + ".wav"

    def post(self, *fields):
        status, headers, body = vt.transcribe(server, self.wav, list(fields))
        self.assertEqual(status, 200, body)
        return headers, body.decode()

    def test_json(self):
        headers, body = self.post(("response_format", "json"))
        self.assertTrue(headers["content-type"].startswith("application/json"))
        self.assertGreater(len(json.loads(body)["text"].split()), 20)

    def test_text(self):
        headers, body = self.post(("response_format", "text"))
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        self.assertGreater(len(body.split()), 20)
        self.assertNotIn("{", body)

    def test_srt_is_strictly_valid(self):
        _, body = self.post(("response_format", "srt"), ("diarize", "false"))
        ok, out = vt.check_subtitles("srt", body, "--no-overlap")
        self.assertTrue(ok, out + body[:500])
        self.assertIn(" --> ", body)

    def test_vtt_is_strictly_valid(self):
        headers, body = self.post(("response_format", "vtt"), ("diarize", "false"))
        self.assertTrue(headers["content-type"].startswith("text/vtt"))
        ok, out = vt.check_subtitles("vtt", body, "--no-overlap")
        self.assertTrue(ok, out + body[:500])

    def test_verbose_json_schema_with_words(self):
        _, body = self.post(("response_format", "verbose_json"), ("timestamp_granularities[]", "word"),
                            ("timestamp_granularities[]", "segment"), ("diarize", "false"))
        j = json.loads(body)
        self.assertEqual(j["task"], "transcribe")
        for key in ("language", "duration", "text", "segments", "words", "usage"):
            self.assertIn(key, j)
        self.assertEqual(j["usage"]["type"], "duration")
        self.assertGreater(j["duration"], 10)
        seg_keys = {"id", "seek", "start", "end", "text", "tokens", "temperature", "avg_logprob",
                    "compression_ratio", "no_speech_prob"}
        self.assertGreater(len(j["segments"]), 1)
        for s in j["segments"]:
            self.assertTrue(seg_keys <= set(s), set(s))
            self.assertLess(s["start"], s["end"])
            self.assertIsInstance(s["tokens"], list)
        starts = [w["start"] for w in j["words"]]
        self.assertEqual(starts, sorted(starts))
        for w in j["words"]:
            self.assertLessEqual(w["start"], w["end"])
            self.assertLessEqual(w["end"], j["duration"] + 0.01)

    def test_verbose_json_without_word_granularity_has_no_words(self):
        _, body = self.post(("response_format", "verbose_json"), ("diarize", "false"))
        self.assertNotIn("words", json.loads(body))

    def test_explicit_engine_name(self):
        _, body = self.post(("model", "sphinx"))
        self.assertIn("text", json.loads(body))

    def test_legacy_transcribe_route(self):
        status, _, body = vt.transcribe(server, self.wav, [("diarize", "false")], field_name="audio", route="/transcribe")
        self.assertEqual(status, 200, body)
        j = json.loads(body)
        for key in ("text", "segments", "duration", "processing_ms", "backend"):
            self.assertIn(key, j)
        self.assertEqual(j["backend"], "sphinx")
        self.assertGreater(j["processing_ms"], 0)


class BadInput(unittest.TestCase):
    def expect_error(self, status, code, path=None, data=None, fields=(), field_name="file", srv=None):
        srv = srv or server
        if path is not None:
            with open(path, "rb") as f:
                data = f.read()
        files = [] if data is None else [(field_name, "upload.bin", data)]
        got, _, body = vt.post_form(srv.url("/v1/audio/transcriptions"), list(fields), files)
        self.assertEqual(got, status, body)
        err = vt.error_of(body)
        self.assertEqual(err["code"], code, err)
        return err

    def test_empty_file(self):
        self.expect_error(400, "empty_input", data=b"")

    def test_garbage_bytes(self):
        self.expect_error(415, "invalid_audio", data=os.urandom(50000))

    def test_text_file(self):
        self.expect_error(415, "invalid_audio", data=b"hello, this is not audio at all\n" * 100)

    def test_truncated_mp3(self):
        mp3 = os.path.join(tmp, "full.mp3")
        vt.ffmpeg("-i", smoke_file(1) + ".wav", "-c:a", "libmp3lame", mp3)
        with open(mp3, "rb") as f:
            data = f.read()
        self.expect_error(400, "truncated_audio", data=data[: len(data) // 3])

    def test_video_without_audio(self):
        mp4 = os.path.join(tmp, "silent-video.mp4")
        vt.ffmpeg("-f", "lavfi", "-i", "color=c=red:s=64x48:r=5:d=2", "-c:v", "libx264", "-preset", "ultrafast", mp4)
        self.expect_error(415, "no_audio_stream", path=mp4)

    def test_missing_file_field(self):
        err = self.expect_error(400, "invalid_argument", fields=[("model", "whisper-1")])
        self.assertEqual(err["param"], "file")

    def test_bad_response_format(self):
        err = self.expect_error(400, "invalid_argument", path=smoke_file(1) + ".wav",
                                fields=[("response_format", "docx")])
        self.assertEqual(err["param"], "response_format")

    def test_over_size_and_duration_limits(self):
        with vt.Server("--threads", "1", "--max-upload", "200K", "--max-duration", "5s") as small:
            big = os.urandom(300 * 1024)
            got, _, body = vt.post_form(small.url("/v1/audio/transcriptions"), [], [("file", "big.wav", big)])
            self.assertEqual(got, 413, body)
            self.assertEqual(vt.error_of(body)["code"], "file_too_large")
            long_mp3 = os.path.join(tmp, "long.mp3")
            vt.ffmpeg("-i", smoke_file(1) + ".wav", "-t", "12", "-c:a", "libmp3lame", "-b:a", "32k", long_mp3)
            self.expect_error(413, "audio_too_long", path=long_mp3, srv=small)

    def test_saturated_server_answers_503_with_retry_after(self):
        with vt.Server("--threads", "1", "--max-inflight", "1", "--max-queue", "0") as tiny:
            results = []

            def call():
                results.append(vt.transcribe(tiny, smoke_file(0) + ".wav", [("diarize", "false")]))

            threads = [threading.Thread(target=call) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            statuses = sorted(r[0] for r in results)
            self.assertIn(200, statuses)
            self.assertIn(503, statuses)
            for status, headers, body in results:
                if status == 503:
                    self.assertIn("retry-after", headers)
                    self.assertEqual(vt.error_of(body)["code"], "server_busy")


if __name__ == "__main__":
    unittest.main()
