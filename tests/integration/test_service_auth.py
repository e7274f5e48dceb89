"""API keys, rate limits, usage, CORS and /metrics against the real binary (`vox keys` + `vox serve`)."""
import json
import os
import shutil
import tempfile
import time
import unittest

import voxtest as vt

ORIGIN = "https://app.example"
SPEECH_TEXT = "Hello from the auth test."
LIBRIVOX_WAV = os.path.join(vt.LIBRIVOX_DIR, "sense_and_sensibility_01_austen_64kb-0870.wav")

data_dir = None
server = None
keys = {}


def setUpModule():
    global data_dir, server
    data_dir = tempfile.mkdtemp(prefix="vox-auth-")
    keys["good"] = vt.create_key(data_dir, "good")
    keys["revoked"] = vt.create_key(data_dir, "revoked")
    keys["burst"] = vt.create_key(data_dir, "burst", "--rpm", "30")
    proc = vt.vox_keys(data_dir, "revoke", "revoked")
    assert proc.returncode == 0, proc.stderr
    server = vt.Server("--threads", "2", "--data-dir", data_dir, "--cors-origins", ORIGIN)


def tearDownModule():
    if server:
        server.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def call(method, path, key=None, headers=None, srv=None):
    """One request to a protected or open route with a body that route accepts."""
    h = dict(headers or {})
    if key:
        h.update(vt.bearer(key))
    url = (srv or server).url(path)
    if path in ("/v1/audio/transcriptions", "/transcribe"):
        field = "file" if path.startswith("/v1") else "audio"
        with open(LIBRIVOX_WAV, "rb") as f:
            return vt.post_form(url, [], [(field, "speech.wav", f.read())], h)
    if path in ("/v1/audio/speech", "/speak"):
        h["Content-Type"] = "application/json"
        text_field = "input" if path.startswith("/v1") else "text"  # the legacy route's field name
        body = json.dumps({"model": "tts-1", text_field: SPEECH_TEXT, "voice": "kal16"}).encode()
        return vt.request(method, url, body, h)
    return vt.request(method, url, None, h)


PROTECTED = [
    ("GET", "/v1/models"),
    ("POST", "/v1/audio/transcriptions"),
    ("POST", "/v1/audio/speech"),
    ("GET", "/v1/audio/voices"),
    ("GET", "/v1/usage"),
    ("POST", "/transcribe"),
    ("POST", "/speak"),
]


class KeysCli(unittest.TestCase):
    def test_create_prints_a_fresh_key_once(self):
        key = keys["good"]
        self.assertTrue(key.startswith("vox_"))
        self.assertGreaterEqual(len(key), 4 + 43)
        with open(os.path.join(data_dir, "vox.db"), "rb") as f:
            self.assertNotIn(key.encode(), f.read(), "the secret must not be stored, only its hash")

    def test_list_shows_names_and_status(self):
        proc = vt.vox_keys(data_dir, "list", "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        listed = {k["name"]: k for k in json.loads(proc.stdout)}
        self.assertFalse(listed["good"]["revoked"])
        self.assertTrue(listed["revoked"]["revoked"])
        self.assertEqual(listed["burst"]["limits"]["rpm"], 30)
        table = vt.vox_keys(data_dir, "list")
        self.assertEqual(table.returncode, 0)
        self.assertIn("good", table.stdout)
        self.assertIn("revoked", table.stdout)

    def test_errors(self):
        self.assertNotEqual(vt.vox_keys(data_dir, "create", "--name", "good").returncode, 0)  # name in use
        self.assertEqual(vt.vox_keys(data_dir, "revoke", "nobody").returncode, 4)
        self.assertEqual(vt.vox_keys(data_dir, "create").returncode, 2)  # no --name
        self.assertEqual(vt.vox_keys(data_dir, "frobnicate").returncode, 2)


class Auth(unittest.TestCase):
    def test_every_protected_route_refuses_missing_wrong_and_revoked_keys(self):
        for method, path in PROTECTED:
            for label, key in (("no key", None), ("wrong key", "vox_" + "x" * 43), ("revoked key", keys["revoked"])):
                with self.subTest(route=path, case=label):
                    status, headers, body = call(method, path, key)
                    self.assertEqual(status, 401, body[:200])
                    err = vt.error_of(body)
                    self.assertEqual(err["type"], "authentication_error")

    def test_good_key_passes_every_protected_route(self):
        for method, path in PROTECTED:
            with self.subTest(route=path):
                status, _, body = call(method, path, keys["good"])
                self.assertNotIn(status, (401, 403), body[:200])
                self.assertEqual(status, 200, body[:200])

    def test_open_routes_need_no_key(self):
        for path in ("/health", "/ready", "/metrics"):
            with self.subTest(route=path):
                status, _, _ = vt.request("GET", server.url(path))
                self.assertEqual(status, 200)

    def test_basic_auth_is_not_a_bearer_key(self):
        status, _, _ = vt.request("GET", server.url("/v1/models"), None, {"Authorization": "Basic " + keys["good"]})
        self.assertEqual(status, 401)


class RateLimit(unittest.TestCase):
    def test_burst_gets_429_with_retry_after_then_recovers(self):
        statuses = []
        limited = None
        for _ in range(80):  # 30 per minute: the 31st request in a burst is refused
            status, headers, body = call("GET", "/v1/models", keys["burst"])
            statuses.append(status)
            if status == 429:
                limited = (headers, body)
                break
        self.assertIsNotNone(limited, f"no 429 after {len(statuses)} requests")
        self.assertGreaterEqual(len(statuses), 30)
        self.assertLessEqual(len(statuses), 33)
        headers, body = limited
        self.assertEqual(vt.error_of(body)["type"], "rate_limit_error")
        retry = int(headers["retry-after"])
        self.assertGreaterEqual(retry, 1)
        self.assertLessEqual(retry, 2)  # one request every 2 s
        status, _, _ = call("GET", "/v1/models", keys["good"])
        self.assertEqual(status, 200, "another key is not limited")
        time.sleep(retry + 0.2)
        status, _, body = call("GET", "/v1/models", keys["burst"])
        self.assertEqual(status, 200, body[:200])


class Cors(unittest.TestCase):
    def test_allowed_origin_gets_headers_other_does_not(self):
        status, headers, _ = call("GET", "/v1/models", keys["good"], {"Origin": ORIGIN})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("access-control-allow-origin"), ORIGIN)
        self.assertIn("Origin", headers.get("vary", ""))
        status, headers, _ = call("GET", "/v1/models", keys["good"], {"Origin": "https://evil.example"})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)

    def test_errors_carry_cors_headers_for_allowed_origins(self):
        status, headers, _ = call("GET", "/v1/models", None, {"Origin": ORIGIN})
        self.assertEqual(status, 401)
        self.assertEqual(headers.get("access-control-allow-origin"), ORIGIN)

    def test_preflight(self):
        pre = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "authorization, content-type"}
        status, headers, _ = vt.request("OPTIONS", server.url("/v1/audio/transcriptions"), None, pre)
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("access-control-allow-origin"), ORIGIN)
        self.assertIn("POST", headers.get("access-control-allow-methods", ""))
        self.assertIn("authorization", headers.get("access-control-allow-headers", "").lower())
        self.assertTrue(int(headers.get("access-control-max-age", "0")) > 0)
        self.assertIn("Origin", headers.get("vary", ""))
        pre["Origin"] = "https://evil.example"
        status, headers, _ = vt.request("OPTIONS", server.url("/v1/audio/transcriptions"), None, pre)
        self.assertNotEqual(status, 204)
        self.assertNotIn("access-control-allow-origin", headers)


