"""Open311 GeoReport v2 service requests, written from the spec
(https://wiki.open311.org/GeoReport_v2/ and its Extensions page for servicerequestupdates,
page/page_size, updated_after and extensions=true), driven as an outside app would: plain
urllib, form-encoded and multipart POSTs, the standard library's JSON and XML parsers.

The API key comes from `zocalo apikeys add` run against the same database before `serve`
starts; when the CLI has not been wired yet, the test stores the key the way that command does
(SHA-256 of the key in open311_api_keys), since the schema is ours to know.
"""
import hashlib
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

from test_reportes import Mailbox, blob_files, jpeg_size, jpeg_with_gps, multipart
from zocalo_server import BINARY, Server

API = "/open311/v2"
ZOCALO = (-99.1332, 19.4326)       # the Zócalo, alcaldía Cuauhtémoc
IZTAPALAPA = (-99.0573, 19.3574)
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url"]
PERSONAL = ["vecina.311@example.org", "5512345678", "Bernarda", "Alvarado", "device-77",
            "account-99"]
DATETIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$"


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        assert self.headers.get("Content-Type", "").startswith("application/json"), self.body[:200]
        return json.loads(self.body.decode("utf-8"))

    def xml(self):
        assert self.headers.get("Content-Type", "").startswith("text/xml"), self.body[:200]
        return ET.fromstring(self.body)


def add_api_key(data_dir, name):
    """The key as `zocalo apikeys add NAME` prints it (first line of stdout)."""
    try:
        done = subprocess.run([BINARY, "apikeys", "add", name, "--data-dir", data_dir],
                              capture_output=True, text=True, timeout=60)
        keys = [line for line in done.stdout.splitlines() if line.startswith("z311_")]
        if done.returncode == 0 and keys:
            return keys[0]
    except OSError:
        pass
    # Not wired into the CLI yet: what ApiKeyStore::add does.
    key = "z311_" + uuid.uuid4().hex
    db = sqlite3.connect(os.path.join(data_dir, "zocalo.db"), timeout=30)
    with db:
        db.execute("INSERT INTO open311_api_keys (name, key_hash, created_at) VALUES (?, ?, ?)",
                   (name, hashlib.sha256(key.encode()).hexdigest(), int(time.time())))
    db.close()
    return key


