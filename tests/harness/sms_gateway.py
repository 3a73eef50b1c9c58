#!/usr/bin/python3
"""An SMS gateway for tests: records every POST into a folder and answers like a provider.

    sms_gateway.py FOLDER TOKEN

Listens on 127.0.0.1 on a port the OS picks and prints "PORT <n>" once ready. Each POST N is
written to FOLDER/N.json as {"path", "authorization", "content_type", "body"}. Answers:
  - 401 when the Authorization header is not "Bearer TOKEN";
  - 500 for the path /fail (a provider outage);
  - 400 for a body that is not JSON with string "to" and "message";
  - otherwise 200 {"id": "sms-N"}.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import threading

lock = threading.Lock()
count = 0


class Gateway(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # keep the test output clean
        pass

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        global count
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        with lock:
            count += 1
            n = count
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        record = {
            "path": self.path,
            "authorization": self.headers.get("Authorization", ""),
            "content_type": self.headers.get("Content-Type", ""),
            "body": body,
        }
        path = os.path.join(self.server.folder, "%04d.json" % n)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        if record["authorization"] != "Bearer " + self.server.token:
            return self.answer(401, {"error": "bad token"})
        if self.path == "/fail":
            return self.answer(500, {"error": "gateway exploded"})
        if not (isinstance(body, dict) and isinstance(body.get("to"), str)
                and isinstance(body.get("message"), str)):
            return self.answer(400, {"error": "want to and message"})
        return self.answer(200, {"id": "sms-%d" % n})


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: sms_gateway.py FOLDER TOKEN")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    server.folder = sys.argv[1]
    server.token = sys.argv[2]
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
