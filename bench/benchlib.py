"""What the benchmark scripts share: the podcast18 corpus, timing under GNU time, WER.
Python 3 standard library only."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GNU_TIME = "/usr/bin/time"


def die(message, who="bench"):
    print(f"{who}: {message}", file=sys.stderr)
    sys.exit(1)


def ensure_podcast18(eval_dir, corpus_dir):
    """Generates podcast18 (seed 1) once; later runs reuse the cached files. Returns its WAV."""
    wavs = sorted(Path(corpus_dir).glob("podcast18_*.wav"))
    if wavs and (Path(corpus_dir) / "manifest.json").exists():
        return wavs[0]
    print(f"generating podcast18 into {corpus_dir} ...", file=sys.stderr)
    subprocess.run([sys.executable, str(Path(eval_dir) / "make_corpus.py"), "--out", str(corpus_dir),
                    "--preset", "podcast18", "--seed", "1"], check=True)
    wavs = sorted(Path(corpus_dir).glob("podcast18_*.wav"))
    if not wavs:
        die(f"make_corpus.py produced no podcast18_*.wav in {corpus_dir}")
    return wavs[0]


def parse_gnu_time(text):
    """Wall, CPU (user + sys) seconds and peak RSS (MiB) from `time -v` output."""
    def field(name):
        m = re.search(rf"^\s*{re.escape(name)}:\s*(.+)$", text, re.M)
        if not m:
            die(f"GNU time output lacks '{name}'")
        return m.group(1).strip()
    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss_mib = int(field("Maximum resident set size (kbytes)")) / 1024.0
    return wall, cpu, rss_mib


def timed(cmd, time_file, stdout=None, env=None):
    """Runs cmd under GNU time -v; returns (exit status, wall, cpu, rss)."""
    with open(stdout, "w") if stdout else open(os.devnull, "w") as out:
        proc = subprocess.run([GNU_TIME, "-v", "-o", str(time_file), *cmd], stdout=out, stderr=subprocess.PIPE,
                              text=True, env=env)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
    return (proc.returncode, *parse_gnu_time(Path(time_file).read_text()))


def wer(eval_dir, ref, hyp):
    proc = subprocess.run([sys.executable, str(Path(eval_dir) / "score.py"), "wer", str(ref), str(hyp), "--json"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        die(f"score.py wer failed: {proc.stderr or proc.stdout}")
    return json.loads(proc.stdout)["total"]["wer"]


def seconds_of(wav):
    """Duration of a WAV file (soxi)."""
    out = subprocess.run(["soxi", "-D", str(wav)], capture_output=True, text=True).stdout.strip()
    return float(out or 0)
