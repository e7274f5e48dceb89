"""vox listen URL FILE: the Realtime client streams kit conversations to `vox serve` (ws:// and
wss:// with a self-signed CA) and prints speaker-labelled finals or JSON events; a wrong key, a
refused port, an untrusted certificate and a bad URL each end with one line and a non-zero exit."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import voxtest as vt

WER_MAX = 0.35
CONVERSATIONS = ["smoke_000", "smoke_001", "smoke_002"]

tmp = None
corpus = None
server = None


def setUpModule():
    global tmp, corpus, server
    tmp = tempfile.mkdtemp(prefix="vox-listen-")
    corpus = vt.corpus("smoke")
    server = vt.Server("--threads", "2")


def tearDownModule():
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def listen(*args, timeout=300, env=None):
    full_env = dict(os.environ)
    full_env.pop("VOX_API_KEY", None)
    full_env.update(env or {})
    return subprocess.run([vt.VOX_BIN, "listen", *args], capture_output=True, text=True, timeout=timeout, env=full_env)


def ws_url(srv, scheme="ws"):
    return f"{scheme}://127.0.0.1:{srv.port}"


def short_wav():
    path = os.path.join(tmp, "command.wav")
    if not os.path.exists(path):
        subprocess.run(["flite", "-voice", "slt", "-t", "turn on the kitchen lights and set the temperature to twenty degrees",
                        "-o", path], check=True)
    return path


def finals(stdout):
    """[(speaker, text)] of the `[A] text` lines."""
    out = []
    for line in stdout.splitlines():
        m = re.fullmatch(r"\[([^\]]+)\] (.*)", line)
        assert m, f"not a final line: {line!r}"
        out.append((m.group(1), m.group(2)))
    return out


class ListenTest(unittest.TestCase):
    def test_conversations_as_fast_as_possible(self):
        refs, hyps = [], []
        for name in CONVERSATIONS:
            proc = listen("--speed", "0", ws_url(server), os.path.join(corpus, f"{name}.wav"))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stderr, "")
            lines = finals(proc.stdout)
            self.assertGreaterEqual(len(lines), 1, proc.stdout)
            for speaker, text in lines:
                self.assertRegex(speaker, r"^[A-Z]$")
                self.assertTrue(text.strip())
            self.assertNotIn("\r", proc.stdout, "partials written to a pipe")
            with open(os.path.join(corpus, f"{name}.txt")) as f:
                refs.append(f.read().strip())
            hyps.append("\n".join(text for _, text in lines))
        result = vt.wer("\n".join(refs) + "\n", "\n".join(hyps) + "\n")
        print(f"\nvox listen --speed 0: pooled WER {result['wer']:.3f} over {len(CONVERSATIONS)} conversations")
        self.assertLessEqual(result["wer"], WER_MAX)

    def test_json_prints_every_event(self):
        proc = listen("--speed", "0", "--json", "--language", "en", "--model", "sphinx", "--chunk-ms", "20",
                      ws_url(server), short_wav())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        events = [json.loads(line) for line in proc.stdout.splitlines()]
        types = [e["type"] for e in events]
        self.assertEqual(types[0], "session.created")
        self.assertIn("session.updated", types)
        updated = events[types.index("session.updated")]
        self.assertEqual(updated["session"]["audio"]["input"]["format"]["rate"], 16000)
        for t in ("input_audio_buffer.speech_started", "input_audio_buffer.committed",
                  "conversation.item.input_audio_transcription.delta",
                  "conversation.item.input_audio_transcription.completed"):
            self.assertIn(t, types)
        text = " ".join(e["transcript"] for e in events if e["type"].endswith(".completed"))
        self.assertLessEqual(vt.wer("turn on the kitchen lights and set the temperature to twenty degrees", text)["wer"],
                             0.5, text)

    def test_real_time_pacing_and_manual_turns(self):
        # 24 kHz as OpenAI's clients send it; --manual commits itself; --speed 2 takes about half the audio's length.
        import time
        t0 = time.monotonic()
        proc = listen("--speed", "2", "--manual", "--rate", "24000", ws_url(server), short_wav())
        took = time.monotonic() - t0
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = finals(proc.stdout)
        self.assertEqual(len(lines), 1, proc.stdout)
        duration = os.path.getsize(short_wav()) / 2 / 16000  # flite: 16 kHz 16-bit
        self.assertGreaterEqual(took, duration / 2 * 0.9, f"{took:.2f} s for {duration:.2f} s at 2x")

    def test_refused_port(self):
        proc = listen(f"ws://127.0.0.1:{vt.free_port()}", short_wav())
        self.assertEqual(proc.returncode, 5, proc.stderr)
        self.assertRegex(proc.stderr, r"^vox: cannot connect to 127\.0\.0\.1:\d+: Connection refused\n$")

    def test_usage_errors(self):
        for args, pattern in (((ws_url(server),), "usage"),
                              (("ftp://host", short_wav()), "bad URL"),
                              (("--speed", "-1", ws_url(server), short_wav()), "--speed"),
                              (("--insecure", "--ca", "x.pem", ws_url(server), short_wav()), "exclude")):
            proc = listen(*args)
            self.assertEqual(proc.returncode, 2, (args, proc.stderr))
            self.assertIn(pattern, proc.stderr)
            self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        proc = listen(ws_url(server), os.path.join(tmp, "missing.wav"))
        self.assertEqual(proc.returncode, 4, proc.stderr)
        not_audio = os.path.join(tmp, "not-audio.wav")
        with open(not_audio, "w") as f:
            f.write("this is not audio\n" * 20)
        proc = listen(ws_url(server), not_audio)
        self.assertEqual(proc.returncode, 3, proc.stderr)

    def test_keys(self):
        data_dir = os.path.join(tmp, "keys")
        key = vt.create_key(data_dir, "listen")
        with vt.Server("--threads", "1", "--data-dir", data_dir) as keyed:
            proc = listen("--speed", "0", "--key", "sk-wrong", ws_url(keyed), short_wav())
            self.assertEqual(proc.returncode, 6, proc.stderr)
            self.assertRegex(proc.stderr, r"^vox: the server refused the API key \(HTTP 401\): .+\n$")
            proc = listen("--speed", "0", ws_url(keyed), short_wav())  # no key at all
            self.assertEqual(proc.returncode, 6, proc.stderr)
            proc = listen("--speed", "0", keyed.base + "/v1", short_wav(), env={"VOX_API_KEY": key})
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(len(finals(proc.stdout)), 1, proc.stdout)

    def test_tls(self):
        cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        srv = TlsServer(cert, key)
        try:
            proc = listen("--speed", "0", "--ca", cert, ws_url(srv, "wss"), short_wav())
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(len(finals(proc.stdout)), 1, proc.stdout)
            proc = listen("--speed", "0", "--insecure", f"https://localhost:{srv.port}", short_wav())
            self.assertEqual(proc.returncode, 0, proc.stderr)
            # Untrusted: the system store does not know the self-signed certificate.
            proc = listen("--speed", "0", ws_url(srv, "wss"), short_wav())
            self.assertEqual(proc.returncode, 5, proc.stderr)
            self.assertRegex(proc.stderr, r"^vox: TLS handshake with 127\.0\.0\.1:\d+ failed: self.signed certificate")
            # The certificate names 127.0.0.1, not localhost.
            proc = listen("--speed", "0", "--ca", cert, f"wss://localhost:{srv.port}", short_wav())
            self.assertEqual(proc.returncode, 5, proc.stderr)
            self.assertIn("hostname mismatch", proc.stderr)
            # ws:// against the TLS port, wss:// against the plain one.
            proc = listen("--speed", "0", ws_url(srv), short_wav())
            self.assertEqual(proc.returncode, 5, proc.stderr)
            proc = listen("--speed", "0", ws_url(server, "wss"), short_wav())
            self.assertEqual(proc.returncode, 5, proc.stderr)
            self.assertIn("TLS handshake", proc.stderr)
        finally:
            srv.stop()


class TlsServer:
    """`vox serve --tls-cert --tls-key`; ready when /ready answers over HTTPS."""

    def __init__(self, cert, key):
        import ssl
        import time
        import urllib.request
        self.port = vt.free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="vox-serve-tls-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([vt.VOX_BIN, "serve", "--port", str(self.port), "--threads", "1",
                                      "--tls-cert", cert, "--tls-key", key], stdout=self.log, stderr=subprocess.STDOUT)
        context = ssl.create_default_context(cafile=cert)
        deadline = time.time() + 60
        while True:
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"vox serve --tls-cert did not start: {open(self.log.name).read()[-2000:]}")
            try:
                with urllib.request.urlopen(f"https://127.0.0.1:{self.port}/ready", context=context, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    unittest.main()
