"""The 311 admin pages and `zocalo areas import` through the real binary, JavaScript off: the demo
admin adds a service with attributes, imports an area, adds a routing rule, tests a point, and an
app files an Open311 request for the new service that is routed by that rule. Hostile uploads
(bow ties, unclosed rings, broken JSON, a 50 MB body) are refused with nothing changed. The demo's
own alcaldías file imports cleanly with the command."""
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
import urllib.parse

from test_reportes import multipart
from zocalo_server import BINARY, Client, Server, raw_exchange

BUDGET = 14_600  # RFC 6928 initial window: 10 segments
NO_PLATFORM_LIMIT = ["--rate-limit", "100000", "--rate-burst", "100000"]
ADMIN = ("admin@demo.zocalo.mx", "Admin-Demo-2026")
RESIDENT = ("residente@demo.zocalo.mx", "Llave-Demo-2026")
DEMO_KEY = "demo-open311-key-2026"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ALCALDIAS = os.path.join(ROOT, "data", "cdmx", "alcaldias.geojson")


def square(code, name, lon0, lat0, lon1, lat1):
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Feature", "properties": {"code": code, "name": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


class RequestsAdminTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(*NO_PLATFORM_LIMIT, name="requests-admin").start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, f"serve exited with {code} on SIGTERM"

    def db(self):
        return sqlite3.connect(os.path.join(self.server.data_dir, "zocalo.db"), timeout=10)

    def sign_in(self, who, siguiente="/admin/servicios"):
        c = Client(self.server.port)
        page = c.get("/llave/entrar")
        r = c.post("/llave/entrar", {"identificador": who[0], "password": who[1],
                                     "siguiente": siguiente, "_csrf": c.csrf_from(page.text)})
        self.assertEqual(r.status, 303, r.text[:500])
        return c

    def form_post(self, client, page_path, post_path, fields):
        page = client.get(page_path)
        self.assertEqual(page.status, 200, page_path)
        return client.post(post_path, dict(fields, _csrf=client.csrf_from(page.text)))

    def upload(self, client, page_path, post_path, filename, data, **fields):
        page = client.get(page_path)
        body, headers = multipart(dict(fields, _csrf=client.csrf_from(page.text)),
                                  {"archivo": (filename, "application/geo+json", data)})
        return client.post(post_path, body, headers=headers)

    def assert_page_rules(self, r, path):
        self.assertEqual(r.status, 200, path)
        self.assertIn('name="viewport"', r.text, path)
        self.assertNotIn("<script", r.text, path)
        self.assertLessEqual(len(gzip.compress(r.body, 9)), BUDGET, path)

    def count(self, table):
        with self.db() as db:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    # -----------------------------------------------------------------------------------------

    def test_only_admins_change_and_signed_out_is_sent_to_sign_in(self):
        anonymous = Client(self.server.port)
        resident = self.sign_in(RESIDENT, "/mi-llave")
        for path in ("/admin/servicios", "/admin/areas", "/admin/enrutamiento"):
            r = anonymous.get(path)
            self.assertEqual(r.status, 303, path)
            self.assertTrue(r.header("Location").startswith("/llave/entrar?siguiente="), path)
            self.assertEqual(resident.get(path).status, 403, path)
        # A post without the CSRF token never reaches the handler.
        admin = self.sign_in(ADMIN)
        r = admin.post("/admin/enrutamiento", {"servicio": "*", "alcaldia": "*",
                                               "dependencia": "sobse"})
        self.assertEqual(r.status, 403)

    def test_admin_adds_service_area_rule_and_an_app_request_is_routed_by_them(self):
        admin = self.sign_in(ADMIN)
        for path in ("/admin/servicios", "/admin/areas", "/admin/enrutamiento"):
            self.assert_page_rules(admin.get(path), path)
        # English too.
        en = admin.get("/admin/servicios", headers={"Accept-Language": "en"})
        self.assertIn("311 service catalog", en.text)

        # A service with a required list attribute.
        r = self.form_post(admin, "/admin/servicios", "/admin/servicios", {
            "codigo": "banqueta-rota", "nombre_es": "Banqueta rota", "nombre_en": "Broken sidewalk",
            "grupo_es": "Calles", "palabras": "banqueta, acera", "dependencia": "sobse",
            "sla": "48", "tipo": "realtime", "orden": "3", "activo": "1", "filas": "2",
            "a0_codigo": "tamano", "a0_tipo": "singlevaluelist", "a0_requerido": "1",
            "a0_orden": "1", "a0_descripcion": "¿De qué tamaño?",
            "a0_valores": "chico=Chico\ngrande=Grande", "a1_codigo": ""})
        self.assertEqual(r.status, 303, r.text[:800])
        definition = json.loads(Client(self.server.port).get(
            "/open311/v2/services/banqueta-rota.json").text)
        self.assertEqual(definition["attributes"][0]["code"], "tamano")

        # Hostile area files: refused, nothing written.
        areas_before = self.count("areas")
        bow_tie = collection({"type": "Feature", "properties": {"code": "lazo", "name": "Lazo"},
                              "geometry": {"type": "Polygon", "coordinates": [[
                                  [-99.5, 19.0], [-99.4, 19.1], [-99.4, 19.0], [-99.5, 19.1],
                                  [-99.5, 19.0]]]}})
        r = self.upload(admin, "/admin/areas", "/admin/areas", "lazo.geojson", bow_tie)
        self.assertEqual(r.status, 400)
        self.assertIn("self intersection", r.text)
        unclosed = collection({"type": "Feature", "properties": {"code": "abierta", "name": "A"},
                               "geometry": {"type": "Polygon", "coordinates": [[
                                   [-99.5, 19.0], [-99.4, 19.0], [-99.4, 19.1], [-99.5, 19.1]]]}})
        r = self.upload(admin, "/admin/areas", "/admin/areas", "abierta.geojson", unclosed)
        self.assertEqual(r.status, 400)
        self.assertIn("not closed", r.text)
        r = self.upload(admin, "/admin/areas", "/admin/areas", "x.geojson",
                        b'{"type":"FeatureCollection","features":[<script>]}')
        self.assertEqual(r.status, 400)
        self.assertNotIn("<script>]", r.text)
        csrf = admin.csrf_from(admin.get("/admin/areas").text)
        size = 50 * 1024 * 1024
        head = (f"POST /admin/areas HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: {'; '.join(f'{k}={v}' for k, v in admin.cookies.items())}\r\n"
                f"Content-Type: multipart/form-data; boundary=xyz\r\n"
                f"Content-Length: {size}\r\n\r\n").encode()
        chunk = b"--xyz\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + \
            csrf.encode() + b"\r\n" + b" " * (1024 * 1024)
        raw = raw_exchange(self.server.port, None, chunks=[head, chunk, chunk], delay=0.05)
        self.assertTrue(raw.startswith(b"HTTP/1.1 413"), raw[:200])
        self.assertEqual(self.count("areas"), areas_before)

        # A new area south-west of the city, and a rule for the new service there.
        r = self.upload(admin, "/admin/areas", "/admin/areas", "prueba.geojson",
                        collection(square("prueba", "Zona de prueba", -99.5, 19.0, -99.4, 19.1)))
        self.assertEqual(r.status, 303, r.text[:800])
        self.assertIn("prueba", admin.get("/admin/areas").text)
        r = self.form_post(admin, "/admin/enrutamiento", "/admin/enrutamiento", {
            "servicio": "banqueta-rota", "alcaldia": "prueba", "dependencia": "sacmex"})
        self.assertEqual(r.status, 303, r.text[:800])
        r = self.form_post(admin, "/admin/enrutamiento", "/admin/enrutamiento", {
            "servicio": "banqueta-rota", "alcaldia": "no-existe", "dependencia": "sacmex"})
        self.assertEqual(r.status, 400)

        # Test a point: the page answers as intake will.
        test = admin.get("/admin/enrutamiento?lat=19.05&lon=-99.45&servicio=banqueta-rota")
        self.assertEqual(test.status, 200)
        self.assertIn("prueba — Zona de prueba", test.text)
        self.assertIn("banqueta-rota × prueba", test.text)
        self.assertIn("sacmex —", test.text)
        self.assertEqual(admin.get("/admin/enrutamiento?lat=abc&lon=-99&servicio=bache").status,
                         400)

        # An app files an Open311 request for the new service at that point.
        api = Client(self.server.port)
        fields = {"api_key": DEMO_KEY, "service_code": "banqueta-rota", "lat": "19.05",
                  "long": "-99.45", "description": "Banqueta levantada por raíces"}
        r = api.post("/open311/v2/requests.json", urllib.parse.urlencode(
            dict(fields, **{"attribute[tamano]": "enorme"})),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 400, r.text)  # not one of the list's values
        r = api.post("/open311/v2/requests.json", urllib.parse.urlencode(
            dict(fields, **{"attribute[tamano]": "grande"})),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200, r.text)
        request_id = json.loads(r.text)[0]["service_request_id"]
        with self.db() as db:
            area, agency = db.execute(
                "SELECT area_code, agency_code FROM service_requests WHERE folio = ?",
                (request_id,)).fetchone()
        self.assertEqual((area, agency), ("prueba", "sacmex"))

        # --replace from the page cannot drop the area while the rule names it.
        r = self.upload(admin, "/admin/areas", "/admin/areas", "otra.geojson",
                        collection(square("otra", "Otra", -99.7, 19.0, -99.6, 19.1)),
                        reemplazar="1")
        self.assertEqual(r.status, 409)
        self.assertEqual(self.count("areas"), areas_before + 1)

        # Deactivating the service: Open311 no longer lists it; the request keeps it.
        r = self.form_post(admin, "/admin/servicios", "/admin/servicios/estado",
                           {"codigo": "banqueta-rota", "activo": "0"})
        self.assertEqual(r.status, 303)
        listed = Client(self.server.port).get("/open311/v2/services.json").text
        self.assertNotIn("banqueta-rota", listed)