class Open311RequestsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data_dir = tempfile.mkdtemp(prefix="zocalo-o311-")
        # Many calls in a row from one address, as a busy app makes them.
        cls.server = Server("--rate-limit", "100000", "--rate-burst", "100000",
                            name="open311-requests", data_dir=cls.data_dir).start()
        cls.key = add_api_key(cls.data_dir, "app-conformance")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        import shutil
        shutil.rmtree(cls.data_dir, ignore_errors=True)
        assert code == 0, f"serve exited with {code}"

    # --- plain HTTP, as an outside app ---

    def call(self, method, path, fields=None, multipart=False, headers=None):
        data = None
        hdrs = dict(headers or {})
        if fields is not None:
            if multipart:
                boundary = "----o311" + uuid.uuid4().hex
                parts = []
                for name, value in fields:
                    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; "
                                 f"name=\"{name}\"\r\n\r\n{value}\r\n")
                parts.append(f"--{boundary}--\r\n")
                data = "".join(parts).encode("utf-8")
                hdrs["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                data = urllib.parse.urlencode(fields).encode("ascii")
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.server.base + path, data=data, method=method,
                                         headers=hdrs)
        try:
            with urllib.request.urlopen(request, timeout=20) as r:
                answer = Answer(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            answer = Answer(e.code, e.headers, e.read())
            e.close()
        self.assertEqual(answer.headers.get("Access-Control-Allow-Origin"), "*", path)
        return answer

    def get(self, path):
        return self.call("GET", path)

    def post(self, fmt, fields, multipart=False, resource="requests"):
        return self.call("POST", f"{API}/{resource}.{fmt}", fields, multipart)

    def report(self, service="bache", point=ZOCALO, extra=(), key=None, fmt="json"):
        fields = [("api_key", key or self.key), ("service_code", service)]
        if point:
            fields += [("lat", str(point[1])), ("long", str(point[0]))]
        if service == "bache" and not any(k.startswith("attribute") for k, _ in extra):
            fields.append(("attribute[ubicacion]", "arroyo"))
        return self.post(fmt, fields + list(extra))

    def filed(self, *args, **kw):
        r = self.report(*args, **kw)
        self.assertEqual(r.status, 200, r.body)
        [answer] = r.json()
        return answer

    def stored_count(self):
        db = sqlite3.connect(os.path.join(self.data_dir, "zocalo.db"), timeout=30)
        try:
            return db.execute("SELECT COUNT(*) FROM service_requests").fetchone()[0]
        finally:
            db.close()

    def assert_error(self, answer, status, fmt="json", mentions=None):
        self.assertEqual(answer.status, status, answer.body)
        if fmt == "json":
            [error] = answer.json()
            self.assertEqual(error["code"], status)
            description = error["description"]
        else:
            root = answer.xml()
            self.assertEqual(root.tag, "errors")
            [error] = root.findall("error")
            self.assertEqual(error.findtext("code"), str(status))
            description = error.findtext("description")
        self.assertTrue(description)
        if mentions:
            self.assertIn(mentions.lower(), description.lower())
        return description

    def refused(self, status, fields, mentions=None, multipart=False):
        before = self.stored_count()
        r = self.post("json", fields, multipart)
        self.assert_error(r, status, mentions=mentions)
        self.assertEqual(self.stored_count(), before, f"{fields} stored something")

    # --- POST Service Request ---

    def test_post_answers_an_array_with_the_id_notice_and_account_id(self):
        answer = self.filed(extra=[("account_id", "account-99"),
                                   ("description", "Bache frente a Catedral")])
        self.assertEqual(list(answer.keys()),
                         ["service_request_id", "service_notice", "account_id"])
        self.assertRegex(answer["service_request_id"], r"^[0-9A-HJKMNP-TV-Z]{8}$")
        self.assertEqual(answer["account_id"], "account-99")
        self.assertIn(answer["service_request_id"][:4], answer["service_notice"])

        root = self.report(fmt="xml").xml()
        self.assertEqual(root.tag, "service_requests")
        [request] = root.findall("request")
        self.assertRegex(request.findtext("service_request_id"), r"^[0-9A-Z]{8}$")
        self.assertIsNotNone(request.find("service_notice"))

    def test_multipart_posts_are_accepted_like_form_posts(self):
        r = self.post("json", [("api_key", self.key), ("service_code", "fuga-de-agua"),
                               ("lat", "19.3574"), ("long", "-99.0573"),
                               ("attribute[severidad]", "chorro"),
                               ("description", "Fuga — agua limpia")], multipart=True)
        self.assertEqual(r.status, 200, r.body)
        [answer] = r.json()
        [request] = self.get(f"{API}/requests/{answer['service_request_id']}.json").json()
        self.assertEqual(request["description"], "Fuga — agua limpia")
        self.assertEqual(request["service_code"], "fuga-de-agua")

    def test_a_request_reads_back_by_id_as_an_array_of_one_in_both_formats(self):
        answer = self.filed(extra=[("description", "Hoyo profundo"),
                                   ("address_string", "Plaza de la Constitución s/n")])
        rid = answer["service_request_id"]
        [r] = self.get(f"{API}/requests/{rid}.json").json()
        self.assertEqual(list(r.keys()), REQUEST_FIELDS)
        self.assertEqual(r["service_request_id"], rid)
        self.assertEqual(r["status"], "open")
        self.assertEqual(r["service_code"], "bache")
        self.assertEqual(r["service_name"], "Bache")
        self.assertEqual(r["description"], "Hoyo profundo")
        self.assertEqual(r["address"], "Plaza de la Constitución s/n")
        self.assertTrue(r["agency_responsible"])
        self.assertRegex(r["requested_datetime"], DATETIME)
        self.assertRegex(r["updated_datetime"], DATETIME)
        self.assertRegex(r["expected_datetime"], DATETIME)
        self.assertAlmostEqual(r["lat"], ZOCALO[1], places=6)
        self.assertAlmostEqual(r["long"], ZOCALO[0], places=6)

        root = self.get(f"{API}/requests/{rid}.xml").xml()
        self.assertEqual(root.tag, "service_requests")
        [request] = root.findall("request")
        self.assertEqual([c.tag for c in request], REQUEST_FIELDS)
        self.assertEqual(request.findtext("service_request_id"), rid)
        self.assertEqual(request.findtext("status"), "open")
        self.assertRegex(request.findtext("requested_datetime"), DATETIME)

        self.assertEqual(self.get(f"{API}/requests/{rid}.json?locale=en").json()[0]
                         ["service_name"], "Pothole")

    def test_unknown_ids_are_404(self):
        self.assert_error(self.get(f"{API}/requests/ZZZZZZZZ.json"), 404)
        self.assert_error(self.get(f"{API}/requests/ZZZZZZZZ.xml"), 404, "xml")
        self.assert_error(self.get(f"{API}/requests/%27%3B--.json"), 404)

    def test_api_key_is_required_and_checked_first(self):
        base = [("service_code", "no-existe")]
        self.refused(403, base, "api_key")
        self.refused(403, base + [("api_key", "")], "api_key")
        self.refused(403, base + [("api_key", "z311_wrong")], "api_key")
        self.refused(403, base + [("api_key", "' OR '1'='1")], "api_key")
        r = self.post("xml", base + [("api_key", "nope")])
        self.assert_error(r, 403, "xml")

    def test_unknown_service_code_is_404(self):
        loc = [("lat", "19.4326"), ("long", "-99.1332")]
        self.refused(404, [("api_key", self.key), ("service_code", "no-existe")] + loc)
        self.refused(404, [("api_key", self.key), ("service_code", "<script>")] + loc)
        self.refused(404, [("api_key", self.key), ("service_code", "x' OR 1=1 --")] + loc)
        self.refused(400, [("api_key", self.key)] + loc, "service_code")

    def test_a_location_is_required(self):
        self.refused(400, [("api_key", self.key), ("service_code", "banqueta-danada")],
                     "location")
        self.refused(400, [("api_key", self.key), ("service_code", "banqueta-danada"),
                           ("lat", ""), ("long", "")], "location")
        self.refused(400, [("api_key", self.key), ("service_code", "banqueta-danada"),
                           ("lat", "19.43")], "long")
        # An address alone is a location.
        self.assertEqual(self.post("json", [("api_key", self.key),
                                            ("service_code", "banqueta-danada"),
                                            ("address_string", "Av. Juárez 10")]).status, 200)

    def test_bad_coordinates_are_400_and_store_nothing(self):
        for lat, lon in [("91", "-99.13"), ("-90.5", "-99.13"), ("19.43", "181"),
                         ("NaN", "-99.13"), ("19.43", "nan"), ("Infinity", "-99.13"),
                         ("1e400", "-99.13"), ("19,43", "-99,13"), ("0x13", "-99"),
                         ("19.43; DROP TABLE service_requests", "-99.13"), ("<b>19</b>", "-99")]:
            with self.subTest(lat=lat, long=lon):
                self.refused(400, [("api_key", self.key), ("service_code", "bache"),
                                   ("attribute[ubicacion]", "arroyo"),
                                   ("lat", lat), ("long", lon)], "lat")

    def test_a_point_outside_the_city_is_400_with_a_clear_description(self):
        before = self.stored_count()
        r = self.report(point=(-100.3161, 25.6866))  # Monterrey
        self.assert_error(r, 400, mentions="outside the city")
        self.assertEqual(self.stored_count(), before)
        self.assert_error(self.report(point=(0.0, 0.0), fmt="xml"), 400, "xml", "outside")

    def test_attributes_are_validated_against_the_service_definition(self):
        base = [("api_key", self.key), ("service_code", "bache"), ("lat", "19.4326"),
                ("long", "-99.1332")]
        self.refused(400, base, "ubicacion")  # required, missing
        self.refused(400, base + [("attribute[ubicacion]", "en-la-luna")], "attribute")
        self.refused(400, base + [("attribute[ubicacion]", "<script>alert(1)</script>")],
                     "attribute")
        self.refused(400, base + [("attribute[ubicacion]", "arroyo"),
                                  ("attribute[tamano]", "muy grande")], "attribute")
        self.refused(400, base + [("attribute[ubicacion]", "arroyo"),
                                  ("attribute[no-existe]", "1")], "attribute")
        self.refused(400, base + [("attribute[ubicacion", "arroyo")], "attribute")
        # Multi-value lists use attribute[CODE][].
        r = self.post("json", [("api_key", self.key), ("service_code", "tiradero-clandestino"),
                               ("lat", "19.3574"), ("long", "-99.0573"),
                               ("attribute[residuos][]", "cascajo"),
                               ("attribute[residuos][]", "muebles")])
        self.assertEqual(r.status, 200, r.body)
        self.refused(400, [("api_key", self.key), ("service_code", "tiradero-clandestino"),
                           ("lat", "19.3574"), ("long", "-99.0573"),
                           ("attribute[residuos][]", "uranio")], "attribute")

    def test_description_is_at_most_4000_characters(self):
        self.refused(400, [("api_key", self.key), ("service_code", "banqueta-danada"),
                           ("address_string", "x"), ("description", "a" * 4001)], "description")
        self.refused(400, [("api_key", self.key), ("service_code", "banqueta-danada"),
                           ("address_string", "x"), ("description", "ñ" * 4001)], "description")
        r = self.post("json", [("api_key", self.key), ("service_code", "banqueta-danada"),
                               ("address_string", "x"), ("description", "ñ" * 4000)])
        self.assertEqual(r.status, 200, r.body)

    def test_sql_and_html_in_fields_with_a_syntax_are_400_and_store_nothing(self):
        base = [("api_key", self.key), ("service_code", "banqueta-danada"),
                ("address_string", "Calle 1")]
        hostile = ["'; DROP TABLE service_requests; --", "<script>alert(1)</script>",
                   "\" onmouseover=\"alert(1)", "1 OR 1=1"]
        for field in ["email", "phone", "first_name", "last_name", "device_id", "account_id",
                      "media_url", "address_id"]:
            for value in hostile:
                if field in ("first_name", "last_name") and value == "1 OR 1=1":
                    continue  # a (strange) name, not markup
                with self.subTest(field=field, value=value):
                    self.refused(400, base + [(field, value)], field)
        self.refused(400, base + [("description", "nul \x01 byte")], "description")
        self.refused(400, base + [("email", "a@example.org"), ("email", "b@example.org")])

    def test_free_text_keeps_markup_and_xml_escapes_it(self):
        evil = "<script>alert('x')</script> & \"; DROP TABLE service_requests; --"
        answer = self.filed(service="banqueta-danada", point=IZTAPALAPA,
                            extra=[("description", evil), ("address_string", "<b>Calle</b>")])
        rid = answer["service_request_id"]
        raw = self.get(f"{API}/requests/{rid}.xml")
        self.assertNotIn(b"<script>", raw.body)
        self.assertIn(b"&lt;script&gt;", raw.body)
        [request] = raw.xml().findall("request")
        self.assertEqual(request.findtext("description"), evil)
        self.assertEqual(request.findtext("address"), "<b>Calle</b>")
        [j] = self.get(f"{API}/requests/{rid}.json").json()
        self.assertEqual(j["description"], evil)
        # The table is still there.
        self.assertGreater(self.stored_count(), 0)

    def test_get_answers_never_carry_personal_data(self):
        answer = self.filed(extra=[("email", PERSONAL[0]), ("phone", PERSONAL[1]),
                                   ("first_name", PERSONAL[2]), ("last_name", PERSONAL[3]),
                                   ("device_id", PERSONAL[4]), ("account_id", PERSONAL[5])])
        rid = answer["service_request_id"]
        for path in [f"{API}/requests/{rid}.json", f"{API}/requests/{rid}.xml",
                     f"{API}/requests.json", f"{API}/requests.xml?extensions=true",
                     f"{API}/requests/{rid}.json?extensions=true",
                     f"{API}/servicerequestupdates.json?service_request_id={rid}"]:
            body = self.get(path).body.decode("utf-8")
            for value in PERSONAL:
                self.assertNotIn(value, body, path)

    def test_uploads_are_bounded_and_broken_photos_refused(self):
        before = self.stored_count()
        boundary = "----o311big"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n"
                f"{self.key}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                "name=\"service_code\"\r\n\r\nbanqueta-danada\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"address_string\""
                "\r\n\r\nCalle 1\r\n")
        photo = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; "
                 "filename=\"foto.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
        small = (head + photo).encode() + b"\xff\xd8\xff\xe0 not really" + \
            f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        request = urllib.request.Request(self.server.base + f"{API}/requests.json", data=small,
                                         method="POST", headers=headers)
        try:
            urllib.request.urlopen(request, timeout=20)
            self.fail("a broken photo was accepted")
        except urllib.error.HTTPError as e:
            # JPEG magic bytes on garbage: the `media` part is read and refused as unreadable.
            self.assertEqual(e.code, 400)
            [error] = json.loads(e.read())
            self.assertTrue(error["description"].startswith("media:"), error)
        # 50 MB: refused before it is read.
        big = (head + photo).encode() + b"\0" * (50 * 1024 * 1024)
        request = urllib.request.Request(self.server.base + f"{API}/requests.json", data=big,
                                         method="POST", headers=headers)
        try:
            urllib.request.urlopen(request, timeout=60)
            self.fail("50 MB were accepted")
        except urllib.error.HTTPError as e:
            self.assertEqual(e.code, 413)
        except (ConnectionError, urllib.error.URLError):
            pass  # the server may close the connection while the client is still sending
        self.assertEqual(self.stored_count(), before)

    # --- GET Service Requests ---

    def test_list_filters_by_id_service_status_and_dates(self):
        a = self.filed(service="grafiti", point=IZTAPALAPA)["service_request_id"]
        b = self.filed(service="grafiti", point=ZOCALO)["service_request_id"]
        listed = self.get(f"{API}/requests.json?service_code=grafiti").json()
        ids = [r["service_request_id"] for r in listed]
        self.assertIn(a, ids)
        self.assertIn(b, ids)
        self.assertTrue(all(r["service_code"] == "grafiti" for r in listed))
        # Newest first.
        times = [r["requested_datetime"] for r in listed]
        self.assertEqual(times, sorted(times, reverse=True))
        # service_request_id overrides every other argument.
        both = self.get(f"{API}/requests.json?service_request_id={a},{b}"
                        "&service_code=bache&status=closed&start_date=2001-01-01T00:00:00Z"
                        "&end_date=2001-01-02T00:00:00Z").json()
        self.assertEqual(sorted(r["service_request_id"] for r in both), sorted([a, b]))
        # status.
        self.assertTrue(all(r["status"] == "open"
                            for r in self.get(f"{API}/requests.json?status=open").json()))
        closed = self.get(f"{API}/requests.json?service_code=grafiti&status=closed").json()
        self.assertTrue(all(r["status"] == "closed" for r in closed))
        self.assertFalse({a, b} & {r["service_request_id"] for r in closed})
        # Dates with zones; a window in the past holds nothing of ours.
        self.assertEqual(self.get(f"{API}/requests.json?start_date=2001-01-01T00:00:00-06:00"
                                  "&end_date=2001-02-01T00:00:00-06:00").json(), [])
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
        recent = self.get(f"{API}/requests.json?service_code=grafiti&start_date={since}").json()
        self.assertTrue({a, b} <= {r["service_request_id"] for r in recent})
        self.assertTrue(all(r["requested_datetime"] >= since for r in recent))
        # XML: <service_requests><request>…
        root = self.get(f"{API}/requests.xml?service_code=grafiti").xml()
        self.assertEqual(root.tag, "service_requests")
        self.assertEqual(len(root.findall("request")), len(listed))
        # Empty parameters are absent ones.
        self.assertEqual(self.get(f"{API}/requests.json?service_code=&status=").status, 200)

    def test_paging_and_updated_window(self):
        for _ in range(3):
            self.filed(service="poda-de-arbol", point=ZOCALO,
                       extra=[("attribute[arboles]", "2")])
        first = self.get(f"{API}/requests.json?service_code=poda-de-arbol&page_size=2").json()
        second = self.get(f"{API}/requests.json?service_code=poda-de-arbol&page_size=2&page=2"
                          ).json()
        self.assertEqual(len(first), 2)
        self.assertGreaterEqual(len(second), 1)
        self.assertFalse({r["service_request_id"] for r in first} &
                         {r["service_request_id"] for r in second})
        future = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        self.assertEqual(self.get(f"{API}/requests.json?updated_after={future}").json(), [])
        past = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
        self.assertTrue(self.get(f"{API}/requests.json?updated_after={past}").json())

    def test_query_errors_are_400_in_the_requested_format(self):
        for query in ["status=pending", "start_date=2026-01-01T00:00:00",  # naive
                      "start_date=yesterday", "page=0", "page_size=1001", "page=x",
                      "extensions=maybe", "service_code=%3Cscript%3E",
                      "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
                      "service_request_id=%27%3B--"]:
            with self.subTest(query=query):
                self.assert_error(self.get(f"{API}/requests.json?{query}"), 400)
                self.assert_error(self.get(f"{API}/requests.xml?{query}"), 400, "xml")

    def test_jurisdiction_and_format_errors(self):
        self.assert_error(self.get(f"{API}/requests.json?jurisdiction_id=springfield"), 404)
        self.assertEqual(self.get(f"{API}/requests.json?jurisdiction_id=cdmx").status, 200)
        self.assert_error(self.get(f"{API}/requests.html"), 404, "xml")
        before = self.stored_count()
        r = self.post("json", [("api_key", self.key), ("service_code", "banqueta-danada"),
                               ("address_string", "x"), ("jurisdiction_id", "springfield")])
        self.assert_error(r, 404)
        self.assertEqual(self.stored_count(), before)

    def test_extensions_add_the_channel_and_public_notes(self):
        rid = self.filed()["service_request_id"]
        [r] = self.get(f"{API}/requests/{rid}.json?extensions=true").json()
        x = r["extended_attributes"]
        self.assertEqual(x["channel"], "api")
        self.assertIsNone(x["parent_service_request_id"])
        self.assertEqual([n["summary"] for n in x["notes"]], ["OPEN"])
        [plain] = self.get(f"{API}/requests/{rid}.json").json()
        self.assertNotIn("extended_attributes", plain)
        root = self.get(f"{API}/requests/{rid}.xml?extensions=true").xml()
        self.assertEqual(root.findtext("request/extended_attributes/channel"), "api")

    # --- tokens ---

    def test_batch_services_answer_with_a_token_that_maps_to_the_id(self):
        r = self.report(service="vehiculo-abandonado")
        self.assertEqual(r.status, 200, r.body)
        [answer] = r.json()
        self.assertIn("token", answer)
        self.assertNotIn("service_request_id", answer)
        token = answer["token"]
        [t] = self.get(f"{API}/tokens/{token}.json").json()
        self.assertEqual(t["token"], token)
        self.assertRegex(t["service_request_id"], r"^[0-9A-Z]{8}$")
        root = self.get(f"{API}/tokens/{token}.xml").xml()
        self.assertEqual(root.findtext("request/service_request_id"), t["service_request_id"])
        [r] = self.get(f"{API}/requests/{t['service_request_id']}.json").json()
        self.assertEqual(r["service_code"], "vehiculo-abandonado")
        self.assert_error(self.get(f"{API}/tokens/no-such-token.json"), 404)
        self.assert_error(self.get(f"{API}/tokens/no-such-token.xml"), 404, "xml")

    # --- servicerequestupdates (FixMyStreet) ---

    def test_updates_move_a_request_and_are_listed(self):
        rid = self.filed(service="luminaria-apagada",
                         extra=[("attribute[cuantas]", "1")])["service_request_id"]
        upd = [("api_key", self.key), ("service_request_id", rid)]
        r = self.post("json", upd + [("status", "IN_PROGRESS"),
                                     ("description", "Cuadrilla en camino")],
                      resource="servicerequestupdates")
        self.assertEqual(r.status, 200, r.body)
        [first] = r.json()
        self.assertRegex(first["update_id"], r"^\d+$")
        r = self.post("xml", upd + [("status", "FIXED"), ("description", "Reparada <ok>")],
                      resource="servicerequestupdates")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.xml().tag, "service_request_updates")

        [req] = self.get(f"{API}/requests/{rid}.json").json()
        self.assertEqual(req["status"], "closed")
        self.assertEqual(req["status_notes"], "Reparada <ok>")

        updates = self.get(f"{API}/servicerequestupdates.json?service_request_id={rid}").json()
        self.assertEqual([u["status"] for u in updates], ["OPEN", "IN_PROGRESS", "FIXED"])
        for u in updates:
            self.assertEqual(u["service_request_id"], rid)
            self.assertRegex(u["updated_datetime"], DATETIME)
        root = self.get(f"{API}/servicerequestupdates.xml?service_request_id={rid}").xml()
        self.assertEqual([e.findtext("status") for e in root.findall("request_update")],
                         ["OPEN", "IN_PROGRESS", "FIXED"])
        self.assertIn(b"Reparada &lt;ok&gt;",
                      self.get(f"{API}/servicerequestupdates.xml?service_request_id={rid}").body)

        # An agency may reopen within the window.
        r = self.post("json", upd + [("status", "REOPEN")], resource="servicerequestupdates")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.get(f"{API}/requests/{rid}.json").json()[0]["status"], "open")

    def test_update_errors(self):
        rid = self.filed()["service_request_id"]
        post = lambda fields, fmt="json": self.post(fmt, fields, resource="servicerequestupdates")
        self.assert_error(post([("service_request_id", rid), ("status", "FIXED")]), 403)
        self.assert_error(post([("api_key", "bad"), ("service_request_id", rid),
                                ("status", "FIXED")]), 403)
        self.assert_error(post([("api_key", self.key), ("service_request_id", "ZZZZZZZZ"),
                                ("status", "FIXED")]), 404)
        self.assert_error(post([("api_key", self.key), ("service_request_id", rid),
                                ("status", "SOLVED")]), 400, mentions="status")
        self.assert_error(post([("api_key", self.key), ("service_request_id", rid)]), 400)
        self.assert_error(post([("api_key", self.key), ("status", "FIXED")]), 400)
        # open → REOPEN is no transition; nothing changes.
        self.assert_error(post([("api_key", self.key), ("service_request_id", rid),
                                ("status", "REOPEN")], "xml"), 400, "xml")
        self.assert_error(post([("api_key", self.key), ("service_request_id", rid),
                                ("status", "FIXED"), ("description", "x" * 4001)]), 400)
        [r] = self.get(f"{API}/requests/{rid}.json").json()
        self.assertEqual(r["status"], "open")
        self.assertEqual(len(self.get(f"{API}/servicerequestupdates.json?service_request_id="
                                      f"{rid}").json()), 1)
        self.assert_error(self.get(f"{API}/servicerequestupdates.json?start_date=ayer"), 400)

    def test_revoked_and_other_keys_name_the_channel(self):
        other = add_api_key(self.data_dir, "app-otra")
        rid = self.filed(key=other)["service_request_id"]
        [r] = self.get(f"{API}/requests/{rid}.json?extensions=true").json()
        self.assertEqual(r["extended_attributes"]["channel"], "api")
        db = sqlite3.connect(os.path.join(self.data_dir, "zocalo.db"), timeout=30)
        try:
            channel = db.execute("SELECT channel FROM service_requests WHERE folio = ?",
                                 (rid,)).fetchone()[0]
        finally:
            db.close()
        self.assertEqual(channel, "api:app-otra")


