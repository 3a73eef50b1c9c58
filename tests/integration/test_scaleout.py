"""Scale-out on PostgreSQL: two `serve` nodes and one `worker` on one database.

Every job is delivered exactly once (e-mail through a real SMTP server), the nodes share the
work, and a resident's session works whichever node answers."""
import glob
import json
import os
import re
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from zocalo_server import BINARY, OUTPUT, Server

PG_ADMIN = os.environ.get("ZOCALO_TEST_POSTGRES_ADMIN_URL")
HARNESS = os.path.join(os.path.dirname(__file__), "..", "harness")


def psql(url, sql):
    out = subprocess.run(["psql", "-qAt", url, "-c", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


@unittest.skipUnless(PG_ADMIN or os.environ.get("ZOCALO_REQUIRE_POSTGRES") == "1",
                     "needs tests/harness/with-postgres")
class ScaleOutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not PG_ADMIN:
            raise AssertionError("ZOCALO_REQUIRE_POSTGRES=1 but no PostgreSQL: run under with-postgres")
        name = f"scaleout_{os.getpid()}"
        psql(PG_ADMIN, f"CREATE DATABASE {name}")
        parts = urllib.parse.urlsplit(PG_ADMIN)
        cls.db_url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
        psql(cls.db_url, "CREATE EXTENSION IF NOT EXISTS postgis")
        # Every node seals the provider's signing keys with the same master key.
        os.environ["ZOCALO_MASTER_KEY"] = subprocess.run(
            [BINARY, "keys", "new-master-key"], capture_output=True, text=True, check=True).stdout.strip()
        cls.mail_dir = tempfile.mkdtemp(prefix="zocalo-mail-")
        cls.smtp = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HARNESS, "smtp_capture.py"), cls.mail_dir],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        cls.smtp_port = int(cls.smtp.stdout.readline().split()[1])  # "PORT <n>"
        mail = ["--smtp-host", "127.0.0.1", "--smtp-port", str(cls.smtp_port),
                "--smtp-security", "none", "--feedback-email", "equipo@ciudad.example",
                "--rate-limit", "100000", "--rate-burst", "100000"]
        cls.a = Server(*mail, database=cls.db_url, name="node-a").start()
        cls.b = Server(*mail, database=cls.db_url, name="node-b").start()
        cls.worker_log = open(os.path.join(OUTPUT, "worker.log"), "ab")
        cls.worker = subprocess.Popen(
            [BINARY, "worker", "--database", cls.db_url, "--data-dir", tempfile.mkdtemp()] + mail[:6],
            stdout=cls.worker_log, stderr=cls.worker_log)

    @classmethod
    def tearDownClass(cls):
        cls.worker.terminate()
        cls.worker.wait(30)
        cls.worker_log.close()
        for node in (cls.a, cls.b):
            node.stop()
            node.cleanup()
        cls.smtp.terminate()
        cls.smtp.wait(10)
        cls.smtp.stdout.close()
        del os.environ["ZOCALO_MASTER_KEY"]

    def test_a_session_started_on_one_node_works_on_the_other(self):
        on_a = self.a.client()
        token = on_a.csrf_from(on_a.get("/opinion").text)
        on_b = self.b.client()
        on_b.cookies = dict(on_a.cookies)
        # The CSRF token minted by node A is accepted by node B ...
        r = on_b.post("/opinion", {"message": "Enviado a otro nodo", "_csrf": token})
        self.assertEqual(r.status, 303)
        # ... and what node B stored in the session is read by node A.
        on_a.cookies = dict(on_b.cookies)
        page = on_a.get(r.header("Location"))
        self.assertIn("Recibimos tu opinión", page.text)

    def test_a_node_without_the_shared_master_key_refuses_to_start(self):
        env = {k: v for k, v in os.environ.items() if k != "ZOCALO_MASTER_KEY"}
        r = subprocess.run([BINARY, "serve", "--database", self.db_url, "--listen", "127.0.0.1:0",
                            "--data-dir", tempfile.mkdtemp()],
                           capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn("ZOCALO_MASTER_KEY", r.stderr)

    def test_both_nodes_publish_the_same_signing_keys(self):
        jwks_a = json.loads(self.a.client().get("/.well-known/jwks.json").body)
        jwks_b = json.loads(self.b.client().get("/.well-known/jwks.json").body)
        kids = sorted(k["kid"] for k in jwks_a["keys"])
        self.assertEqual(len(kids), 2, "one RS256 and one ES256 key, created once for the cluster")
        self.assertEqual(kids, sorted(k["kid"] for k in jwks_b["keys"]))

    def test_every_job_is_delivered_exactly_once_and_the_work_is_shared(self):
        ids = []
        for i in range(60):
            node = self.a if i % 2 == 0 else self.b
            c = node.client()
            token = c.csrf_from(c.get("/opinion").text)
            r = c.post("/opinion", {"message": f"opinión número {i}", "_csrf": token})
            self.assertEqual(r.status, 303)
            ids.append(int(re.search(r"/opinion/gracias/(\d+)", r.header("Location")).group(1)))

        deadline = time.time() + 60
        while time.time() < deadline:
            pending = int(psql(self.db_url, "SELECT count(*) FROM jobs WHERE status <> 'done'"))
            if pending == 0:
                break
            time.sleep(0.5)
        self.assertEqual(pending, 0, "all jobs done")
        time.sleep(1)  # anything delivered twice would have arrived by now

        delivered = {}
        for path in glob.glob(os.path.join(self.mail_dir, "*.json")):
            with open(path, encoding="utf-8") as f:
                msg = json.load(f)
            m = re.search(r"#(\d+)", msg["subject"])
            if m:
                delivered[int(m.group(1))] = delivered.get(int(m.group(1)), 0) + 1
        for feedback_id in ids:
            self.assertEqual(delivered.get(feedback_id), 1, f"feedback {feedback_id} delivered once")
        processors = psql(self.db_url, "SELECT count(DISTINCT finished_by) FROM jobs WHERE status = 'done'")
        self.assertGreaterEqual(int(processors), 2, "more than one process delivered jobs")


if __name__ == "__main__":
    unittest.main()
