#!/usr/bin/python3
"""Load test of `seraug serve` on loopback (docs/serve.md, "Measured").

Starts the server (port 0), then two phases, each bounded in time:
  good   CLIENTS clients each post 5-second recordings (EMO-DB clips with pauses) back to
         back for SECONDS: requests/s, p50/p95/max latency, failed requests;
  mixed  the same with every third request a bad one (cycling: a body over the upload
         limit, a truncated WAV, bytes that are not audio): every bad request must get
         its 4xx, every good one its timeline, and the server must stay up.
Peak RSS is the server's VmHWM after each phase (/proc; it never goes down).

    bench/serve_load.py build/seraug models/emodb-best [--clients 8] [--seconds 60]
"""
import argparse
import io
import os
import statistics
import subprocess
import sys
import threading
import time
import wave

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from serve_support import Server  # noqa: E402


def five_second_recordings(corpus, count):
    """`count` different 5 s mono WAVs: consecutive EMO-DB clips with 0.3 s pauses."""
    names = sorted(os.listdir(os.path.join(corpus, "wav")))
    out = []
    for k in range(count):
        frames, rate = b"", None
        i = k * 3
        while True:
            with wave.open(os.path.join(corpus, "wav", names[i % len(names)])) as w:
                rate = w.getframerate()
                frames += w.readframes(w.getnframes()) + b"\0\0" * int(0.3 * rate)
            i += 1
            if len(frames) >= 5 * rate * 2:
                break
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate), w.writeframes(frames[: 5 * rate * 2])
        out.append(buf.getvalue())
    return out


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_phase(server, clients, seconds, good, bad, upload_limit):
    latencies, outcomes, lock = [], {"ok": 0, "failed": 0, "bad_refused": 0, "bad_wrong": 0}, threading.Lock()
    failures = []
    deadline = time.time() + seconds

    def client(c):
        n = 0
        while time.time() < deadline:
            n += 1
            is_bad = bool(bad) and n % 3 == 0
            if is_bad:
                body, expected = bad[(n // 3 + c) % len(bad)]
            else:
                body, expected = good[(n + c) % len(good)], 200
            started = time.perf_counter()
            status, _, reply = server.request("POST", "/api/analyze?format=json", body, timeout=120)
            elapsed = time.perf_counter() - started
            with lock:
                if is_bad:
                    outcomes["bad_refused" if status == expected else "bad_wrong"] += 1
                    if status != expected:
                        failures.append(f"bad body answered {status}, not {expected}")
                elif status == 200 and b'"segments"' in reply:
                    outcomes["ok"] += 1
                    latencies.append(elapsed)
                else:
                    outcomes["failed"] += 1
                    failures.append(f"good request answered {status}: {reply[:200]!r}")

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - started
    return latencies, outcomes, wall, failures


def main():
    p = argparse.ArgumentParser()
    p.add_argument("seraug"), p.add_argument("model")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--max-upload-mb", type=float, default=2)
    p.add_argument("--corpus", default=os.environ.get("SERAUG_EMODB", "../shared/data/emodb"))
    a = p.parse_args()
    good = five_second_recordings(a.corpus, 16)
    upload_limit = int(a.max_upload_mb * 1e6)
    bad = [(b"\0" * (upload_limit + 1), 413), (good[0][: len(good[0]) // 2], 400), (b"not audio at all " * 64, 400)]
    server = Server(a.seraug, a.model, "--max-upload-mb", str(a.max_upload_mb), "-q")
    pid = server.process.pid
    print(f"seraug serve {a.model} on {server.url}: {a.clients} clients, 5 s recordings, {a.seconds:.0f} s a phase, "
          f"{os.cpu_count()} CPUs")
    print("| phase | good requests | requests/s | p50 ms | p95 ms | max ms | failed | bad answered 4xx | bad answered otherwise | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    try:
        for name, bad_bodies in (("good only", []), ("mixed bad", bad)):
            lat, out, wall, failures = run_phase(server, a.clients, a.seconds, good, bad_bodies, upload_limit)
            q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [float("nan")] * 99
            print(f"| {name} | {out['ok']} | {out['ok'] / wall:.1f} | {1000 * statistics.median(lat):.0f} | {1000 * q[94]:.0f} | "
                  f"{1000 * max(lat):.0f} | {out['failed']} | {out['bad_refused']} | {out['bad_wrong']} | {peak_rss_mb(pid):.1f} |")
            for f in failures[:5]:
                print("   ", f)
            alive = server.request("GET", "/healthz")[0] == 200
            print(f"    server up after the phase: {alive}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
