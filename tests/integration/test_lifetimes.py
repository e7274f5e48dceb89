"""What a request holds lives until its last byte: a streamed response keeps the key's
concurrency slot and the server's admission slot while it streams; /v1/audio/speech passes
admission; /v1/audio/diarization is metered like a transcription."""
import http.client
import json
import os
import shutil
import tempfile
import time
import unittest

import voxtest as vt

# ~4,000 characters: flite slt speaks them for about 4 minutes, ~11 MB of 24 kHz pcm: far more
# than the socket buffers hold, so the stream lasts as long as the client does not read it.
LONG_TEXT = " ".join(["This sentence is spoken again and again to keep the stream busy."] * 60)


def open_stream(server, key, text=LONG_TEXT):
    """Starts a streamed speech request and reads only its first bytes; returns the connection."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("POST", "/v1/audio/speech",
                 body=json.dumps({"model": "tts-1", "input": text, "voice": "slt", "response_format": "pcm"}),
                 headers={"Content-Type": "application/json", **(vt.bearer(key) if key else {})})
    resp = conn.getresponse()
    assert resp.status == 200, resp.read()
    resp.read(4096)
    return conn, resp


def short_speech(server, key=None):
    body = json.dumps({"model": "tts-1", "input": "Hi.", "voice": "kal16"}).encode()
    headers = {"Content-Type": "application/json", **(vt.bearer(key) if key else {})}
    return vt.request("POST", server.url("/v1/audio/speech"), body, headers, timeout=60)


class Lifetimes(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vox-life-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_a_streamed_reply_keeps_the_key_slot_until_its_last_byte(self):
        key = vt.create_key(self.dir, "one", "--concurrent", "1")
        with vt.Server("--threads", "2", "--data-dir", self.dir) as srv:
            conn, resp = open_stream(srv, key)
            try:
                time.sleep(0.5)
                status, headers, body = short_speech(srv, key)
                self.assertEqual(status, 429, body)  # the stream still holds the key's one slot
                self.assertIn("retry-after", headers)
            finally:
                conn.close()
            deadline = time.time() + 30
            while time.time() < deadline:  # the server notices the hang-up and lets go
                status, _, _ = short_speech(srv, key)
                if status == 200:
                    break
                time.sleep(0.2)
            self.assertEqual(status, 200)

    def test_speech_passes_admission(self):
        with vt.Server("--threads", "2", "--data-dir", self.dir, "--max-inflight", "1", "--max-queue", "0") as srv:
            conn, resp = open_stream(srv, None)
            try:
                time.sleep(0.5)
                status, headers, body = short_speech(srv)
                self.assertEqual(status, 503, body)
                self.assertEqual(vt.error_of(body)["code"], "server_busy")
                self.assertIn("retry-after", headers)
            finally:
                conn.close()

    def test_streamed_latency_is_recorded_when_the_stream_ends(self):
        with vt.Server("--threads", "2", "--data-dir", self.dir) as srv:
            t0 = time.time()
            conn, resp = open_stream(srv, None)
            time.sleep(1.0)
            resp.read()  # the stream cannot end before this: it is larger than the socket buffers
            conn.close()
            waited = time.time() - t0
            _, _, metrics = vt.request("GET", srv.url("/metrics"))
            text = metrics.decode()
            # The speech request's latency runs to the stream's end, not to the handler's return.
            total = 0.0
            for line in text.splitlines():
                if line.startswith("vox_http_request_duration_seconds_sum") and "/v1/audio/speech" in line:
                    total += float(line.rsplit(" ", 1)[1])
            self.assertGreaterEqual(total, waited * 0.8, text[:2000])

    def test_diarization_is_metered(self):
        key = vt.create_key(self.dir, "diar")
        wav = os.path.join(vt.corpus("smoke"), "smoke_000.wav")
        with vt.Server("--threads", "2", "--data-dir", self.dir) as srv:
            status, _, body = vt.transcribe(srv, wav, route="/v1/audio/diarization", headers=vt.bearer(key))
            self.assertEqual(status, 200, body)
            duration = json.loads(body)["duration"]
            status, _, body = vt.request("GET", srv.url("/v1/usage"), headers=vt.bearer(key))
            usage = json.loads(body)
            self.assertAlmostEqual(usage["total"]["audio_seconds"], duration, delta=0.5)


if __name__ == "__main__":
    unittest.main()
