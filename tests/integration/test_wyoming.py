"""vox serve --wyoming-port: a Wyoming client written here from the protocol description (one JSON
header line, then data_length bytes of JSON, then payload_length bytes of payload) transcribes and
synthesises; bad frames, bad JSON, wrong audio formats and oversize messages get an error event
or a close, and the server keeps answering."""
import json
import math
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import unittest
import wave

import voxtest as vt

COMMAND = "turn on the kitchen lights and set the temperature to twenty degrees"
WER_MAX = 0.3

server = None
wyoming_port = None
tmp = None


def setUpModule():
    global server, wyoming_port, tmp
    tmp = tempfile.mkdtemp(prefix="vox-wyoming-")
    wyoming_port = vt.free_port()
    server = vt.Server("--threads", "2", "--wyoming-port", str(wyoming_port))


def tearDownModule():
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)


class Client:
    """A minimal Wyoming client over one TCP connection."""

    def __init__(self, timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", wyoming_port), timeout=timeout)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, type_, data=None, payload=b"", inline=False):
        header = {"type": type_}
        body = b""
        if data is not None:
            if inline:
                header["data"] = data
            else:
                body = json.dumps(data).encode()
                header["data_length"] = len(body)
        if payload:
            header["payload_length"] = len(payload)
        self.send_raw(json.dumps(header).encode() + b"\n" + body + payload)

    def _read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _read_line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def read(self):
        """(type, data, payload), or EOFError when the server closed the connection."""
        header = json.loads(self._read_line())
        data = dict(header.get("data") or {})
        if header.get("data_length"):
            data.update(json.loads(self._read_exact(header["data_length"])))
        payload = self._read_exact(header["payload_length"]) if header.get("payload_length") else b""
        return header["type"], data, payload

    def read_until(self, *types):
        events = []
        while True:
            e = self.read()
            events.append(e)
            if e[0] in types:
                return events


def describe(client=None):
    c = client or Client()
    try:
        c.send("describe")
        t, data, _ = c.read()
        assert t == "info", t
        return data
    finally:
        if client is None:
            c.close()


def flite_wav(text, voice="slt"):
    path = os.path.join(tmp, f"{abs(hash((text, voice)))}.wav")
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", path], check=True)
    with wave.open(path) as w:
        return w.getframerate(), w.getsampwidth(), w.getnchannels(), w.readframes(w.getnframes())


def stream_audio(c, rate, width, channels, pcm, samples_per_chunk=1024):
    c.send("audio-start", {"rate": rate, "width": width, "channels": channels})
    step = samples_per_chunk * width * channels
    for i in range(0, len(pcm), step):
        c.send("audio-chunk", {"rate": rate, "width": width, "channels": channels, "timestamp": 0}, pcm[i:i + step])


def transcribe(c, rate, width, channels, pcm, **transcribe_data):
    """Returns (events after audio-stop, seconds from audio-stop to transcript)."""
    c.send("transcribe", transcribe_data or {"language": "en"})
    stream_audio(c, rate, width, channels, pcm)
    t0 = time.perf_counter()
    c.send("audio-stop", {"timestamp": 0})
    events = c.read_until("transcript", "error")
    return events, time.perf_counter() - t0


def rms16(pcm):
    n = len(pcm) // 2
    if n == 0:
        return 0.0
    samples = struct.unpack(f"<{n}h", pcm[:2 * n])
    return math.sqrt(sum(s * s for s in samples) / n)


class WyomingTest(unittest.TestCase):
    def test_describe_lists_recognisers_and_voices(self):
        info = describe()
        asr_models = [m["name"] for p in info["asr"] for m in p["models"]]
        self.assertIn("sphinx", asr_models)
        self.assertTrue(all("supports_transcript_streaming" in p for p in info["asr"]))
        voices = [v["name"] for p in info["tts"] for v in p["voices"]]
        self.assertIn("slt", voices)
        self.assertTrue(all("supports_synthesize_streaming" in p for p in info["tts"]))
        for p in info["asr"] + info["tts"]:
            for key in ("name", "attribution", "installed", "description", "version"):
                self.assertIn(key, p)

    def test_transcribe_a_spoken_command(self):
        rate, width, channels, pcm = flite_wav(COMMAND)
        self.assertEqual((width, channels), (2, 1))
        c = Client()
        try:
            for attempt in range(2):  # the second run is warm: that one is the latency
                events, took = transcribe(c, rate, width, channels, pcm, name="sphinx", language="en")
            types = [e[0] for e in events]
            self.assertEqual(types[-1], "transcript", events)
            self.assertEqual(types[0], "transcript-start")
            self.assertIn("transcript-stop", types)
            text = events[-1][1]["text"]
            self.assertLessEqual(vt.wer(COMMAND, text)["wer"], WER_MAX, text)
            chunks = " ".join(e[1]["text"] for e in events if e[0] == "transcript-chunk")
            self.assertEqual(chunks.split(), text.split())
            print(f"\nwyoming: {len(pcm) / 2 / rate:.2f} s command → transcript {took * 1000:.0f} ms after audio-stop: {text!r}")
            # The same connection still serves describe.
            self.assertIn("asr", describe(c))
        finally:
            c.close()

    def test_transcribe_other_rates_and_stereo(self):
        rate, width, channels, pcm = flite_wav(COMMAND)
        samples = struct.unpack(f"<{len(pcm) // 2}h", pcm)
        # 3x the rate by repetition, two identical channels.
        up = struct.pack(f"<{len(samples) * 6}h", *(s for s in samples for _ in range(6)))
        c = Client()
        try:
            events, _ = transcribe(c, rate * 3, 2, 2, up)
            self.assertEqual(events[-1][0], "transcript", events)
            self.assertLessEqual(vt.wer(COMMAND, events[-1][1]["text"])["wer"], WER_MAX, events[-1][1]["text"])
        finally:
            c.close()

    def test_synthesize_two_sentences(self):
        c = Client()
        try:
            t0 = time.perf_counter()
            c.send("synthesize", {"text": "Hello from vox. This is the second sentence.", "voice": {"name": "slt"}})
            events, first_chunk = [], None
            while True:
                e = c.read()
                if e[0] == "audio-chunk" and first_chunk is None:
                    first_chunk = time.perf_counter() - t0
                events.append(e)
                if e[0] in ("audio-stop", "error"):
                    break
            types = [e[0] for e in events]
            self.assertEqual(types[0], "audio-start", types)
            self.assertEqual(types[-1], "audio-stop", types)
            chunks = [e for e in events if e[0] == "audio-chunk"]
            self.assertGreaterEqual(len(chunks), 2)
            start = events[0][1]
            self.assertEqual((start["width"], start["channels"]), (2, 1))
            for _, data, payload in chunks:
                self.assertEqual(data["rate"], start["rate"])
                self.assertEqual(len(payload) % 2, 0)
            audio = b"".join(p for _, _, p in chunks)
            self.assertGreater(len(audio) / 2 / start["rate"], 1.0)
            self.assertGreater(rms16(audio), 300)
        finally:
            c.close()

    def test_first_chunk_latency_for_fifty_characters(self):
        text = "Please turn off the lights in the living room now."  # 50 characters
        self.assertEqual(len(text), 50)
        c = Client()
        try:
            best = None
            for _ in range(3):
                t0 = time.perf_counter()
                c.send("synthesize", {"text": text, "voice": {"name": "slt"}})
                first = None
                while True:
                    t, _, _ = c.read()
                    if t == "audio-chunk" and first is None:
                        first = time.perf_counter() - t0
                    if t in ("audio-stop", "error"):
                        break
                self.assertIsNotNone(first)
                best = first if best is None else min(best, first)
            print(f"\nwyoming: first audio-chunk for 50 characters after {best * 1000:.0f} ms")
        finally:
            c.close()

    def test_streamed_text_is_spoken_sentence_by_sentence(self):
        c = Client()
        try:
            c.send("synthesize-start", {"voice": {"name": "slt"}})
            c.send("synthesize-chunk", {"text": "The first sentence is "})
            c.send("synthesize-chunk", {"text": "here. And the sec"})
            # The finished sentence is spoken before the rest of the text arrives.
            t, data, _ = c.read()
            self.assertEqual(t, "audio-start")
            t, data, payload = c.read()
            self.assertEqual(t, "audio-chunk")
            self.assertGreater(len(payload), 0)
            c.send("synthesize", {"text": "The first sentence is here. And the second one."})  # ignored while streaming
            c.send("synthesize-chunk", {"text": "ond one."})
            c.send("synthesize-stop")
            events = c.read_until("synthesize-stopped", "error")
            types = [e[0] for e in events]
            self.assertEqual(types, ["audio-chunk", "audio-stop", "synthesize-stopped"])
        finally:
            c.close()

    def assert_error_or_close(self, c):
        try:
            t, data, _ = c.read()
        except (EOFError, ConnectionError):
            return None
        self.assertEqual(t, "error")
        self.assertIn("text", data)
        self.assertIn("code", data)
        return data

    def test_bad_input_gets_an_error_or_a_close(self):
        cases = {
            "bad header line": lambda c: c.send_raw(b"this is not json\n"),
            "header without type": lambda c: c.send_raw(b'{"data": {}}\n'),
            "bad data json": lambda c: c.send_raw(b'{"type": "synthesize", "data_length": 6}\n{oops}'),
            "oversize data_length": lambda c: c.send_raw(b'{"type": "synthesize", "data_length": 99999999}\n'),
            "oversize payload_length": lambda c: c.send_raw(b'{"type": "audio-chunk", "payload_length": 99999999}\n'),
            "endless header": lambda c: c.send_raw(b"{" + b" " * (70 * 1024)),
        }
        for name, act in cases.items():
            with self.subTest(name):
                c = Client(timeout=20)
                try:
                    act(c)
                    self.assert_error_or_close(c)
                finally:
                    c.close()
                self.assertIn("asr", describe())

    def test_wrong_audio_gets_an_error_and_the_connection_stays_usable(self):
        c = Client(timeout=20)
        try:
            c.send("audio-chunk", {"rate": 16000, "width": 2, "channels": 1}, b"\0\0" * 100)
            err = self.assert_error_or_close(c)
            self.assertIsNotNone(err)  # before audio-start
            c.send("audio-start", {"rate": 16000, "width": 3, "channels": 1})
            c.send("audio-chunk", {"rate": 16000, "width": 3, "channels": 1}, b"\0\0\0" * 100)
            err = self.assert_error_or_close(c)
            self.assertEqual(err["code"], "invalid_audio")
            c.send("audio-chunk", {"rate": 16000, "width": 3, "channels": 1}, b"\0\0\0" * 100)  # same stream: ignored
            c.send("audio-stop")
            c.send("audio-start", {"rate": 16000, "width": 2, "channels": 1})
            c.send("audio-chunk", {"rate": 16000, "width": 2, "channels": 1}, b"\0" * 3)  # half a sample
            self.assertEqual(self.assert_error_or_close(c)["code"], "invalid_audio")
            c.send("audio-stop")
            c.send("synthesize", {"text": "hello", "voice": {"name": "no-such-voice"}})
            self.assertEqual(self.assert_error_or_close(c)["code"], "invalid_argument")
            self.assertIn("asr", describe(c))
        finally:
            c.close()

    def test_client_that_leaves_mid_stream(self):
        rate, width, channels, pcm = flite_wav("hello there")
        c = Client()
        stream_audio(c, rate, width, channels, pcm[: len(pcm) // 2])
        c.close()
        c = Client()
        c.send("synthesize", {"text": "A long text. " * 20})
        c.close()
        self.assertIn("asr", describe())
        self.assertEqual(vt.request("GET", server.url("/health"))[0], 200)


class WyomingStartupTest(unittest.TestCase):
    def test_non_loopback_needs_insecure_no_auth(self):
        # With an API key the HTTP API may serve 0.0.0.0, but Wyoming has no authentication.
        data_dir = tempfile.mkdtemp(prefix="vox-wyoming-keys-")
        try:
            vt.create_key(data_dir, "k")
            proc = subprocess.run([vt.VOX_BIN, "serve", "--data-dir", data_dir, "--host", "0.0.0.0", "--port",
                                   str(vt.free_port()), "--wyoming-port", str(vt.free_port())],
                                  capture_output=True, text=True, timeout=60)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("Wyoming", proc.stderr)
            self.assertIn("--insecure-no-auth", proc.stderr)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
