"""Scale-out over Redis with the real binaries: a private redis-server on a loopback port, one
`vox serve --queue` (no engines of its own) and two `vox worker`s. Ten jobs survive a worker killed
with SIGKILL mid-job (exactly one result each, correct text); SIGTERM drains a worker; and the
shared job cases of job_cases.py pass here as they do in-process (test_jobs.py)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import job_cases as jc
import voxtest as vt

LEASE = "2s"  # short, so a killed worker's job moves on quickly
# Pooled WER of the ten clips below with sphinx, measured at 0.14 (sync route, same engine);
# the bound sits above it.
TEN_JOBS_WER_MAX = 0.25

redis_proc = None
redis_url = None
data_dir = None
server = None
workers = []
keys = {}


def start_redis():
    port = vt.free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return proc, f"redis://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def redis_cli(*args):
    port = redis_url.rsplit(":", 1)[1]
    return subprocess.run(["redis-cli", "-p", port, *args], capture_output=True, text=True).stdout.strip()


class Worker:
    """A `vox worker` process; its log is its stderr (one JSON object per job event)."""

    def __init__(self, name):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"vox-{name}-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([vt.VOX_BIN, "worker", "--queue", redis_url, "--threads", "1", "--job-lease", LEASE,
                                      "--name", name, "--data-dir", data_dir],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while "worker running" not in self.logs():
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"worker {name} did not start: {self.logs()}")
            time.sleep(0.05)

    def logs(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()

    def events(self):
        out = []
        for line in self.logs().splitlines():
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out

    def started(self, job_id):
        return any(e.get("event") == "job_started" and e.get("job") == job_id for e in self.events())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def setUpModule():
    global redis_proc, redis_url, data_dir, server
    redis_proc, redis_url = start_redis()
    data_dir = tempfile.mkdtemp(prefix="vox-redis-jobs-")
    keys["a"] = vt.create_key(data_dir, "a")
    keys["b"] = vt.create_key(data_dir, "b")
    jc.long_wav()
    server = vt.Server("--threads", "1", "--data-dir", data_dir, "--queue", redis_url)
    workers.extend([Worker("w1"), Worker("w2")])


def tearDownModule():
    for w in workers:
        w.stop()
    if server:
        server.stop()
    if redis_proc:
        redis_proc.terminate()
        redis_proc.wait()
    shutil.rmtree(data_dir, ignore_errors=True)


def wait_started(job_id, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for w in workers:
            if w.proc.poll() is None and w.started(job_id):
                return w
        time.sleep(0.05)
    raise AssertionError(f"no worker started {job_id}")


def replace(worker):
    workers.remove(worker)
    workers.append(Worker(worker.name + "r"))


class A_KilledWorker(unittest.TestCase):
    def test_ten_jobs_survive_a_worker_killed_mid_job(self):
        corpus = vt.corpus("smoke")
        refs = vt.librivox_references()
        clips = [(jc.LIBRIVOX[n], refs[f"sense_and_sensibility_01_austen_64kb-{n}"]) for n in sorted(jc.LIBRIVOX)]
        clips += [jc.utterance(n) for n in ("slt_000", "rms_000", "awb_002", "kal16_002")]
        with open(os.path.join(corpus, "smoke_000.txt")) as f:
            clips.insert(2, (os.path.join(corpus, "smoke_000.wav"), f.read()))  # long enough to be killed in
        self.assertEqual(len(clips), 10)
        ids = []
        for path, _ in clips:
            status, _, job = jc.submit(server, path, [("response_format", "json")], keys["a"])
            self.assertEqual(status, 202, job)
            ids.append(job["id"])
        long_id = ids[2]
        victim = wait_started(long_id)
        time.sleep(0.5)  # well inside the job (several seconds of work)
        victim.proc.send_signal(signal.SIGKILL)
        victim.proc.wait()
        self.assertFalse(any(e.get("event") == "job_finished" and e.get("job") == long_id for e in victim.events()),
                         "the victim must die while running the job")
        finals = [jc.poll(server, i, keys["a"], timeout=120)[0] for i in ids]
        self.assertEqual([f["status"] for f in finals], ["succeeded"] * 10, finals)
        self.assertEqual(finals[2]["attempts"], 2, "the killed worker's job ran again elsewhere")
        # Exactly one result each: one outcome key in Redis, one winning job_finished in the logs.
        survivors = [w for w in workers if w is not victim]
        for i in ids:
            self.assertEqual(redis_cli("EXISTS", f"vox:job:{i}:outcome"), "1")
            wins = [e for w in workers for e in w.events()
                    if e.get("event") == "job_finished" and e.get("job") == i and e.get("detail") == "succeeded"]
            self.assertEqual(len(wins), 1, (i, wins))
        self.assertTrue(any(w.started(long_id) for w in survivors))
        hyp = " ".join(f["result"]["text"] for f in finals)
        ref = " ".join(r for _, r in clips)
        self.assertLess(jc.wer(ref, hyp), TEN_JOBS_WER_MAX)
        self.assertEqual(redis_cli("XLEN", "vox:jobs:stream"), "0", "every entry acknowledged and deleted")
        replace(victim)

    def test_sigterm_finishes_the_running_job_then_exits_0(self):
        status, _, job = jc.submit(server, os.path.join(vt.corpus("smoke"), "smoke_001.wav"), [], keys["a"])
        self.assertEqual(status, 202)
        w = wait_started(job["id"])
        w.proc.send_signal(signal.SIGTERM)
        self.assertEqual(w.proc.wait(timeout=60), 0, w.logs())
        final, _ = jc.poll(server, job["id"], keys["a"], timeout=30)
        self.assertEqual(final["status"], "succeeded")
        self.assertEqual(final["attempts"], 1, "finished by the draining worker itself")
        names = [e["event"] for e in w.events()]
        self.assertLess(names.index("job_finished"), names.index("worker_stopped"))
        replace(w)


class B_RedisJobs(jc.JobCases, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.key_a, cls.key_b = server, keys["a"], keys["b"]

    def test_the_server_runs_no_engines(self):
        with open(server.log.name, errors="replace") as f:
            log = f.read()
        self.assertIn("0 local worker(s)", log)
        self.assertNotIn("job_started", log)


if __name__ == "__main__":
    unittest.main()