class Metrics(unittest.TestCase):
    def test_series_are_exported(self):
        call("GET", "/v1/models", keys["good"])
        call("GET", "/v1/models")
        status, headers, body = vt.request("GET", server.url("/metrics"))
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        text = body.decode()
        for needle in ('vox_http_requests_total{method="GET",route="/v1/models",status="200"}',
                       'vox_http_requests_total{method="GET",route="/v1/models",status="401"}',
                       "# TYPE vox_http_request_duration_seconds histogram",
                       'vox_http_request_duration_seconds_bucket{route="/v1/models",le="+Inf"}',
                       'vox_auth_failures_total{reason="missing"}',
                       "# TYPE vox_audio_seconds_processed_total counter",
                       "# TYPE vox_realtime_factor histogram",
                       "# TYPE vox_queue_depth gauge", "# TYPE vox_inflight_requests gauge",
                       "# TYPE vox_workers gauge", "# TYPE vox_jobs gauge"):
            self.assertIn(needle, text)
        self.assertRegex(text, r"\nvox_workers [1-9]")  # the pool's size, sampled at scrape time


class UsageAndRestart(unittest.TestCase):
    """Runs its own server so that restarting it does not disturb the other tests."""

    def test_usage_is_counted_and_survives_a_restart(self):
        own_dir = tempfile.mkdtemp(prefix="vox-usage-")
        try:
            key = vt.create_key(own_dir, "acct")
            gone = vt.create_key(own_dir, "gone")
            self.assertEqual(vt.vox_keys(own_dir, "revoke", "gone").returncode, 0)
            with vt.Server("--threads", "2", "--data-dir", own_dir) as srv:
                self.assertEqual(call("POST", "/v1/audio/transcriptions", key, srv=srv)[0], 200)
                self.assertEqual(call("POST", "/v1/audio/speech", key, srv=srv)[0], 200)
                status, _, body = call("GET", "/v1/usage", key, srv=srv)
                self.assertEqual(status, 200, body)
                before = json.loads(body)
            self.assertEqual(before["key"]["name"], "acct")
            self.assertEqual(before["total"]["requests"], 3)  # the usage request counts itself
            self.assertAlmostEqual(before["total"]["audio_seconds"], 7.1, delta=0.2)  # the librivox clip's length
            self.assertEqual(before["total"]["characters"], len(SPEECH_TEXT))
            self.assertEqual(before["data"][-1]["date"], before["end_date"])

            with vt.Server("--threads", "2", "--data-dir", own_dir) as srv:
                self.assertEqual(call("GET", "/v1/models", gone, srv=srv)[0], 401)
                status, _, body = call("GET", "/v1/usage", key, srv=srv)
                self.assertEqual(status, 200, body)
                after = json.loads(body)
            self.assertEqual(after["total"]["requests"], 4)
            self.assertAlmostEqual(after["total"]["audio_seconds"], before["total"]["audio_seconds"], places=3)
            listed = {k["name"]: k for k in json.loads(vt.vox_keys(own_dir, "list", "--json").stdout)}
            self.assertEqual(listed["acct"]["usage"]["requests"], 4)
            self.assertGreater(listed["acct"]["last_used"], 0)
            self.assertEqual(listed["gone"]["last_used"], 0)
        finally:
            shutil.rmtree(own_dir, ignore_errors=True)

    def test_without_keys_the_loopback_server_is_open(self):
        own_dir = tempfile.mkdtemp(prefix="vox-nokeys-")
        try:
            with vt.Server("--threads", "2", "--data-dir", own_dir) as srv:
                status, _, _ = vt.request("GET", srv.url("/v1/models"))
                self.assertEqual(status, 200)
                status, _, body = vt.request("GET", srv.url("/v1/usage"))
                self.assertEqual(status, 200)
                self.assertIsNone(json.loads(body)["key"])
        finally:
            shutil.rmtree(own_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
