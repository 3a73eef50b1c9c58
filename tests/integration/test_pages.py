"""Every page zocalo serves today, as a resident's phone and an operator's scraper see it."""
import gzip
import json
import re
import unittest

from zocalo_server import Server

PAGES = ["/", "/servicios", "/buscar?q=agua", "/alcaldias", "/dependencias", "/opinion", "/no-existe"]
BUDGET = 14_600  # RFC 6928 initial window: 10 segments


class PagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(name="pages").start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, f"serve exited with {code} on SIGTERM"

    def test_every_page_fits_the_first_round_trip_and_declares_language_and_viewport(self):
        for path in PAGES:
            with self.subTest(path=path):
                r = self.server.client().get(path, headers={"Accept-Encoding": "gzip"})
                self.assertIn(r.status, (200, 404))
                self.assertTrue(r.header("Content-Type").startswith("text/html"))
                compressed = len(gzip.compress(r.body, 6))
                self.assertLessEqual(compressed, BUDGET, f"{path}: {compressed} bytes gzipped")
                self.assertRegex(r.text, r'<html lang="es-MX"')
                self.assertIn('name="viewport"', r.text)
                self.assertNotIn("<script", r.text.lower(), "pages must work without JavaScript")

    def test_feedback_thank_you_page_fits_the_budget_too(self):
        c = self.server.client()
        token = c.csrf_from(c.get("/opinion").text)
        r = c.post("/opinion", {"message": "Página de prueba", "_csrf": token})
        self.assertEqual(r.status, 303)
        page = c.get(r.header("Location"))
        self.assertEqual(page.status, 200)
        self.assertLessEqual(len(gzip.compress(page.body, 6)), BUDGET)
        self.assertIn('name="viewport"', page.text)
        self.assertNotIn("<script", page.text.lower())

    def test_home_lists_services_has_search_and_language_switch(self):
        r = self.server.client().get("/")
        self.assertEqual(r.status, 200)
        self.assertIn('action="/buscar"', r.text)
        self.assertIn("/idioma?lang=en", r.text)
        self.assertIn('href="/alcaldias"', r.text)

    def test_language_switch_sets_cookie_and_returns_to_page(self):
        c = self.server.client()
        r = c.get("/idioma?lang=en&next=/servicios")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/servicios")
        r = c.get("/servicios")
        self.assertIn('<html lang="en"', r.text)
        r = c.get("/idioma?lang=es&next=/")
        self.assertIn('<html lang="es-MX"', c.get("/").text)

    def test_accept_language_picks_english_without_a_cookie(self):
        r = self.server.client().get("/", headers={"Accept-Language": "en-US,en;q=0.9,es;q=0.5"})
        self.assertIn('<html lang="en"', r.text)

    def test_language_switch_refuses_open_redirects(self):
        for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
            with self.subTest(target=target):
                r = self.server.client().get("/idioma?lang=en&next=" + target.replace("/", "%2F"))
                location = r.header("Location") or ""
                self.assertFalse(location.startswith("//") or "evil" in location, location)

    def test_alcaldias_page_lists_the_sixteen_boroughs(self):
        r = self.server.client().get("/alcaldias")
        self.assertEqual(r.status, 200)
        for name in ["Iztapalapa", "Coyoacán", "Cuauhtémoc", "Milpa Alta", "Xochimilco"]:
            self.assertIn(name, r.text)

    def test_search_finds_entries_without_accents(self):
        r = self.server.client().get("/buscar?q=alcaldia")
        self.assertEqual(r.status, 200)
        self.assertIn('href="/alcaldias"', r.text)

    def test_security_headers_on_pages(self):
        r = self.server.client().get("/")
        csp = r.header("Content-Security-Policy") or ""
        self.assertIn("default-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertTrue(r.header("X-Request-Id"))

    def test_gzip_is_used_when_accepted(self):
        c = self.server.client()
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port)
        conn.request("GET", "/", headers={"Accept-Encoding": "gzip"})
        resp = conn.getresponse()
        body = resp.read()
        self.assertEqual(resp.getheader("Content-Encoding"), "gzip")
        self.assertIn(b"<html", gzip.decompress(body))
        conn.close()
        del c

    def test_stylesheet_is_fingerprinted_and_cached_long(self):
        r = self.server.client().get("/")
        m = re.search(r'href="(/static/app\.[0-9a-f]{8}\.css)"', r.text)
        self.assertIsNotNone(m, "layout links a fingerprinted stylesheet")
        css = self.server.client().get(m.group(1))
        self.assertEqual(css.status, 200)
        self.assertIn("immutable", css.header("Cache-Control"))
        etag = css.header("ETag")
        again = self.server.client().get(m.group(1), headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)

    def test_error_pages_in_both_languages(self):
        r = self.server.client().get("/no-existe")
        self.assertEqual(r.status, 404)
        self.assertIn('<html lang="es-MX"', r.text)
        r = self.server.client().get("/no-existe", headers={"Accept-Language": "en"})
        self.assertIn('<html lang="en"', r.text)

    def test_wrong_method_is_405_with_allow(self):
        r = self.server.client().request("DELETE", "/servicios")
        self.assertEqual(r.status, 405)
        self.assertIn("GET", r.header("Allow"))

    def test_json_errors_are_problem_json(self):
        r = self.server.client().get("/api/v1/no-existe", headers={"Accept": "application/json"})
        self.assertEqual(r.status, 404)
        self.assertTrue(r.header("Content-Type").startswith("application/problem+json"))
        body = json.loads(r.body)
        self.assertEqual(body["status"], 404)
        self.assertIn("title", body)


class OperationsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(name="ops").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_health_and_readiness(self):
        c = self.server.client()
        self.assertEqual(c.get("/healthz").status, 200)
        r = c.get("/readyz")
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(r.body)["database"], "ok")

    def test_status_json(self):
        r = self.server.client().get("/api/v1/status")
        self.assertEqual(r.status, 200)
        body = json.loads(r.body)
        self.assertEqual(body["name"], "zocalo")
        self.assertIn("version", body)

    def test_metrics_count_requests_per_route_and_job_queue(self):
        c = self.server.client()
        c.get("/")
        c.get("/servicios")
        text = c.get("/metrics").text
        self.assertRegex(text, r'zocalo_http_requests_total\{route="/",method="GET",status="2xx"\} \d+')
        self.assertIn("zocalo_http_request_duration_seconds_bucket", text)
        self.assertIn("zocalo_jobs_queued", text)


if __name__ == "__main__":
    unittest.main()