class AreasCommandTest(unittest.TestCase):
    def run_cli(self, *args):
        return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=120)

    def test_the_demo_file_imports_and_a_hostile_file_changes_nothing(self):
        data = tempfile.mkdtemp(prefix="zocalo-areas-")
        try:
            r = self.run_cli("areas", "import", "--data-dir", data, ALCALDIAS)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("Imported 16 areas", r.stdout)
            hostile = os.path.join(data, "hueco.geojson")
            shell = [[-99.2, 19.3], [-99.1, 19.3], [-99.1, 19.4], [-99.2, 19.4], [-99.2, 19.3]]
            hole = [[-98.0, 19.0], [-97.9, 19.0], [-97.9, 19.1], [-98.0, 19.0]]
            with open(hostile, "wb") as f:
                f.write(collection({"type": "Feature",
                                    "properties": {"code": "hueco", "name": "Hueco"},
                                    "geometry": {"type": "Polygon",
                                                 "coordinates": [shell, hole]}}))
            r = self.run_cli("areas", "import", "--replace", "--data-dir", data, hostile)
            self.assertEqual(r.returncode, 1)
            self.assertIn("hole outside shell", r.stderr)
            db = sqlite3.connect(os.path.join(data, "zocalo.db"))
            self.assertEqual(db.execute("SELECT COUNT(*) FROM areas").fetchone()[0], 16)
            db.close()
        finally:
            shutil.rmtree(data, ignore_errors=True)

    @unittest.skipUnless(os.environ.get("ZOCALO_TEST_POSTGRES_ADMIN_URL"),
                         "needs tests/harness/with-postgres")
    def test_the_demo_file_imports_on_postgresql_with_postgis(self):
        admin_url = os.environ["ZOCALO_TEST_POSTGRES_ADMIN_URL"]
        name = f"areas_cli_{os.getpid()}"
        subprocess.run(["psql", "-qAt", admin_url, "-c", f"CREATE DATABASE {name}"], check=True,
                       capture_output=True)
        url = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin_url)._replace(path="/" + name))
        data = tempfile.mkdtemp(prefix="zocalo-areas-pg-")
        try:
            r = self.run_cli("areas", "import", "--database", url, "--data-dir", data, ALCALDIAS)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("Imported 16 areas", r.stdout)
            # PostGIS derived the geometry: the Zócalo is in Cuauhtémoc.
            found = subprocess.run(
                ["psql", "-qAt", url, "-c",
                 "SELECT code FROM areas WHERE ST_Contains(geom, "
                 "ST_SetSRID(ST_MakePoint(-99.1332, 19.4326), 4326))"],
                check=True, capture_output=True, text=True).stdout.strip()
            self.assertEqual(found, "09015")
        finally:
            shutil.rmtree(data, ignore_errors=True)
            subprocess.run(["psql", "-qAt", admin_url, "-c", f"DROP DATABASE IF EXISTS {name}"],
                           capture_output=True)


if __name__ == "__main__":
    unittest.main()
