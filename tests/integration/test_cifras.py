"""311's public transparency (issue 4, item 8) through the real binary with the demo data: the
figures and the map fit the first round trip in both languages and declare their language and
viewport, bad parameters are a 400, and the open-data files carry no personal data at all — a
request filed with a unique e-mail, phone, name and device (web form and Open311) is looked for
in every output."""
import csv
import gzip
import io
import json
import unittest

from zocalo_server import Server

BUDGET = 14_600  # RFC 6928 initial window: 10 segments
DEMO_KEY = "demo-open311-key-2026"
NO_PLATFORM_LIMIT = ["--rate-limit", "100000", "--rate-burst", "100000"]
SECRETS = {
    "email": "zz.transparencia.7731@example.org",
    "phone": "5587654321",
    "first": "Eleuterio",
    "last": "Quintanilla",
    "device": "device-transp-99871",
    "email2": "zz.api.transparencia.4410@example.org",
}
PAGES = ["/reportes/cifras", "/reportes/cifras?periodo=365", "/reportes/mapa"]
EXPORTS = ["/reportes/datos.csv", "/reportes/datos.geojson"]


class CifrasTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(*NO_PLATFORM_LIMIT, name="cifras").start()
        c = cls.server.client()
        page = c.get("/reportes/nuevo?servicio=banqueta-danada")
        assert page.status == 200, page.text[:300]
        r = c.post("/reportes/nuevo", {
            "_csrf": c.csrf_from(page.text), "servicio": "banqueta-danada",
            "lat": "19.4326", "lon": "-99.1332", "descripcion": "Banqueta rota frente al 12",
            "nombre": SECRETS["first"] + " " + SECRETS["last"], "correo": SECRETS["email"],
            "telefono": SECRETS["phone"], "confirmar": "1"})
        assert r.status == 303, r.text[:800]
        api = cls.server.client().post("/open311/v2/requests.json", {
            "api_key": DEMO_KEY, "service_code": "basura-no-recolectada", "lat": "19.3600",
            "long": "-99.1500", "description": "La basura no pasa desde el lunes",
            "email": SECRETS["email2"], "first_name": SECRETS["first"],
            "last_name": SECRETS["last"], "phone": SECRETS["phone"],
            "device_id": SECRETS["device"]})
        assert api.status in (200, 201), api.text[:800]

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_pages_fit_the_budget_and_declare_language_and_viewport(self):
        for path in PAGES:
            for lang, tag in (("es", "es-MX"), ("en", "en")):
                with self.subTest(path=path, lang=lang):
                    sep = "&" if "?" in path else "?"
                    page = self.server.client().get(path + sep + "lang=" + lang,
                                                    headers={"Accept-Encoding": "gzip"})
                    self.assertEqual(page.status, 200, page.text[:300])
                    self.assertLessEqual(len(gzip.compress(page.body, 6)), BUDGET, path)
                    self.assertIn(f'<html lang="{tag}"', page.text)
                    self.assertIn('name="viewport"', page.text)
                    self.assertNotIn("<script", page.text)
                    self.assertIn("<caption", page.text)

    def test_the_map_has_sixteen_linked_alcaldias(self):
        page = self.server.client().get("/reportes/mapa")
        self.assertEqual(page.text.count("<path d=\"M"), 16)
        self.assertIn('href="/reportes?alcaldia=09015"', page.text)
        # The area link leads to the filtered public list.
        self.assertEqual(self.server.client().get("/reportes?alcaldia=09015").status, 200)

    def test_bad_parameters_are_refused(self):
        c = self.server.client()
        for path in ["/reportes/cifras?periodo=10", "/reportes/datos.csv?desde=2026-13-01",
                     "/reportes/datos.geojson?desde=2020-01-01&hasta=2022-01-01",
                     "/reportes/datos.csv?pagina=0"]:
            with self.subTest(path=path):
                self.assertEqual(c.get(path).status, 400)

    def test_exports_are_open_data_without_personal_data(self):
        c = self.server.client()
        r = c.get("/reportes/datos.csv", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Disposition").startswith("attachment"))
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")
        rows = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"), newline="")))
        self.assertGreater(len(rows), 300)
        self.assertIn("folio", rows[0])
        self.assertTrue(any(row["service_code"] == "banqueta-danada" and
                            row["description"] == "Banqueta rota frente al 12" for row in rows))
        for forbidden in ("email", "phone", "first_name", "last_name", "device_id", "account_id"):
            self.assertNotIn(forbidden, rows[0])
        g = c.get("/reportes/datos.geojson")
        self.assertEqual(g.status, 200)
        doc = json.loads(g.text)
        self.assertEqual(doc["type"], "FeatureCollection")
        self.assertEqual(len(doc["features"]), len(rows))
        for f in doc["features"]:
            if f["geometry"] is not None:
                lon, lat = f["geometry"]["coordinates"]
                self.assertTrue(-99.4 < lon < -98.9 and 19.0 < lat < 19.6, f)

    def test_no_personal_data_anywhere(self):
        for path in PAGES + EXPORTS:
            for lang in ("es", "en"):
                with self.subTest(path=path, lang=lang):
                    sep = "&" if "?" in path else "?"
                    r = self.server.client().get(path + sep + "lang=" + lang)
                    self.assertEqual(r.status, 200)
                    body = r.text
                    for name, secret in SECRETS.items():
                        self.assertNotIn(secret, body, name)
                    self.assertNotIn("example.org", body)


if __name__ == "__main__":
    unittest.main()
