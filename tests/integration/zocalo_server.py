"""Starts and stops real zocalo processes for the integration tests."""
import contextlib
import glob
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

BINARY = os.environ.get("ZOCALO_BINARY") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "zocalo")
OUTPUT = os.environ.get("ZOCALO_TEST_OUTPUT") or tempfile.gettempdir()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `zocalo serve` process on a fresh data folder (or a given database URL)."""

    def __init__(self, *extra, database=None, data_dir=None, demo=True, name="serve"):
        self.port = free_port()
        self.owns_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="zocalo-it-")
        self.log_path = os.path.join(OUTPUT, f"{name}-{self.port}.log")
        args = [BINARY, "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir]
        if demo:
            args.append("--demo")
        if database:
            args += ["--database", database]
        args += list(extra)
        self.args = args
        self.proc = None

    def start(self, timeout=30):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.log)
        deadline = time.time() + timeout
        line = b""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if f"http://127.0.0.1:{self.port}".encode() in line:
                return self
        raise RuntimeError(f"zocalo did not start (last line {line!r}); see {self.log_path}")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        code = self.proc.returncode if self.proc else None
        if self.proc:
            self.proc.stdout.close()
            self.log.close()
        return code

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        self.log.close()

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            self.stop()
        if self.owns_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # --- a tiny HTTP client that keeps cookies, like a browser with JavaScript off ---

    def client(self):
        return Client(self.port)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def text(self):
        return self.body.decode("utf-8")


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, follow=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body)
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        headers_list = r.getheaders()
        conn.close()
        for k, v in headers_list:
            if k.lower() == "set-cookie":
                pair = v.split(";", 1)[0]
                name, _, value = pair.partition("=")
                if "max-age=0" in v.lower():
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value.strip()
        if r.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        resp = Response(r.status, headers_list, data)
        if follow and r.status in (301, 302, 303, 307, 308):
            return self.request("GET", r.getheader("Location"), follow=True)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body=body, **kw)

    def csrf_from(self, html):
        m = re.search(r'name="_csrf" value="([^"]+)"', html)
        return m.group(1) if m else None


def raw_exchange(port, data, read_timeout=5.0, chunks=None, delay=0.0):
    """Sends raw bytes (optionally in chunks with a delay) and returns what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        if chunks:
            for c in chunks:
                try:
                    s.sendall(c)
                except OSError:
                    break
                time.sleep(delay)
        else:
            s.sendall(data)
        out = b""
        with contextlib.suppress(OSError):
            while True:
                b = s.recv(65536)
                if not b:
                    break
                out += b
                if b"\r\n\r\n" in out and _complete(out):
                    break
        return out


def _complete(buf):
    head, _, body = buf.partition(b"\r\n\r\n")
    m = re.search(rb"content-length:\s*(\d+)", head, re.I)
    return m is not None and len(body) >= int(m.group(1))


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


HARNESS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness")


class Mailbox:
    """A real SMTP server (harness/smtp_capture.py) that keeps every message as N.json."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="zocalo-mail-")
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HARNESS_DIR, "smtp_capture.py"), self.folder],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.port = int(self.proc.stdout.readline().split()[1])  # "PORT <n>"

    def flags(self):
        return ["--smtp-host", "127.0.0.1", "--smtp-port", str(self.port), "--smtp-security", "none"]

    def messages_to(self, address):
        out = []
        for path in sorted(glob.glob(os.path.join(self.folder, "*.json"))):
            with open(path, encoding="utf-8") as f:
                info = json.load(f)
            if address in info["rcpt_tos"]:
                out.append(info)
        return out

    def wait_for(self, address, count=1, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.messages_to(address)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no e-mail #{count} to {address} within {timeout} s")

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)
