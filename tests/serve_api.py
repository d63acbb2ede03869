"""API tests of `seraug serve` (docs/serve.md): every status code the service answers,
its headers, parity with `seraug analyze`, live streams, the bounded queue, the token,
and a clean stop. Usage: serve_api.py SERAUG REPO_ROOT (exit 77 without the corpus)."""
import json
import os
import socket
import subprocess
import sys
import threading
import time
import wave

sys.path.insert(0, os.path.dirname(__file__))
from serve_support import Server, wait_until  # noqa: E402

seraug, root = sys.argv[1], sys.argv[2]
corpus = os.environ.get("SERAUG_EMODB", os.path.join(root, "..", "shared", "data", "emodb"))
if not os.path.isdir(os.path.join(corpus, "wav")):
    print("serve_api: EMO-DB not found; skipped")
    sys.exit(77)
model = os.path.join(root, "models", "emodb-is09-svm")
work = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.environ.get("TMPDIR", "/tmp"), "seraug_serve_api")
os.makedirs(work, exist_ok=True)
clips = sorted(os.listdir(os.path.join(corpus, "wav")))[:12]
clip = os.path.join(corpus, "wav", clips[0])
clip_bytes = open(clip, "rb").read()


def long_recording(path, seconds):
    """EMO-DB clips one after another with 0.5 s pauses, repeated up to `seconds`."""
    frames, rate = [], None
    for name in clips:
        with wave.open(os.path.join(corpus, "wav", name)) as w:
            rate = w.getframerate()
            frames.append(w.readframes(w.getnframes()) + b"\0\0" * (rate // 2))
    data = b"".join(frames)
    data = (data * (1 + int(seconds * rate * 2 / len(data))))[: int(seconds * rate) * 2]
    with wave.open(path, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate), w.writeframes(data)
    return rate


def cli_timeline(path, *flags):
    out = subprocess.run([seraug, "analyze", model, path, "--format", "json", "-q", *flags], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        raise AssertionError(message)


server = Server(seraug, model, "--max-upload-mb", "20", "--workers", "1", "--queue", "0", "--max-streams", "1", "-q")
try:
    # The page and its headers.
    status, headers, page = server.request("GET", "/")
    check(status == 200 and b"<canvas" in page, "GET / serves the page")
    check("default-src 'self'" in headers["Content-Security-Policy"], "CSP header")
    check(headers["X-Content-Type-Options"] == "nosniff", "nosniff header")
    for asset in ("app.js", "timeline.js", "capture-worklet.js", "style.css"):
        check(server.request("GET", asset)[0] == 200, asset)
    check(server.request("GET", "/nothing.js")[0] == 404, "unknown page file: 404")
    check(server.request("GET", "/api/nothing")[0] == 404, "unknown API path: 404")
    status, _, body = server.request("GET", "/api/model", headers={"Host": "attacker.example:8080"})
    check(status == 400 and b"answers only requests addressed to it" in body, "another Host on loopback: 400 (DNS rebinding)")
    check(server.request("GET", "/api/model", headers={"Host": "localhost"})[0] == 200, "Host: localhost")
    status, health = server.json("GET", "/healthz")
    check(status == 200 and health["status"] == "ok", "healthz")
    status, described = server.json("GET", "/api/model")
    check(status == 200 and described["classes"] == ["anger", "fear", "happiness", "sadness", "neutral"], "model description")
    check(described["limits"]["max_upload_mb"] == 20 and described["settings"]["vad"] == "energy", "limits and settings")

    # Parity with `seraug analyze` on the same file (every number of every segment).
    record = os.path.join(work, "thirty.wav")
    long_recording(record, 30)
    status, got = server.json("POST", "/api/analyze?name=thirty.wav", open(record, "rb").read())
    want = cli_timeline(record)
    check(status == 200 and len(got["segments"]) >= 5, f"upload analysed: {status} {got.get('error')}")
    for s in want["segments"]:
        s["file"] = "thirty.wav"
    check(got["segments"] == want["segments"] and got["settings"] == want["settings"], "the API's timeline equals analyze's")
    status, got = server.json("POST", "/api/analyze?name=thirty.wav&enroll_scope=recording&hangover_s=0.5", open(record, "rb").read())
    want = cli_timeline(record, "--enroll-scope", "recording", "--hangover-s", "0.5")
    check([s["probabilities"] for s in got["segments"]] == [s["probabilities"] for s in want["segments"]], "settings by query = flags")
    status, headers, csv = server.request("POST", "/api/analyze?format=csv&name=x.wav", clip_bytes)
    cli_csv = subprocess.run([seraug, "analyze", model, clip, "-q"], check=True, capture_output=True, text=True).stdout
    check(status == 200 and headers["Content-Type"].startswith("text/csv"), "CSV format")
    check(csv.decode().split("\n", 1)[1].replace("x.wav", clip) == cli_csv.split("\n", 1)[1], "CSV rows equal analyze's")

    # 400: not audio, truncated audio, an empty body, an unknown key, a bad value, a bad format.
    for body, query, needle in [(b"hello, not audio" * 10, "", "not a readable audio file"),
                                (clip_bytes[:20000], "", "truncated or corrupt audio"),
                                (b"", "", "no body"),
                                (clip_bytes, "?colour=red", "unknown query parameter 'colour'"),
                                (clip_bytes, "?hangover_s=9", "analyze.hangover_s must be in [0.05, 2]"),
                                (clip_bytes, "?format=xml", "format must be json, csv or jsonl")]:
        status, reply = server.json("POST", "/api/analyze" + query, body)
        check(status == 400 and needle in reply["error"], f"400 for {needle}: {status} {reply}")
    # 413: a body over --max-upload-mb; 415: a form.
    status, reply = server.json("POST", "/api/analyze", b"\0" * 20_000_001)
    check(status == 413, f"413 for an oversized body: {status}")
    status, reply = server.json("POST", "/api/analyze", clip_bytes, {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 415, f"415 for a form: {status}")

    # 503: one worker, no queue: a second upload while the first is analysed.
    big = os.path.join(work, "long.wav")
    long_recording(big, 400)  # 17.6 MB, about a second to analyse
    big_bytes = open(big, "rb").read()
    results = []
    refused = None
    for attempt in range(5):
        first = threading.Thread(target=lambda: results.append(server.request("POST", "/api/analyze?format=csv", big_bytes)[0]))
        first.start()
        try:
            wait_until(lambda: server.json("GET", "/healthz")[1]["analysing"] == 1 or not first.is_alive(), 20, "the first upload")
            if first.is_alive():
                refused = server.json("POST", "/api/analyze", clip_bytes)
        finally:
            first.join()
        if refused and results[-1] == 200:
            break
    check(refused is not None and refused[0] == 503 and "busy" in refused[1]["error"], f"503 when the queue is full: {refused}")
    check(results[-1] == 200, "the upload in progress still succeeds")
    check(server.json("POST", "/api/analyze", clip_bytes)[0] == 200, "served again once free")

    # Live stream: raw PCM in pieces gives the timeline analyze gives for the same PCM on stdin.
    with wave.open(record) as w:
        rate, pcm = w.getframerate(), w.readframes(w.getnframes())
    status, opened = server.json("POST", f"/api/streams?sample_rate={rate}", b"")
    check(status == 201 and len(opened["id"]) == 32, f"stream opened: {status} {opened}")
    status, second = server.json("POST", f"/api/streams?sample_rate={rate}", b"")
    check(status == 503, f"503 beyond --max-streams: {status}")
    segments = []
    piece = rate // 4 * 2 + 1  # 250 ms and an odd byte: samples split across pushes
    for at in range(0, len(pcm), piece):
        status, reply = server.json("POST", f"/api/streams/{opened['id']}", pcm[at:at + piece])
        check(status == 200, f"push: {status} {reply}")
        segments += reply["segments"]
    status, reply = server.json("DELETE", f"/api/streams/{opened['id']}")
    segments += reply["segments"]
    stdin = subprocess.run([seraug, "analyze", model, "-", "--sample-rate", str(rate), "-q"], input=pcm, check=True, capture_output=True)
    want = [json.loads(line) for line in stdin.stdout.decode().splitlines()]
    for s in want:
        s["file"] = "live"
    check(segments == want and len(want) >= 5, f"a stream's segments equal analyze - ({len(segments)} vs {len(want)})")
    check(server.json("DELETE", f"/api/streams/{opened['id']}")[0] == 404, "a closed stream: 404")
    check(server.json("POST", "/api/streams/" + "0" * 32, b"\0\0")[0] == 404, "an unknown stream: 404")
    check(server.json("POST", "/api/streams?enroll_scope=recording", b"")[0] == 400, "recording scope refused live")
    status, opened = server.json("POST", f"/api/streams?sample_rate={rate}", b"")
    check(server.json("POST", f"/api/streams/{opened['id']}", b"\0" * (2 * 31 * rate))[0] == 413, "413 for over 30 s a push")
    server.json("DELETE", f"/api/streams/{opened['id']}")
finally:
    server.stop()

# The token: /api/ needs it, the page and /healthz do not.
token = "s3cret-token-0123456789"
server = Server(seraug, model, "-q", "--timeout-s", "1", env={"SERAUG_SERVE_TOKEN": token})
try:
    # A slow client (half a request, then nothing) is cut off after --timeout-s.
    host, port = server.url[len("http://"):].strip("/").split(":")
    slow = socket.create_connection((host, int(port)))
    slow.sendall(b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token.encode() +
                 b"\r\nContent-Type: audio/wav\r\nContent-Length: 100000\r\n\r\n" + b"\0" * 100)
    slow.settimeout(10)
    started = time.time()
    try:
        answer = slow.recv(4096)
    except ConnectionResetError:
        answer = b""
    waited = time.time() - started
    check(0.5 < waited < 5 and not answer.startswith(b"HTTP/1.1 2"), f"a slow client is cut off after 1 s: {waited:.1f} s, {answer[:80]!r}")
    slow.close()
    check(server.request("GET", "/healthz")[0] == 200, "up after a slow client")
    status, headers, _ = server.request("GET", "/api/model")
    check(status == 401 and headers["WWW-Authenticate"] == "Bearer", "401 without the token")
    check(server.request("GET", "/api/model", headers={"Authorization": "Bearer wrong-token-0123456789"})[0] == 401, "401 wrong token")
    check(server.request("GET", "/api/model", headers={"Authorization": "Bearer " + token})[0] == 200, "200 with the token")
    check(server.request("POST", "/api/analyze", clip_bytes, {"Authorization": "Bearer " + token})[0] == 200, "upload with the token")
    check(server.request("GET", "/")[0] == 200 and server.request("GET", "/healthz")[0] == 200, "page and healthz open")
finally:
    server.stop()

# Refusals at start: a short token, a port in use, a bad setting.
short = subprocess.run([seraug, "serve", model, "--token", "short"], capture_output=True, text=True)
check(short.returncode == 1 and "at least 16 characters" in short.stderr, "short token refused")
bad = subprocess.run([seraug, "serve", model, "--workers", "0"], capture_output=True, text=True)
check(bad.returncode == 1 and "serve.workers" in bad.stderr, f"bad setting refused: {bad.stderr}")
first = Server(seraug, model, "-q")
try:
    port = first.url.rsplit(":", 1)[1].strip("/")
    clash = subprocess.run([seraug, "serve", model, "--port", port], capture_output=True, text=True, timeout=20)
    check(clash.returncode == 1 and "cannot listen" in clash.stderr, f"a port in use: {clash.stderr}")
finally:
    first.stop()
print(f"serve_api: {checks} checks passed")
