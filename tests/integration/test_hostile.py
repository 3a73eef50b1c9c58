"""Hostile input: each gets a clear 4xx, nothing changes, and the server keeps serving."""
import os
import socket
import sqlite3
import time
import unittest

from zocalo_server import Server, raw_exchange, status_of


class HostileInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--request-timeout", "2", "--max-body-kib", "64",
                            "--rate-limit", "1000", "--rate-burst", "1000", name="hostile").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def tearDown(self):
        # After every hostile case the server still answers a normal request.
        r = self.server.client().get("/healthz")
        self.assertEqual(r.status, 200)

    def feedback_count(self):
        with sqlite3.connect(os.path.join(self.server.data_dir, "zocalo.db")) as db:
            return db.execute("SELECT count(*) FROM feedback").fetchone()[0]

    def send(self, data, **kw):
        return raw_exchange(self.server.port, data, **kw)

    def test_oversized_header_is_431(self):
        req = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n"
        self.assertEqual(status_of(self.send(req)), 431)

    def test_oversized_body_is_413(self):
        body = b"a" * (65 * 1024)
        req = (b"POST /opinion HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        self.assertEqual(status_of(self.send(req)), 413)

    def test_slow_client_gets_408(self):
        start = time.time()
        raw = self.send(None, chunks=[b"G", b"E", b"T", b" ", b"/"] + [b"x"] * 60, delay=0.1,
                        read_timeout=10)
        self.assertEqual(status_of(raw), 408, raw[:200])
        self.assertLess(time.time() - start, 8)

    def test_malformed_request_line_is_400(self):
        for req in [b"GARBAGE\r\n\r\n", b"GET /\r\n\r\n", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                    b"GET  / HTTP/1.1\r\n\r\n", b"\x00\x01\x02 / HTTP/1.1\r\n\r\n"]:
            with self.subTest(req=req):
                self.assertEqual(status_of(self.send(req)), 400)

    def test_bad_percent_encoding_and_invalid_utf8_are_400(self):
        for path in [b"/%zz", b"/%4", b"/%c0%af", b"/%ff%fe", b"/buscar?q=%zz", b"/buscar?q=%ff",
                     b"/\xff\xfe", b"/a%00b"]:
            with self.subTest(path=path):
                raw = self.send(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertEqual(status_of(raw), 400, raw[:300])

    def test_path_traversal_on_static_files_never_serves_a_file(self):
        for path in [b"/static/../../etc/passwd", b"/static/%2e%2e/%2e%2e/etc/passwd",
                     b"/static/..%2f..%2fetc%2fpasswd", b"/static/%2e%2e%5c..%5cetc%5cpasswd",
                     b"/static//etc/passwd"]:
            with self.subTest(path=path):
                raw = self.send(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertIn(status_of(raw), (400, 404), raw[:300])
                self.assertNotIn(b"root:", raw)

    def test_form_post_without_csrf_token_is_403_and_changes_nothing(self):
        c = self.server.client()
        before = self.feedback_count()
        r = c.post("/opinion", {"message": "hola"})
        self.assertEqual(r.status, 403)
        r = c.post("/opinion", {"message": "hola", "_csrf": "forged-token"})
        self.assertEqual(r.status, 403)
        # A token from another session does not work either.
        other = self.server.client()
        token = other.csrf_from(other.get("/opinion").text)
        self.assertIsNotNone(token)
        r = c.post("/opinion", {"message": "hola", "_csrf": token})
        self.assertEqual(r.status, 403)
        self.assertEqual(before, self.feedback_count())

    def test_form_post_with_token_is_accepted(self):
        c = self.server.client()
        token = c.csrf_from(c.get("/opinion").text)
        r = c.post("/opinion", {"message": "La página de alcaldías es útil", "_csrf": token})
        self.assertEqual(r.status, 303)

    def test_overlong_feedback_is_rejected_with_a_clear_message(self):
        c = self.server.client()
        token = c.csrf_from(c.get("/opinion").text)
        r = c.post("/opinion", {"message": "x" * 5000, "_csrf": token})
        self.assertEqual(r.status, 400)
        self.assertIn("2000", r.text)

    def test_html_in_input_is_escaped_on_output(self):
        r = self.server.client().get("/buscar?q=%3Cscript%3Ealert(1)%3C/script%3E")
        self.assertEqual(r.status, 200)
        self.assertNotIn("<script>alert(1)</script>", r.text)
        self.assertIn("&lt;script&gt;", r.text)

    def test_too_long_search_is_400(self):
        r = self.server.client().get("/buscar?q=" + "a" * 500)
        self.assertEqual(r.status, 400)

    def test_many_connections_do_not_stop_service(self):
        socks = []
        try:
            for _ in range(200):
                socks.append(socket.create_connection(("127.0.0.1", self.server.port)))
            self.assertEqual(self.server.client().get("/healthz").status, 200)
        finally:
            for s in socks:
                s.close()


class ConnectionLimitTest(unittest.TestCase):
    def test_connections_beyond_the_limit_get_503(self):
        with Server("--max-connections", "5", demo=False, name="connlimit") as server:
            socks = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(5)]
            time.sleep(0.3)
            try:
                raw = raw_exchange(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertEqual(status_of(raw), 503)
            finally:
                for s in socks:
                    s.close()
            time.sleep(0.3)
            self.assertEqual(server.client().get("/healthz").status, 200)


class RateLimitTest(unittest.TestCase):
    def test_a_flood_from_one_address_gets_429_with_retry_after(self):
        with Server("--rate-limit", "5", "--rate-burst", "10", demo=False, name="ratelimit") as server:
            c = server.client()
            statuses = [c.get("/api/v1/status") for _ in range(40)]
            limited = [r for r in statuses if r.status == 429]
            self.assertTrue(limited, "some requests were limited")
            self.assertTrue(limited[0].header("Retry-After"))


if __name__ == "__main__":
    unittest.main()
