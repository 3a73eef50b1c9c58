"""Open311 GeoReport v2 as an outside app sees it: plain urllib, the standard library's XML and
JSON parsers, and the shapes of the spec's examples (https://wiki.open311.org/GeoReport_v2/)."""
import json
import unittest
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

from zocalo_server import Server

API = "/open311/v2"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group"]


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        self.assert_type("application/json")
        return json.loads(self.body.decode("utf-8"))

    def xml(self):
        self.assert_type("text/xml")
        return ET.fromstring(self.body)

    def assert_type(self, media_type):
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith(media_type):
            raise AssertionError(f"expected {media_type}, got {content_type}: {self.body[:200]}")


class Open311Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(name="open311").start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, f"serve exited with {code} on SIGTERM"

    def fetch(self, path, accept_language=None):
        request = urllib.request.Request(self.server.base + path)
        request.add_header("Origin", "https://app.example.org")
        if accept_language:
            request.add_header("Accept-Language", accept_language)
        try:
            with urllib.request.urlopen(request, timeout=15) as r:
                answer = Answer(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            answer = Answer(e.code, e.headers, e.read())
            e.close()
        # Outside apps call the API from their own pages in the browser.
        self.assertEqual(answer.headers.get("Access-Control-Allow-Origin"), "*", path)
        return answer

    def assert_json_error(self, path, status):
        r = self.fetch(path)
        self.assertEqual(r.status, status, path)
        errors = r.json()
        self.assertIsInstance(errors, list, path)
        self.assertEqual(len(errors), 1, path)
        self.assertEqual(errors[0]["code"], status, path)
        self.assertIsInstance(errors[0]["description"], str, path)
        return errors[0]

    def assert_xml_error(self, path, status):
        r = self.fetch(path)
        self.assertEqual(r.status, status, path)
        root = r.xml()
        self.assertEqual(root.tag, "errors", path)
        errors = root.findall("error")
        self.assertEqual(len(errors), 1, path)
        self.assertEqual(errors[0].findtext("code"), str(status), path)
        self.assertTrue(errors[0].findtext("description"), path)
        return errors[0]

    def test_discovery_lists_the_geo_report_v2_endpoint(self):
        d = self.fetch(f"{API}/discovery.json").json()
        self.assertIsInstance(d, dict)
        self.assertRegex(d["changeset"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIn("contact", d)
        [endpoint] = d["endpoints"]
        self.assertEqual(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertEqual(endpoint["url"], self.server.base + API + "/")
        self.assertEqual(sorted(endpoint["formats"]), ["application/json", "text/xml"])

        root = self.fetch(f"{API}/discovery.xml").xml()
        self.assertEqual(root.tag, "discovery")
        self.assertEqual(root.findtext("changeset"), d["changeset"])
        endpoints = root.findall("endpoints/endpoint")
        self.assertEqual(len(endpoints), 1)
        self.assertEqual(endpoints[0].findtext("url"), endpoint["url"])
        self.assertEqual([f.text for f in endpoints[0].findall("formats/format")],
                         endpoint["formats"])

    def test_the_endpoint_discovery_names_answers_the_service_list(self):
        url = self.fetch(f"{API}/discovery.json").json()["endpoints"][0]["url"]
        services = self.fetch(url[len(self.server.base):] + "services.json").json()
        self.assertTrue(services)

    def test_service_list_is_an_array_in_json_and_services_service_in_xml(self):
        services = self.fetch(f"{API}/services.json").json()
        self.assertIsInstance(services, list)
        self.assertEqual(len(services), 15)
        for s in services:
            self.assertEqual(list(s.keys()), SERVICE_FIELDS)
            self.assertIsInstance(s["service_code"], str)
            self.assertIsInstance(s["metadata"], bool)
            self.assertIn(s["type"], ("realtime", "batch", "blackbox"))

        root = self.fetch(f"{API}/services.xml").xml()
        self.assertEqual(root.tag, "services")
        elements = root.findall("service")
        self.assertEqual(len(elements), len(root))
        self.assertEqual([e.findtext("service_code") for e in elements],
                         [s["service_code"] for s in services])
        self.assertEqual([e.findtext("metadata") for e in elements],
                         ["true" if s["metadata"] else "false" for s in services])

    def test_service_names_follow_locale_or_accept_language(self):
        def names(path, accept_language=None):
            return {s["service_code"]: s["service_name"]
                    for s in self.fetch(path, accept_language).json()}

        self.assertEqual(names(f"{API}/services.json")["bache"], "Bache")
        self.assertEqual(names(f"{API}/services.json?locale=en")["bache"], "Pothole")
        self.assertEqual(names(f"{API}/services.json", "en-US,en;q=0.8")["bache"], "Pothole")
        self.assertEqual(names(f"{API}/services.json?locale=es", "en")["bache"], "Bache")
        root = self.fetch(f"{API}/services.xml?locale=en").xml()
        self.assertIn("Pothole", [e.findtext("service_name") for e in root.findall("service")])

    def test_every_service_with_metadata_has_a_definition(self):
        for s in self.fetch(f"{API}/services.json").json():
            code = s["service_code"]
            with self.subTest(code=code):
                if not s["metadata"]:
                    error = self.assert_json_error(f"{API}/services/{code}.json", 404)
                    self.assertIn("metadata", error["description"])
                    self.assert_xml_error(f"{API}/services/{code}.xml", 404)
                    continue
                d = self.fetch(f"{API}/services/{code}.json").json()
                self.assertIsInstance(d, dict)
                self.assertEqual(d["service_code"], code)
                self.assertIsInstance(d["attributes"], list)
                self.assertTrue(d["attributes"])
                orders = [a["order"] for a in d["attributes"]]
                self.assertEqual(orders, sorted(set(orders)))
                for a in d["attributes"]:
                    self.assertIn(a["datatype"], ("string", "number", "datetime", "text",
                                                  "singlevaluelist", "multivaluelist"))
                    self.assertIsInstance(a["variable"], bool)
                    self.assertIsInstance(a["required"], bool)
                    if a["datatype"].endswith("valuelist"):
                        self.assertTrue(all({"key", "name"} <= set(v) for v in a["values"]))

                root = self.fetch(f"{API}/services/{code}.xml?jurisdiction_id=cdmx").xml()
                self.assertEqual(root.tag, "service_definition")
                self.assertEqual(root.findtext("service_code"), code)
                self.assertEqual([a.findtext("code") for a in root.findall("attributes/attribute")],
                                 [a["code"] for a in d["attributes"]])

    def test_unknown_service_code_is_an_open311_404(self):
        self.assert_json_error(f"{API}/services/no-existe.json", 404)
        self.assert_xml_error(f"{API}/services/no-existe.xml", 404)

    def test_another_jurisdiction_is_404_and_ours_is_served(self):
        self.assertEqual(self.fetch(f"{API}/services.json?jurisdiction_id=cdmx").status, 200)
        self.assert_json_error(f"{API}/services.json?jurisdiction_id=springfield", 404)
        self.assert_xml_error(f"{API}/services/bache.xml?jurisdiction_id=springfield", 404)

    def test_an_unknown_format_is_an_xml_404(self):
        for path in ["services.html", "services/bache.csv", "discovery.yaml", "services"]:
            with self.subTest(path=path):
                self.assert_xml_error(f"{API}/{path}", 404)

    def test_a_malformed_query_is_an_open311_400(self):
        self.assert_json_error(f"{API}/services.json?locale=%E0%A4", 400)


if __name__ == "__main__":
    unittest.main()
