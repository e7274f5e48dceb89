"""The async jobs API cases, shared by test_jobs.py (in-process adapters) and test_redis_workers.py
(serve --queue + vox worker processes over Redis): both must pass the same table of cases.

A concrete test class mixes JobCases into unittest.TestCase and sets, in setUpClass:
  server  - a vt.Server (or anything with .url(path))
  key_a, key_b - two API keys of that server
"""
import json
import os
import socket
import time
import urllib.parse

import voxtest as vt

LIBRIVOX = {name: os.path.join(vt.LIBRIVOX_DIR, f"sense_and_sensibility_01_austen_64kb-{name}.wav")
            for name in ("0870", "0880", "0890", "0920", "0930")}
TERMINAL = ("succeeded", "failed", "cancelled")


def long_wav():
    """The three smoke conversations back to back (~95 s of audio, over 20 s of work on 2 cores)."""
    corpus = vt.corpus("smoke")
    out = os.path.join(vt.CACHE_DIR, "smoke-1-joined.wav")
    if not os.path.exists(out):
        parts = [os.path.join(corpus, f"smoke_00{i}.wav") for i in range(3)]
        inputs = [a for p in parts for a in ("-i", p)]
        tmp = out + f".{os.getpid()}.wav"
        vt.ffmpeg(*inputs, "-filter_complex", "concat=n=3:v=0:a=1", tmp)
        os.replace(tmp, out)
    return out


def utterance(name="slt_000"):
    """(wav path, reference text) of one smoke-corpus utterance."""
    d = os.path.join(vt.corpus("smoke"), "utterances")
    with open(os.path.join(d, name + ".txt")) as f:
        return os.path.join(d, name + ".wav"), f.read().strip()


def wer(reference, hypothesis):
    return vt.wer(reference, hypothesis)["wer"]


def submit(server, path, fields=(), key=None):
    with open(path, "rb") as f:
        data = f.read()
    status, headers, body = vt.post_form(server.url("/v1/jobs"), fields, [("file", os.path.basename(path), data)],
                                         vt.bearer(key) if key else None)
    return status, headers, json.loads(body)


def get_job(server, job_id, key=None, **query):
    path = f"/v1/jobs/{job_id}" + ("?" + urllib.parse.urlencode(query) if query else "")
    status, _, body = vt.request("GET", server.url(path), headers=vt.bearer(key) if key else None)
    return status, json.loads(body)