class Open311MediaAndNoticesTest(unittest.TestCase):
    """POST /requests with the `media` file part (STANDARDS.md), and the reporter's intake
    e-mail for a request filed through the API (real SMTP capture)."""

    @classmethod
    def setUpClass(cls):
        cls.mail = Mailbox()
        cls.server = Server(*cls.mail.flags(), "--rate-limit", "100000", "--rate-burst",
                            "100000", name="open311-media").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.mail.close()

    def fields(self, email):
        return {"api_key": "demo-open311-key-2026", "service_code": "bache",
                "lat": "19.4326", "long": "-99.1332", "attribute[ubicacion]": "arroyo",
                "description": "Bache reportado desde la app", "email": email}

    def test_the_media_part_is_normalised_and_published_as_media_url(self):
        email = "app.media@example.org"
        body, headers = multipart(self.fields(email),
                                  {"media": ("IMG_1.JPG", "image/jpeg", jpeg_with_gps())})
        c = self.server.client()
        r = c.post("/open311/v2/requests.json", body, headers=headers)
        self.assertEqual(r.status, 200, r.text)
        folio = json.loads(r.text)[0]["service_request_id"]
        one = json.loads(c.get(f"/open311/v2/requests/{folio}.json").text)[0]
        url = one["media_url"]
        self.assertTrue(url.startswith(self.server.base + "/reportes/fotos/"), url)
        photo = c.get(url[len(self.server.base):])
        self.assertEqual(photo.status, 200)
        self.assertEqual(photo.header("Content-Type"), "image/jpeg")
        self.assertNotIn(b"Exif", photo.body)
        self.assertLessEqual(max(jpeg_size(photo.body)), 1600)
        # The reporter's intake e-mail, with the folio and the request's page.
        mail = self.mail.wait_for(email)[0]
        text = json.dumps(mail, ensure_ascii=False)
        self.assertIn(folio[:4], text)
        self.assertIn("/reportes/", text)

    def test_a_non_image_media_part_is_a_400_and_nothing_is_stored(self):
        c = self.server.client()
        before = blob_files(self.server.data_dir)
        count = len(json.loads(c.get("/open311/v2/requests.json?service_code=bache"
                                     "&page_size=1000").text))
        for fake in (b"%PDF-1.4\n%%EOF\n", b"<html><body>no</body></html>"):
            body, headers = multipart(self.fields("fake@example.org"),
                                      {"media": ("photo.jpg", "image/jpeg", fake)})
            r = c.post("/open311/v2/requests.json", body, headers=headers)
            self.assertEqual(r.status, 400, r.text)
            self.assertIn("media", json.loads(r.text)[0]["description"])
        self.assertEqual(blob_files(self.server.data_dir), before)
        self.assertEqual(len(json.loads(c.get("/open311/v2/requests.json?service_code=bache"
                                              "&page_size=1000").text)), count)
        time.sleep(1)
        self.assertEqual(self.mail.messages_to("fake@example.org"), [])


if __name__ == "__main__":
    unittest.main()
