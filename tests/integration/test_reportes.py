"""The resident's side of 311 (issue 4, items 4, 5, 7 and 8) through the real binary, the way a
browser with JavaScript off uses it: file a report anonymously with an e-mail, get the intake
e-mail (real SMTP capture, tests/harness/smtp_capture.py) with the folio and the links, see the
public page, have the agency close it through Open311 servicerequestupdates with the demo key,
and reopen it as the reporter; hostile input is refused with nothing stored and nothing
rendered raw; every page fits the first round trip, declares its language and viewport."""
import glob
import gzip
import json
import os
import re
import struct
import unittest

from zocalo_server import Mailbox, Server, raw_exchange

HARNESS = os.path.join(os.path.dirname(__file__), "..", "harness")
BUDGET = 14_600  # RFC 6928 initial window: 10 segments
DEMO_KEY = "demo-open311-key-2026"
NO_PLATFORM_LIMIT = ["--rate-limit", "100000", "--rate-burst", "100000"]


def jpeg_with_gps(width=2000, height=1200):
    """A valid grey baseline JPEG built by hand (no PIL here) with an EXIF APP1 block holding
    GPS coordinates: the resident's location that must never be served back."""
    def seg(marker, payload):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
    # EXIF: TIFF big-endian, IFD0 with one entry (GPSInfo → GPS IFD), GPS IFD with
    # GPSLatitudeRef 'N' and GPSLatitude 19/1, 25/1, 4200/100.
    ifd0_off = 8
    gps_off = ifd0_off + 2 + 12 + 4
    rat_off = gps_off + 2 + 2 * 12 + 4
    tiff = b"MM\x00\x2a" + struct.pack(">I", ifd0_off)
    tiff += struct.pack(">H", 1) + struct.pack(">HHII", 0x8825, 4, 1, gps_off) + b"\0\0\0\0"
    tiff += struct.pack(">H", 2)
    tiff += struct.pack(">HHI", 0x0001, 2, 2) + b"N\0\0\0"
    tiff += struct.pack(">HHII", 0x0002, 5, 3, rat_off) + b"\0\0\0\0"
    tiff += struct.pack(">IIIIII", 19, 1, 25, 1, 4200, 100)
    out = b"\xff\xd8" + seg(0xE1, b"Exif\0\0" + tiff)
    out += seg(0xDB, b"\x00" + bytes([1] * 64))                       # quantisation: all 1
    out += seg(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    # One-symbol Huffman tables: DC category 0 and AC end-of-block, both the 1-bit code '0'.
    out += seg(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    out += seg(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    out += seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    bits = blocks * 2                                   # '0' (DC diff 0) + '0' (EOB) a block
    data = bytearray(bits // 8)
    if bits % 8:
        data.append((1 << (8 - bits % 8)) - 1)          # pad the last byte with 1 bits
    return out + bytes(data) + b"\xff\xd9"


def jpeg_size(data):
    """(width, height) from the first SOF marker."""
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise ValueError("no SOF")


def multipart(fields, files):
    """A multipart/form-data body, as a browser sends a form with a file input."""
    boundary = "----zocalo-it-7MA4YWxkTrZu0gW"
    out = b""
    for name, value in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    for name, (filename, ctype, data) in files.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def blob_files(data_dir):
    return [p for p in glob.glob(os.path.join(data_dir, "blobs", "**", "*"), recursive=True)
            if os.path.isfile(p)]


def pothole(csrf, **extra):
    fields = {"_csrf": csrf, "servicio": "bache", "lat": "19.4326", "lon": "-99.1332",
              "descripcion": "Bache hondo frente al 10", "attribute[ubicacion]": "arroyo",
              "confirmar": "1"}
    fields.update(extra)
    return fields


class ReportesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mail = Mailbox()
        cls.server = Server(*cls.mail.flags(), *NO_PLATFORM_LIMIT, name="reportes").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.mail.close()

    def form(self, client, service="bache"):
        page = client.get("/reportes/nuevo?servicio=" + service)
        self.assertEqual(page.status, 200, page.text[:500])
        csrf = client.csrf_from(page.text)
        self.assertTrue(csrf)
        return csrf

    def open311(self, path):
        r = self.server.client().get("/open311/v2/" + path)
        self.assertEqual(r.status, 200, r.text[:300])
        return json.loads(r.text)

    def count(self, service):
        return len(self.open311(f"requests.json?service_code={service}&page_size=1000"))

    def test_file_follow_close_and_reopen_with_javascript_off(self):
        c = self.server.client()
        # Step one: the service, a plain GET form; step two: where and what.
        first = c.get("/reportes/nuevo")
        self.assertEqual(first.status, 200)
        self.assertNotRegex(first.text, r"<script(?![^>]*\bsrc=\"/static/)")  # no inline script
        csrf = self.form(c, "banqueta-danada")
        email = "vecina.reportes@example.org"
        r = c.post("/reportes/nuevo", {
            "_csrf": csrf, "servicio": "banqueta-danada", "alcaldia": "09007",
            "direccion": "Calz. Ermita Iztapalapa 1000", "descripcion": "Banqueta levantada",
            "nombre": "Lucía", "correo": email})
        self.assertEqual(r.status, 303, r.text[:800])
        location = r.header("Location")
        folio = location.rsplit("/", 1)[1]
        self.assertRegex(folio, r"^[0-9A-Z]{8}$")
        shown = folio[:4] + "-" + folio[4:]
        page = c.get(location)
        self.assertEqual(page.status, 200)
        self.assertIn(shown, page.text)
        self.assertIn("Iztapalapa", page.text)
        self.assertNotIn(email, page.text)
        self.assertNotIn("Lucía", page.text)

        # The intake e-mail: folio, the public link and the reporter's private one.
        mail = self.mail.wait_for(email)[0]
        self.assertIn(shown, mail["subject"])
        self.assertIn(f"{self.server.base}/reportes/{folio}", mail["body"])
        private = re.search(r"(/reportes/" + folio + r"\?clave=[A-Za-z0-9_-]+)", mail["body"])
        self.assertTrue(private, mail["body"])
        self.assertEqual(mail["defects"], [])

        # Nobody but the reporter may answer; the agency closes through Open311.
        stranger = self.server.client()
        self.assertNotIn("/reabrir", stranger.get(location).text)
        closed = self.server.client().post("/open311/v2/servicerequestupdates.json", {
            "api_key": DEMO_KEY, "service_request_id": folio, "status": "FIXED",
            "description": "Banqueta reparada"})
        self.assertEqual(closed.status, 200, closed.text)
        self.assertEqual(self.open311(f"requests/{folio}.json")[0]["status"], "closed")

        # The reporter opens the private link in another browser and reopens.
        reporter = self.server.client()
        answer = reporter.get(private.group(1))
        self.assertEqual(answer.status, 200)
        self.assertIn(f"/reportes/{folio}/reabrir", answer.text)
        csrf = reporter.csrf_from(answer.text)
        clave = re.search(r'name="clave" value="([^"]+)"', answer.text).group(1)
        bad = stranger.post(f"/reportes/{folio}/reabrir", {
            "_csrf": stranger.csrf_from(stranger.get(location).text) or "", "clave": "x" * 20})
        self.assertEqual(bad.status, 403)
        r = reporter.post(f"/reportes/{folio}/reabrir", {"_csrf": csrf, "clave": clave,
                                                        "nota": "Sigue levantada"})
        self.assertEqual(r.status, 303, r.text[:500])
        after = reporter.get(r.header("Location"))
        self.assertIn("Reabierto", after.text)
        self.assertIn("Sigue levantada", after.text)
        # The agency's systems see it open again, with the resident's public update.
        self.assertEqual(self.open311(f"requests/{folio}.json")[0]["status"], "open")
        updates = self.open311(f"servicerequestupdates.json?service_request_id={folio}")
        self.assertEqual(updates[-1]["description"], "Sigue levantada")
        # The reopen notice reaches the reporter too.
        reopened = self.mail.wait_for(email, count=2)[1]
        self.assertIn(shown, reopened["subject"])

    def test_duplicates_are_offered_before_filing(self):
        c = self.server.client()
        csrf = self.form(c, "poda-de-arbol")
        fields = {"_csrf": csrf, "servicio": "poda-de-arbol", "lat": "19.3600", "lon": "-99.1500",
                  "descripcion": "Ramas sobre los cables", "attribute[arboles]": "2"}
        first = c.post("/reportes/nuevo", dict(fields, confirmar="1"))
        self.assertEqual(first.status, 303, first.text[:500])
        folio = first.header("Location").rsplit("/", 1)[1]
        before = self.count("poda-de-arbol")
        offered = c.post("/reportes/nuevo", dict(fields, lat="19.36015"))  # ~17 m north
        self.assertEqual(offered.status, 200)
        self.assertIn(f"/reportes/{folio}", offered.text)
        self.assertIn('name="confirmar" value="1"', offered.text)
        self.assertEqual(self.count("poda-de-arbol"), before)

    def test_hostile_input_is_refused_and_nothing_is_stored(self):
        c = self.server.client()
        csrf = self.form(c)
        before = self.count("bache")
        cases = {
            "4,001 characters": pothole(csrf, descripcion="a" * 4001),
            "not in the list": pothole(csrf, **{"attribute[ubicacion]": "en-la-luna"}),
            "latitude 95": pothole(csrf, lat="95"),
            "exponent": pothole(csrf, lon="-9.9e1"),
            "NaN": pothole(csrf, lat="NaN"),
            "outside the city": pothole(csrf, lat="25.6866", lon="-100.3161"),
            "no place": pothole(csrf, lat="", lon=""),
            "bad e-mail": pothole(csrf, correo="<script>@x"),
        }
        for name, fields in cases.items():
            with self.subTest(name):
                r = c.post("/reportes/nuevo", fields)
                self.assertEqual(r.status, 400, r.text[:300])
                self.assertIn('class="alert"', r.text)
        markup = pothole(csrf, descripcion="a" * 4001,
                         direccion="<img src=x onerror=alert(1)>'; DROP TABLE service_requests;--",
                         nombre="<b>Ana</b>")
        r = c.post("/reportes/nuevo", markup)
        self.assertEqual(r.status, 400)
        self.assertNotIn("<img src=x", r.text)
        self.assertIn("&lt;img src=x", r.text)
        # A body over the form's limit is refused before it is read.
        self.assertEqual(c.post("/reportes/nuevo", pothole(csrf, descripcion="a" * 300_000)).status,
                         413)
        # Without the CSRF token nothing is even read.
        no_token = dict(pothole(csrf))
        del no_token["_csrf"]
        self.assertEqual(c.post("/reportes/nuevo", no_token).status, 403)
        self.assertEqual(self.count("bache"), before)

        # Text with markup is stored as written and shown escaped.
        r = c.post("/reportes/nuevo", pothole(csrf, descripcion="<script>alert(1)</script> & co",
                                              lat="19.30", lon="-99.20"))
        self.assertEqual(r.status, 303, r.text[:500])
        page = c.get(r.header("Location"))
        self.assertNotIn("<script>alert", page.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", page.text)
        for path in ["/reportes?estado=perdido", "/reportes?pagina=-1",
                     "/reportes?servicio=%27%20OR%201%3D1", "/reportes/NOESFOLIO"]:
            with self.subTest(path):
                self.assertIn(c.get(path).status, (400, 404))

    def test_pages_fit_the_budget_and_declare_language_and_viewport(self):
        c = self.server.client()
        csrf = self.form(c)
        r = c.post("/reportes/nuevo", pothole(csrf, lat="19.41", lon="-99.16"))
        self.assertEqual(r.status, 303, r.text[:300])
        paths = ["/reportes/nuevo", "/reportes/nuevo?servicio=tiradero-clandestino",
                 "/reportes", "/reportes?estado=open&alcaldia=09007", r.header("Location")]
        for path in paths:
            for lang, tag in (("es", "es-MX"), ("en", "en")):
                with self.subTest(path=path, lang=lang):
                    sep = "&" if "?" in path else "?"
                    page = self.server.client().get(path + sep + "lang=" + lang,
                                                    headers={"Accept-Encoding": "gzip"})
                    self.assertEqual(page.status, 200)
                    self.assertLessEqual(len(gzip.compress(page.body, 6)), BUDGET, path)
                    self.assertIn(f'<html lang="{tag}"', page.text)
                    self.assertIn('name="viewport"', page.text)
                    # Only our deferred "use my location" enhancement, never inline script.
                    self.assertNotRegex(page.text, r"<script(?![^>]*\bsrc=\"/static/)")
        # "My requests" asks who you are first.
        mine = self.server.client().get("/reportes/mios")
        self.assertEqual(mine.status, 303)
        self.assertTrue(mine.header("Location").startswith("/llave/entrar?siguiente="))

    def test_a_signed_in_resident_files_follows_and_sees_my_requests(self):
        c = self.server.client()
        # Sign in through the real Llave form, coming back to "my requests".
        mine = c.get("/reportes/mios")
        self.assertEqual(mine.status, 303)
        entrar = c.get(mine.header("Location"))
        self.assertEqual(entrar.status, 200, entrar.text[:300])
        siguiente = re.search(r'name="siguiente" value="([^"]+)"', entrar.text)
        r = c.post("/llave/entrar", {
            "_csrf": c.csrf_from(entrar.text), "identificador": "residente@demo.zocalo.mx",
            "password": "Llave-Demo-2026",
            "siguiente": siguiente.group(1).replace("&#x2F;", "/") if siguiente else "/reportes/mios"})
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(c.get("/reportes/mios").status, 200)

        csrf = self.form(c, "grafiti")
        r = c.post("/reportes/nuevo", {"_csrf": csrf, "servicio": "grafiti", "alcaldia": "09003",
                                       "direccion": "Av. Miguel Ángel de Quevedo 50",
                                       "descripcion": "Pintas en la barda del parque"})
        self.assertEqual(r.status, 303, r.text[:500])
        folio = r.header("Location").rsplit("/", 1)[1]
        # Somebody else's request, followed from its page.
        other = next(r["service_request_id"]
                     for r in self.open311("requests.json?status=open&page_size=20")
                     if r["service_request_id"] != folio)
        page = c.get(f"/reportes/{other}")
        self.assertIn(f"/reportes/{other}/seguir", page.text)
        r = c.post(f"/reportes/{other}/seguir", {"_csrf": c.csrf_from(page.text)})
        self.assertEqual(r.status, 303)
        self.assertNotIn(f"/reportes/{other}/seguir", c.get(f"/reportes/{other}").text)
        mine = c.get("/reportes/mios")
        self.assertEqual(mine.status, 200)
        self.assertIn(f"/reportes/{folio}", mine.text)
        self.assertIn(f"/reportes/{other}", mine.text)
        # The resident's page tells the agency nothing about who filed it.
        self.assertNotIn("residente@demo.zocalo.mx", self.server.client().get(f"/reportes/{folio}").text)


class ReportPhotosTest(unittest.TestCase):
    """Issue 4, item 4: a photo with the report, resized and stripped of metadata."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(*NO_PLATFORM_LIMIT, name="reportes-fotos").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def form(self, client):
        page = client.get("/reportes/nuevo?servicio=bache")
        self.assertEqual(page.status, 200, page.text[:500])
        self.assertIn('enctype="multipart/form-data"', page.text)
        self.assertIn('type="file"', page.text)
        return client.csrf_from(page.text)

    def test_the_served_photo_has_no_exif_or_gps_and_is_at_most_1600_px(self):
        c = self.server.client()
        csrf = self.form(c)
        upload = jpeg_with_gps(2000, 1200)
        self.assertIn(b"Exif", upload)
        body, headers = multipart(pothole(csrf, descripcion="Bache con foto GPS"),
                                  {"foto": ("IMG_2041.JPG", "image/jpeg", upload)})
        r = c.post("/reportes/nuevo", body, headers=headers)
        self.assertEqual(r.status, 303, r.text[:2000])
        page = c.get(r.header("Location"))
        self.assertEqual(page.status, 200)
        m = re.search(r'<a href="(/reportes/fotos/[0-9a-f]{64}\.jpg)"><img src="'
                      r'(/reportes/fotos/[0-9a-f]{64}\.jpg)" alt="([^"]+)"', page.text)
        self.assertTrue(m, page.text)
        self.assertTrue(m.group(3).strip())
        anonymous = self.server.client()
        for path, limit in ((m.group(1), 1600), (m.group(2), 320)):
            photo = anonymous.get(path)
            self.assertEqual(photo.status, 200, path)
            self.assertEqual(photo.header("Content-Type"), "image/jpeg")
            self.assertEqual(photo.header("Cache-Control"), "public, max-age=31536000, immutable")
            self.assertEqual(photo.header("X-Content-Type-Options"), "nosniff")
            self.assertEqual(photo.body[:2], b"\xff\xd8")
            self.assertNotIn(b"Exif", photo.body)
            self.assertNotIn(b"\xff\xe1", photo.body[:photo.body.find(b"\xff\xda")])
            w, h = jpeg_size(photo.body)
            self.assertLessEqual(max(w, h), limit)
        self.assertEqual(jpeg_size(anonymous.get(m.group(1)).body), (1600, 960))
        # The Open311 API publishes the same photo as media_url.
        api = json.loads(anonymous.get("/open311/v2/requests.json?service_code=bache"
                                       "&page_size=1000").text)
        self.assertIn(self.server.base + m.group(1), [x.get("media_url") for x in api])
        # A name that is no request's photo is not served.
        self.assertEqual(anonymous.get("/reportes/fotos/" + "0" * 64 + ".jpg").status, 404)

    def test_a_pdf_or_html_named_photo_jpg_is_refused_and_nothing_is_stored(self):
        c = self.server.client()
        for fake in (b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n",
                     b"<!doctype html><script>alert(1)</script>"):
            csrf = self.form(c)
            before = blob_files(self.server.data_dir)
            body, headers = multipart(pothole(csrf, descripcion="Foto falsa"),
                                      {"foto": ("photo.jpg", "image/jpeg", fake)})
            r = c.post("/reportes/nuevo", body, headers=headers)
            self.assertEqual(r.status, 400)
            self.assertIn('id="foto-error"', r.text)
            self.assertIn("no es una foto", r.text)
            self.assertIn("Foto falsa", r.text)  # the rest of the input is kept
            self.assertNotIn("<script>alert(1)", r.text)
            self.assertEqual(blob_files(self.server.data_dir), before)
        api = json.loads(c.get("/open311/v2/requests.json?service_code=bache&page_size=1000").text)
        self.assertNotIn("Foto falsa", [x.get("description") for x in api])

    def test_a_50_mb_upload_is_413_and_nothing_is_stored(self):
        c = self.server.client()
        csrf = self.form(c)
        before = blob_files(self.server.data_dir)
        size = 50 * 1024 * 1024
        head = (f"POST /reportes/nuevo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: {'; '.join(f'{k}={v}' for k, v in c.cookies.items())}\r\n"
                f"Content-Type: multipart/form-data; boundary=xyz\r\n"
                f"Content-Length: {size}\r\n\r\n").encode()
        chunk = b"--xyz\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + \
            csrf.encode() + b"\r\n" + b"\0" * (1024 * 1024)
        raw = raw_exchange(self.server.port, None, chunks=[head, chunk, chunk], delay=0.05)
        self.assertTrue(raw.startswith(b"HTTP/1.1 413"), raw[:200])
        self.assertEqual(blob_files(self.server.data_dir), before)
        self.assertEqual(self.server.client().get("/reportes").status, 200)  # still serving


if __name__ == "__main__":
    unittest.main()
