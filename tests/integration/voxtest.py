"""Shared helpers for vox's integration tests: start the real binary on a free port, speak HTTP
(stdlib only), make test audio with the ffmpeg CLI and the eval kit, and score with score.py."""
import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

SOURCE_DIR = os.environ.get("VOX_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
VOX_BIN = os.environ.get("VOX_BIN", os.path.join(SOURCE_DIR, "build", "vox"))
EVAL_DIR = os.environ.get("VOX_EVAL_DIR", os.path.join(SOURCE_DIR, "tests", "eval"))
LIBRIVOX_DIR = "/usr/share/pocketsphinx/test/data/librivox"
CACHE_DIR = os.environ.get("VOX_TEST_CACHE", os.path.join(tempfile.gettempdir(), "vox-test-cache"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `vox serve` process on a free loopback port; stopped with stop() or as a context manager."""

    def __init__(self, *args, env=None, wait_ready=True):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="vox-serve-", suffix=".log", delete=False)
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen([VOX_BIN, "serve", "--port", str(self.port), *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        self._wait("/ready" if wait_ready else "/health")

    def _wait(self, path, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"vox serve exited with {self.proc.returncode}: {self.logs()}")
            try:
                status, _, _ = request("GET", self.base + path, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"vox serve not {path} after {timeout}s: {self.logs()}")

    def logs(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()[-4000:]

    def url(self, path):
        return self.base + path

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def request(method, url, body=None, headers=None, timeout=600):
    """Returns (status, headers dict with lower-case keys, body bytes); never raises on HTTP errors."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def multipart(fields, files):
    """fields: [(name, value)], files: [(name, filename, bytes)] → (body, content-type)."""
    boundary = "voxtest" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += str(value).encode() + b"\r\n"
    for name, filename, data in files:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def post_form(url, fields=(), files=(), headers=None, timeout=600):
    body, ctype = multipart(list(fields), list(files))
    h = {"Content-Type": ctype}
    h.update(headers or {})
    return request("POST", url, body, h, timeout)


def transcribe(server, path, fields=(), field_name="file", route="/v1/audio/transcriptions", headers=None):
    with open(path, "rb") as f:
        data = f.read()
    return post_form(server.url(route), fields, [(field_name, os.path.basename(path), data)], headers)


def error_of(body):
    """The OpenAI error object of a response body, asserting its shape."""
    j = json.loads(body)
    err = j["error"]
    for key in ("message", "type", "param", "code"):
        assert key in err, f"error JSON lacks {key}: {j}"
    return err


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def corpus(preset, seed=1):
    """Generates (once, cached) an eval-kit corpus and returns its directory."""
    out = os.path.join(CACHE_DIR, f"{preset}-{seed}")
    os.makedirs(CACHE_DIR, exist_ok=True)
    # Test files run in parallel (ctest -j): one generates, the others wait on the lock.
    with open(out + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(os.path.join(out, "manifest.json")):
            tmp = out + ".tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            subprocess.run([sys.executable, os.path.join(EVAL_DIR, "make_corpus.py"), "--out", tmp, "--preset", preset,
                            "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
            shutil.rmtree(out, ignore_errors=True)
            os.replace(tmp, out)
    return out


def score(*args):
    """Runs score.py with --json and returns the parsed result."""
    proc = subprocess.run([sys.executable, os.path.join(EVAL_DIR, "score.py"), *args, "--json"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"score.py {' '.join(args)} failed: {proc.stderr or proc.stdout}")
    return json.loads(proc.stdout)


def check_subtitles(kind, text, *extra):
    """Runs score.py check-srt / check-vtt on `text`; returns (ok, output)."""
    with tempfile.NamedTemporaryFile("w", suffix="." + kind, delete=False) as f:
        f.write(text)
    proc = subprocess.run([sys.executable, os.path.join(EVAL_DIR, "score.py"), "check-" + kind, f.name, *extra],
                          capture_output=True, text=True)
    os.unlink(f.name)
    return proc.returncode == 0, proc.stdout + proc.stderr


def wer(reference_text, hypothesis_text):
    with tempfile.TemporaryDirectory() as d:
        ref, hyp = os.path.join(d, "ref.txt"), os.path.join(d, "hyp.txt")
        with open(ref, "w") as f:
            f.write(reference_text)
        with open(hyp, "w") as f:
            f.write(hypothesis_text)
        return score("wer", ref, hyp)["total"]


def librivox_references():
    refs = {}
    with open(os.path.join(LIBRIVOX_DIR, "transcription")) as f:
        for line in f:
            text, _, rest = line.rpartition("(")
            refs[rest.strip().rstrip(")")] = text.replace("<s>", "").replace("</s>", "").strip()
    return refs


def vox_keys(data_dir, *args):
    """Runs `vox keys ARGS --data-dir DIR`; returns the CompletedProcess (text mode)."""
    return subprocess.run([VOX_BIN, "keys", *args, "--data-dir", data_dir], capture_output=True, text=True)


def create_key(data_dir, name, *limits):
    """Creates an API key with `vox keys create` and returns the secret it printed once."""
    proc = vox_keys(data_dir, "create", "--name", name, *limits)
    if proc.returncode != 0:
        raise AssertionError(f"vox keys create {name} failed: {proc.stderr}")
    return proc.stdout.strip().splitlines()[0]


def bearer(key):
    return {"Authorization": f"Bearer {key}"}