def poll(server, job_id, key, timeout=120, interval=0.1):
    """Polls until the job ends; returns (final job, every job object seen)."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, job = get_job(server, job_id, key)
        assert status == 200, job
        seen.append(job)
        if job["status"] in TERMINAL:
            return job, seen
        time.sleep(interval)
    raise AssertionError(f"job {job_id} still {seen[-1]['status']} after {timeout}s")


def events(server, job_id, key, timeout=120):
    """Reads GET /v1/jobs/{id}/events to its end; returns [(event, data dict)]."""
    status, headers, body = vt.request("GET", server.url(f"/v1/jobs/{job_id}/events"),
                                       headers=vt.bearer(key) if key else None, timeout=timeout)
    assert status == 200, body
    assert headers["content-type"].startswith("text/event-stream"), headers
    out = []
    for block in body.decode().split("\n\n"):
        lines = [l for l in block.split("\n") if l and not l.startswith(":")]
        if not lines:
            continue
        fields = dict(l.split(": ", 1) for l in lines)
        out.append((fields["event"], json.loads(fields["data"])))
    return out


class JobCases:
    server = None
    key_a = None
    key_b = None

    def test_submit_then_poll_progress_to_completion(self):
        wav, ref = utterance("slt_000")
        status, headers, job = submit(self.server, wav, [("response_format", "verbose_json")], self.key_a)
        self.assertEqual(status, 202, job)
        self.assertEqual(job["object"], "job")
        self.assertTrue(job["id"].startswith("job_"))
        self.assertIn(job["status"], ("queued", "running"))
        self.assertEqual(headers.get("location"), "/v1/jobs/" + job["id"])
        final, seen = poll(self.server, job["id"], self.key_a, interval=0.05)
        self.assertEqual(final["status"], "succeeded", final)
        progress = [j["progress"] for j in seen]
        self.assertEqual(progress, sorted(progress), "progress must never go backwards")
        self.assertEqual(final["progress"], 1.0)
        self.assertGreater(final["elapsed_s"], 0)
        self.assertEqual(final["eta_s"], 0)
        self.assertIsNone(final["error"])
        self.assertLessEqual(final["created_at"], final["started_at"])
        self.assertLessEqual(final["started_at"], final["finished_at"])
        result = final["result"]
        self.assertIsInstance(result, dict, "verbose_json is embedded as an object")
        self.assertIn("segments", result)
        self.assertLess(wer(ref, result["text"]), 0.3, result["text"])  # measured 0.13

    def test_events_arrive_in_order_and_end_with_done(self):
        status, _, job = submit(self.server, LIBRIVOX["0870"], [("response_format", "srt")], self.key_a)
        self.assertEqual(status, 202, job)
        evs = events(self.server, job["id"], self.key_a)
        names = [e for e, _ in evs]
        self.assertGreaterEqual(len(names), 1)
        self.assertEqual(names[-1], "done", names)
        self.assertEqual(names.count("done"), 1)
        self.assertTrue(all(n == "progress" for n in names[:-1]), names)
        progress = [d["progress"] for e, d in evs if e == "progress"]
        self.assertEqual(progress, sorted(progress))
        for e, d in evs[:-1]:
            self.assertIn("stage", d)
            self.assertIn("eta_s", d)
        done = evs[-1][1]
        self.assertEqual(done["status"], "succeeded")
        ok, out = vt.check_subtitles("srt", done["result"])
        self.assertTrue(ok, out)
        # A finished job's stream is just the final event.
        again = events(self.server, job["id"], self.key_a)
        self.assertEqual([e for e, _ in again], ["done"])

    def test_cancel_stops_the_work(self):
        status, _, job = submit(self.server, long_wav(), [("response_format", "json")], self.key_a)
        self.assertEqual(status, 202, job)
        deadline = time.time() + 60
        while time.time() < deadline:
            _, j = get_job(self.server, job["id"], self.key_a)
            if j["status"] == "running" and j["progress"] >= 0.15:  # the recogniser is at work
                break
            time.sleep(0.05)
        self.assertEqual(j["status"], "running", j)
        t0 = time.time()
        status, _, body = vt.request("DELETE", self.server.url(f"/v1/jobs/{job['id']}"), headers=vt.bearer(self.key_a))
        self.assertEqual(status, 200, body)
        final, _ = poll(self.server, job["id"], self.key_a, timeout=30)
        stopped_after = time.time() - t0
        self.assertEqual(final["status"], "cancelled", final)
        self.assertLess(stopped_after, 10.0, "engines stop at the next chunk (a full run takes over 20 s)")
        self.assertNotIn("result", final)
        # The worker is free again: a short job right after runs at once.
        wav, _ = utterance("rms_000")
        _, _, nxt = submit(self.server, wav, [], self.key_a)
        done, _ = poll(self.server, nxt["id"], self.key_a, timeout=30)
        self.assertEqual(done["status"], "succeeded")
        self.assertLess(done["started_at"] - done["created_at"], 5.0)

    def test_cancel_of_a_finished_job_changes_nothing(self):
        wav, _ = utterance("slt_001")
        _, _, job = submit(self.server, wav, [], self.key_a)
        poll(self.server, job["id"], self.key_a)
        status, _, body = vt.request("DELETE", self.server.url(f"/v1/jobs/{job['id']}"), headers=vt.bearer(self.key_a))
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "succeeded")

    def test_only_the_creating_key_sees_a_job(self):
        wav, _ = utterance("slt_001")
        status, _, job = submit(self.server, wav, [], self.key_a)
        self.assertEqual(status, 202)
        jid = job["id"]
        for method, path in (("GET", f"/v1/jobs/{jid}"), ("GET", f"/v1/jobs/{jid}/events"), ("DELETE", f"/v1/jobs/{jid}")):
            status, _, body = vt.request(method, self.server.url(path), headers=vt.bearer(self.key_b))
            self.assertEqual(status, 404, (method, path, body))
            self.assertEqual(vt.error_of(body)["code"], "not_found")
        status, _, body = vt.request("GET", self.server.url(f"/v1/jobs/{jid}"))
        self.assertEqual(status, 401, "no key at all is refused before any lookup")
        final, _ = poll(self.server, jid, self.key_a)
        self.assertEqual(final["status"], "succeeded")
        status, _ = get_job(self.server, jid, self.key_b)
        self.assertEqual(status, 404)

    def test_result_re_renders_as_valid_srt_and_vtt(self):
        wav = os.path.join(vt.corpus("smoke"), "smoke_002.wav")
        _, _, job = submit(self.server, wav, [("response_format", "verbose_json"), ("diarize", "true")], self.key_a)
        final, _ = poll(self.server, job["id"], self.key_a)
        self.assertEqual(final["status"], "succeeded", final)
        status, srt = get_job(self.server, job["id"], self.key_a, format="srt")
        self.assertEqual(status, 200)
        self.assertEqual(srt["response_format"], "srt")
        ok, out = vt.check_subtitles("srt", srt["result"])
        self.assertTrue(ok, out)
        self.assertIn("[A]", srt["result"], "speakers survive the round trip through the store")
        status, vtt = get_job(self.server, job["id"], self.key_a, format="vtt")
        ok, out = vt.check_subtitles("vtt", vtt["result"])
        self.assertTrue(ok, out)
        _, text = get_job(self.server, job["id"], self.key_a, format="text")
        self.assertEqual(text["result"].strip(), final["result"]["text"].strip())
        status, body = get_job(self.server, job["id"], self.key_a, format="docx")
        self.assertEqual(status, 400, body)

    def test_text_stage_results_are_kept_and_exported_with_renamed_speakers(self):
        wav = os.path.join(vt.corpus("smoke"), "smoke_001.wav")
        fields = [("response_format", "verbose_json"), ("diarize", "true"), ("detect_paragraphs", "true"),
                  ("detect_sentiment", "true"), ("detect_entities", "true")]
        _, _, job = submit(self.server, wav, fields, self.key_a)
        final, _ = poll(self.server, job["id"], self.key_a)
        self.assertEqual(final["status"], "succeeded", final)
        result = final["result"]
        self.assertTrue(result["paragraphs"], result)
        self.assertIn(result["sentiment"]["label"], ("positive", "neutral", "negative"))
        # Re-rendered in another format later, the job still has what the request asked for.
        _, again = get_job(self.server, job["id"], self.key_a, format="diarized_json")
        self.assertEqual(again["result"]["paragraphs"], result["paragraphs"])
        self.assertEqual(again["result"]["sentiment"], result["sentiment"])
        _, text = get_job(self.server, job["id"], self.key_a, format="text")
        self.assertEqual(text["result"].count("\n\n"), len(result["paragraphs"]) - 1)
        # The export route: the body itself, speakers renamed by the server's writers.
        names = urllib.parse.quote(json.dumps({"A": "Alice Smith", "B": "Bob"}))
        status, headers, body = vt.request("GET", self.server.url(f"/v1/jobs/{job['id']}/result?format=srt&speaker_names={names}"),
                                           headers=vt.bearer(self.key_a))
        self.assertEqual(status, 200, body)
        srt = body.decode()
        ok, out = vt.check_subtitles("srt", srt)
        self.assertTrue(ok, out)
        self.assertIn("[Alice Smith] ", srt)
        self.assertIn("[Bob] ", srt)
        self.assertNotIn("[A] ", srt)
        status, _, body = vt.request("GET", self.server.url(f"/v1/jobs/{job['id']}/result?format=srt&speaker_names=%5B1%5D"),
                                     headers=vt.bearer(self.key_a))
        self.assertEqual(status, 400, body)
        self.assertEqual(vt.error_of(body)["param"], "speaker_names")
        status, _, body = vt.request("GET", self.server.url(f"/v1/jobs/{job['id']}/result?format=vtt"),
                                     headers=vt.bearer(self.key_b))
        self.assertEqual(status, 404, body)  # another key's job stays invisible

    def test_bad_submissions_are_refused_up_front(self):
        wav, _ = utterance("slt_001")
        status, _, body = submit(self.server, wav, [("response_format", "pdf")], self.key_a)
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["param"], "response_format")
        status, _, body = vt.request("POST", self.server.url("/v1/jobs"), b"", {"Content-Type": "text/plain",
                                                                               **vt.bearer(self.key_a)})
        self.assertEqual(status, 400, body)

    def test_undecodable_audio_fails_the_job(self):
        path = os.path.join(vt.CACHE_DIR, "not-audio.wav")
        with open(path, "wb") as f:
            f.write(b"this is not audio at all " * 40)
        status, _, job = submit(self.server, path, [], self.key_a)
        self.assertEqual(status, 202, job)
        final, _ = poll(self.server, job["id"], self.key_a)
        self.assertEqual(final["status"], "failed")
        self.assertEqual(final["error"]["code"], "invalid_audio", final)
        self.assertEqual(set(final["error"]), {"message", "type", "param", "code"})
        evs = events(self.server, job["id"], self.key_a)
        self.assertEqual([e for e, _ in evs], ["failed"])

    def test_sync_transcription_still_works(self):
        wav, ref = utterance("rms_001")
        status, _, body = vt.transcribe(self.server, wav, headers=vt.bearer(self.key_a))
        self.assertEqual(status, 200, body)
        self.assertLess(wer(ref, json.loads(body)["text"]), 0.2)  # measured 0.0


def disconnect_mid_request(server, path, key, after_s):
    """Sends a sync transcription of `path` and hangs up `after_s` seconds later, unanswered."""
    with open(path, "rb") as f:
        data = f.read()
    body, ctype = vt.multipart([], [("file", os.path.basename(path), data)])
    host, port = server.base.split("//")[1].split(":")
    s = socket.create_connection((host, int(port)))
    head = (f"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: {host}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\nAuthorization: Bearer {key}\r\n\r\n")
    s.sendall(head.encode() + body)
    time.sleep(after_s)
    s.close()
