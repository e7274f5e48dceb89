"""SIGTERM to `vox serve` with a request in flight: it finishes, new requests get 503 with
Retry-After meanwhile, then the process exits 0; a second SIGTERM stops at once."""
import json
import os
import shutil
import signal
import tempfile
import threading
import time
import unittest

import voxtest as vt


class Shutdown(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vox-shutdown-")
        self.wav = os.path.join(vt.corpus("smoke"), "smoke_001.wav")  # several seconds of work

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def start_transcription(self, srv, result):
        def run():
            result["reply"] = vt.transcribe(srv, self.wav, [("response_format", "text")])
        t = threading.Thread(target=run)
        t.start()
        deadline = time.time() + 20
        while time.time() < deadline:  # wait until the engines are on it
            _, _, body = vt.request("GET", srv.url("/metrics"))
            if any(line.startswith("vox_inflight_requests ") and not line.endswith(" 0")
                   for line in body.decode().splitlines()):
                break
            time.sleep(0.05)
        return t

    def test_sigterm_drains_then_exits_zero(self):
        srv = vt.Server("--threads", "2", "--data-dir", self.dir)
        try:
            result = {}
            t = self.start_transcription(srv, result)
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            status, headers, body = vt.request("GET", srv.url("/v1/models"), timeout=10)
            self.assertEqual(status, 503, body)
            self.assertEqual(vt.error_of(body)["code"], "server_busy")
            self.assertIn("retry-after", headers)
            self.assertEqual(vt.request("GET", srv.url("/health"), timeout=10)[0], 200)
            t.join(120)
            status, _, body = result["reply"]
            self.assertEqual(status, 200, body)
            self.assertGreater(len(body.decode().split()), 20)  # the whole transcript, not a cut-off
            self.assertEqual(srv.proc.wait(timeout=30), 0, srv.logs())
        finally:
            srv.stop()

    def test_a_second_sigterm_stops_at_once(self):
        srv = vt.Server("--threads", "2", "--data-dir", self.dir, "--shutdown-timeout", "600")
        try:
            result = {}
            t = self.start_transcription(srv, result)
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            srv.proc.send_signal(signal.SIGTERM)
            self.assertEqual(srv.proc.wait(timeout=30), 0, srv.logs())
            t.join(60)
        finally:
            srv.stop()


if __name__ == "__main__":
    unittest.main()
