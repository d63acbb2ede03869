"""Starting and stopping `seraug serve` inside a test: a free port on 127.0.0.1 (port 0,
read back from the server's first line), and a clean stop (SIGINT, exit status 0)."""
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request


class Server:
    def __init__(self, seraug, model, *flags, env=None):
        self.process = subprocess.Popen([seraug, "serve", model, "--port", "0", *flags], stderr=subprocess.PIPE, text=True,
                                        env=dict(os.environ, **(env or {})))
        line = self.process.stderr.readline()
        match = re.search(r"on (http://127\.0\.0\.1:\d+/)", line)
        if not match:
            self.process.kill()
            raise RuntimeError("seraug serve did not start: " + line + self.process.stderr.read())
        self.url = match.group(1)

    def request(self, method, path, body=None, headers=None, timeout=60):
        """(status, headers, body bytes) of one request; 4xx/5xx are returned, not raised."""
        h = {"Content-Type": "application/octet-stream"} if body is not None else {}
        h.update(headers or {})
        req = urllib.request.Request(self.url + path.lstrip("/"), data=body, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def json(self, method, path, body=None, headers=None):
        status, _, data = self.request(method, path, body, headers)
        return status, json.loads(data)

    def stop(self):
        """SIGINT, as Ctrl-C: the server must exit 0 within 10 s."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("seraug serve did not stop within 10 s of SIGINT")
        rest = self.process.stderr.read()
        self.process.stderr.close()
        assert code == 0, f"seraug serve exited {code}: {rest}"
        return rest


def wait_until(condition, seconds=20, what="condition"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting for " + what)
