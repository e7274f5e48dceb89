"""Async jobs (POST/GET/DELETE /v1/jobs, SSE events) on the in-process adapters, against the real
binary and real audio; plus the synchronous route's long-request and client-disconnect behaviour."""
import json
import os
import re
import shutil
import tempfile
import time
import unittest

import job_cases as jc
import voxtest as vt

server = None
data_dir = None
keys = {}


def setUpModule():
    global server, data_dir
    data_dir = tempfile.mkdtemp(prefix="vox-jobs-")
    keys["a"] = vt.create_key(data_dir, "a")
    keys["b"] = vt.create_key(data_dir, "b")
    jc.long_wav()  # built before the server starts, so no test waits on ffmpeg while timing
    # --http-timeout 1: socket timeouts must not cut off a request that computes for longer.
    server = vt.Server("--threads", "2", "--data-dir", data_dir, "--http-timeout", "1", "--local-workers", "1")


def tearDownModule():
    if server:
        server.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


class EmbeddedJobs(jc.JobCases, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.key_a, cls.key_b = server, keys["a"], keys["b"]

    def test_uploads_wait_under_the_data_dir_and_are_removed(self):
        wav, _ = jc.utterance("slt_002")
        _, _, job = jc.submit(server, wav, [], keys["a"])
        jc.poll(server, job["id"], keys["a"])
        left = os.listdir(os.path.join(data_dir, "jobs"))
        self.assertFalse([f for f in left if job["id"] in f], left)

    def test_jobs_gauge_in_metrics(self):
        status, _, body = vt.request("GET", server.url("/metrics"))
        self.assertEqual(status, 200)
        self.assertRegex(body.decode(), r'vox_jobs\{state="succeeded"\} \d+')


class SyncRequests(unittest.TestCase):
    def test_long_transcription_outlives_the_socket_timeouts(self):
        wav = os.path.join(vt.corpus("smoke"), "smoke_000.wav")  # ~4 s of work, timeouts are 1 s
        t0 = time.time()
        status, _, body = vt.transcribe(server, wav, headers=vt.bearer(keys["a"]))
        took = time.time() - t0
        self.assertEqual(status, 200, body)
        self.assertGreater(took, 1.5, "the file must take longer than --http-timeout to mean anything")
        self.assertGreater(len(json.loads(body)["text"].split()), 50)

    def test_client_disconnect_cancels_the_work(self):
        path = jc.long_wav()  # over 20 s of work on 2 cores
        t0 = time.time()
        jc.disconnect_mid_request(server, path, keys["a"], after_s=1.5)
        # The request ends with 499 (client closed request) soon after the hang-up, not when a
        # full run would have finished.
        pattern = re.compile(r'"path":"/v1/audio/transcriptions","status":(\d+),"ms":([\d.]+)')
        deadline = time.time() + 30
        found = None
        while time.time() < deadline and not found:
            for status, ms in pattern.findall(server.logs()):
                if status == "499":
                    found = float(ms)
            time.sleep(0.1)
        self.assertIsNotNone(found, server.logs())
        # Chunks already in a recogniser finish first (up to --max-chunk of audio each).
        self.assertLess(found, 10000, "work stopped at the next chunk after the hang-up")
        self.assertLess(time.time() - t0, 12)


if __name__ == "__main__":
    unittest.main()
