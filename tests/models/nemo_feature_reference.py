#!/usr/bin/python3
"""Reference NeMo log-mel features for tests/unit/asr, computed independently with numpy
(np.fft.rfft, vectorised filterbank) so the C++ extractor is checked against a second
implementation of NeMo's FilterbankFeatures (eval mode).

Usage: nemo_feature_reference.py OUTDIR
Writes, per case NAME: NAME.signal.f32 (16 kHz mono float32) and NAME.n{MELS}.{norm}.f32
(frames x mels float32, frame-major) for MELS in 64/80/128 and norm in per_feature/none, and
NAME.whisper{80,128}.f32: Whisper's log-mel (mels x 3000, channel-first).
"""
import os
import sys

import numpy as np

SR, WIN, HOP, NFFT = 16000, 400, 160, 512


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_hz / f_sp + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, f / f_sp)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filters(n_mels):
    freqs = np.linspace(0, SR / 2, NFFT // 2 + 1)
    pts = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2), n_mels + 2))
    fdiff = np.diff(pts)
    ramps = pts[:, None] - freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    w = np.maximum(0, np.minimum(lower, upper))
    return w * (2.0 / (pts[2:] - pts[:-2]))[:, None]


def features(x, n_mels, normalize):
    x = x.astype(np.float64)
    y = np.concatenate([x[:1], x[1:] - 0.97 * x[:-1]])
    y = np.pad(y, (NFFT // 2, NFFT // 2))
    n = np.arange(WIN)
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * n / (WIN - 1))
    window = np.zeros(NFFT)
    window[(NFFT - WIN) // 2:(NFFT - WIN) // 2 + WIN] = hann
    frames = len(x) // HOP + 1
    idx = np.arange(frames)[:, None] * HOP + np.arange(NFFT)[None, :]
    spec = np.abs(np.fft.rfft(y[idx] * window, axis=1)) ** 2
    logmel = np.log(spec @ mel_filters(n_mels).T + 2.0 ** -24)
    if normalize:
        logmel = (logmel - logmel.mean(axis=0)) / (logmel.std(axis=0, ddof=1) + 1e-5)
    return logmel.astype(np.float32)


def whisper_features(x, n_mels):
    """OpenAI's whisper.audio.log_mel_spectrogram: 30 s, reflect-padded centred STFT, periodic Hann."""
    x = np.concatenate([x.astype(np.float64), np.zeros(max(0, 30 * SR - len(x)))])[:30 * SR]
    y = np.pad(x, (200, 200), mode="reflect")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(400) / 400)
    idx = np.arange(3000)[:, None] * HOP + np.arange(400)[None, :]
    spec = np.abs(np.fft.rfft(y[idx] * window, axis=1)) ** 2          # (3000, 201)
    freqs = np.linspace(0, SR / 2, 201)
    pts = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2), n_mels + 2))
    ramps = pts[:, None] - freqs[None, :]
    fdiff = np.diff(pts)
    w = np.maximum(0, np.minimum(-ramps[:-2] / fdiff[:-1, None], ramps[2:] / fdiff[1:, None]))
    w *= (2.0 / (pts[2:] - pts[:-2]))[:, None]
    m = np.log10(np.maximum(w @ spec.T, 1e-10))                        # (mels, 3000)
    m = np.maximum(m, m.max() - 8.0)
    return ((m + 4.0) / 4.0).astype(np.float32)


def cases():
    rng = np.random.RandomState(7)
    t = np.arange(int(1.23 * SR)) / SR
    chirp = 0.3 * np.sin(2 * np.pi * (100 * t + 2000 * t * t))
    yield "chirp", (chirp + 0.01 * rng.randn(len(t))).astype(np.float32)
    yield "noise", (0.1 * rng.randn(SR // 2 + 77)).astype(np.float32)
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(HOP * 12) / SR)  # exact multiple of the hop
    yield "tone", tone.astype(np.float32)
    yield "short", (0.2 * rng.randn(300)).astype(np.float32)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, x in cases():
        x.tofile(os.path.join(out, f"{name}.signal.f32"))
        for mels in (80, 128):
            tmp = os.path.join(out, f".{name}.{os.getpid()}.tmp")
            whisper_features(x, mels).tofile(tmp)
            os.replace(tmp, os.path.join(out, f"{name}.whisper{mels}.f32"))
        for mels in (64, 80, 128):
            for norm in ("per_feature", "none"):
                f = features(x, mels, norm == "per_feature")
                tmp = os.path.join(out, f".{name}.{os.getpid()}.tmp")
                f.tofile(tmp)
                os.replace(tmp, os.path.join(out, f"{name}.n{mels}.{norm}.f32"))


if __name__ == "__main__":
    main()
