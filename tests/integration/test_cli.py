"""The command line as an operator meets it: help, configuration sources, migrate, backup."""
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from zocalo_server import BINARY, Server


def run(*args, env=None, timeout=60):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout)


class HelpTest(unittest.TestCase):
    def test_help_lists_every_command(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        for command in ["serve", "worker", "migrate", "backup"]:
            self.assertIn(command, r.stdout)
        self.assertIn("ZOCALO_", r.stdout)

    def test_serve_help_names_options_with_their_environment_variables(self):
        r = run("serve", "--help")
        self.assertEqual(r.returncode, 0)
        for text in ["--listen", "ZOCALO_LISTEN", "--database", "--smtp-host", "--max-body-kib"]:
            self.assertIn(text, r.stdout)

    def test_version(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"zocalo \d+\.\d+\.\d+")

    def test_no_command_is_a_usage_error(self):
        r = run()
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("serve", r.stderr + r.stdout)

    def test_bad_values_are_refused_with_a_clear_message(self):
        r = run("serve", "--listen", "not-an-address")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--listen", r.stderr)
        r = run("serve", "--smtp-security", "maybe")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("smtp-security", r.stderr)
        for bad in ("-1", "65537", "mucho"):
            r = run("serve", "--open311-list-cache-mib", bad)
            self.assertNotEqual(r.returncode, 0, bad)
            self.assertIn("open311-list-cache-mib", r.stderr)

    def test_unreachable_postgresql_fails_fast_and_says_why(self):
        r = run("migrate", "--database", "postgresql://nobody@127.0.0.1:1/none", timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("db.open_failed", r.stderr)


class ConfigurationSourcesTest(unittest.TestCase):
    def test_environment_variable_and_config_file_configure_serve(self):
        data = tempfile.mkdtemp(prefix="zocalo-cfg-")
        # The file sets the listen address; the environment sets the data folder.
        from zocalo_server import free_port
        port = free_port()
        config = os.path.join(data, "zocalo.toml")
        with open(config, "w") as f:
            f.write(f'[serve]\nlisten = "127.0.0.1:{port}"\n')
        env = dict(os.environ, ZOCALO_DATA_DIR=os.path.join(data, "from-env"))
        proc = subprocess.Popen([BINARY, "--config", config, "serve"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env)
        try:
            line = proc.stdout.readline().decode()
            self.assertIn(f"http://127.0.0.1:{port}/", line)
            self.assertTrue(os.path.exists(os.path.join(data, "from-env", "zocalo.db")))
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(30), 0)
            proc.stdout.close()


class ServicesImportTest(unittest.TestCase):
    def write(self, name, text):
        path = os.path.join(tempfile.mkdtemp(prefix="zocalo-catalog-"), name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def seeded_data_dir(self):
        data = tempfile.mkdtemp(prefix="zocalo-services-")
        with Server(data_dir=data, name="services-seed"):
            pass  # --demo seeds the agencies and the demo catalog
        return data

    def test_csv_import_adds_services_and_replace_deactivates_the_rest(self):
        data = self.seeded_data_dir()
        csv = self.write("catalogo.csv",
                         "code,name_es,name_en,agency_code,sla_hours,keywords\n"
                         "poda-urgente,Poda urgente,Urgent pruning,sedema,24,\"rama, árbol\"\n")
        r = run("services", "import", "--data-dir", data, csv)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Imported 1 services", r.stdout)
        db = sqlite3.connect(os.path.join(data, "zocalo.db"))
        self.assertEqual(db.execute("SELECT name_en FROM services WHERE code='poda-urgente'").fetchone()[0],
                         "Urgent pruning")
        active_before = db.execute("SELECT count(*) FROM services WHERE active=1").fetchone()[0]
        self.assertGreater(active_before, 10)
        r = run("services", "import", "--replace", "--data-dir", data, csv)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(db.execute("SELECT count(*) FROM services WHERE active=1").fetchone()[0], 1)
        self.assertEqual(db.execute("SELECT count(*) FROM services").fetchone()[0], active_before)
        db.close()

    def test_a_bad_file_names_the_line_and_changes_nothing(self):
        data = self.seeded_data_dir()
        db_path = os.path.join(data, "zocalo.db")
        before = sqlite3.connect(db_path).execute("SELECT count(*), max(updated_at) FROM services").fetchone()
        csv = self.write("malo.csv", "code,name_es,agency_code,sla_hours\n"
                                     "uno,Uno,sobse,10\n"
                                     "dos,Dos,sobse,muchas\n")
        r = run("services", "import", "--data-dir", data, csv)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 3", r.stderr)
        self.assertIn("sla_hours", r.stderr)
        unknown_agency = self.write("agencia.json",
                                    '[{"code":"x","name":{"es":"X"},"agency_code":"no-existe"}]')
        r = run("services", "import", "--data-dir", data, unknown_agency)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nothing changed", r.stderr)
        after = sqlite3.connect(db_path).execute("SELECT count(*), max(updated_at) FROM services").fetchone()
        self.assertEqual(before, after)

    def test_only_json_and_csv_files_are_accepted(self):
        r = run("services", "import", self.write("catalogo.xlsx", "x"))
        self.assertEqual(r.returncode, 2)
        self.assertIn(".json or .csv", r.stderr)


class KeysAndAuditTest(unittest.TestCase):
    def test_keys_are_created_once_published_and_rotated_with_an_audit_trail(self):
        with Server(name="keys") as server:
            jwks = server.client().get("/.well-known/jwks.json")
            self.assertEqual(jwks.status, 200)
            self.assertEqual(jwks.header("Content-Type"), "application/jwk-set+json")
            keys = json.loads(jwks.body)["keys"]
            self.assertEqual(sorted(k["alg"] for k in keys), ["ES256", "RS256"])
            for k in keys:
                self.assertFalse({"d", "p", "q"} & set(k), "no private members in the JWKS")
            key_file = os.path.join(server.data_dir, "master.key")
            self.assertEqual(os.stat(key_file).st_mode & 0o077, 0, "master.key is private")
            def audited_rows():
                r = run("audit", "verify", "--data-dir", server.data_dir)
                self.assertEqual(r.returncode, 0, r.stderr)
                return int(re.search(r"(\d+) rows verified", r.stdout).group(1))

            before = audited_rows()  # the keys' creation and the demo seeding
            r = run("keys", "rotate", "--data-dir", server.data_dir)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.count("(retiring)"), 2)
            self.assertEqual(audited_rows(), before + 1, "the rotation is audited")

    def test_audit_verify_names_a_tampered_row(self):
        data = tempfile.mkdtemp(prefix="zocalo-audit-")
        with Server(data_dir=data, name="audit"):
            pass  # the first start records the creation of the signing keys
        run("keys", "rotate", "--data-dir", data)
        db = sqlite3.connect(os.path.join(data, "zocalo.db"))
        triggers = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'")]
        self.assertTrue(triggers, "audit_log refuses updates by trigger")
        with self.assertRaises(sqlite3.DatabaseError):
            db.execute("UPDATE audit_log SET action='nothing.happened' WHERE id=1")
        for t in triggers:  # what an intruder with file access could do
            db.execute(f"DROP TRIGGER {t}")
        db.execute("UPDATE audit_log SET action='nothing.happened' WHERE id=1")
        db.commit()
        db.close()
        r = run("audit", "verify", "--data-dir", data)
        self.assertEqual(r.returncode, 1)
        self.assertIn("TAMPERED", r.stderr)
        self.assertIn("row 1", r.stderr)

    def test_new_master_key_is_43_characters_of_base64url(self):
        r = run("keys", "new-master-key")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout.strip(), r"^[A-Za-z0-9_-]{43}$")


class MigrateAndBackupTest(unittest.TestCase):
    def test_migrate_creates_the_schema_and_is_idempotent(self):
        data = tempfile.mkdtemp(prefix="zocalo-migrate-")
        first = run("migrate", "--data-dir", data)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("schema version", first.stdout)
        second = run("migrate", "--data-dir", data)
        self.assertEqual(second.returncode, 0)
        self.assertEqual(first.stdout, second.stdout)

    def test_backup_of_a_live_database_is_consistent_while_writes_continue(self):
        with Server("--rate-limit", "100000", "--rate-burst", "100000", name="backup") as server:
            stop = threading.Event()

            def writer():
                c = server.client()
                token = c.csrf_from(c.get("/opinion").text)
                while not stop.is_set():
                    c.post("/opinion", {"message": "durante el respaldo", "_csrf": token})

            t = threading.Thread(target=writer)
            t.start()
            time.sleep(0.5)  # writes are flowing when the backup starts
            try:
                out = os.path.join(tempfile.mkdtemp(prefix="zocalo-backup-"), "copy.db")
                r = run("backup", "--data-dir", server.data_dir, "--output", out)
                self.assertEqual(r.returncode, 0, r.stderr)
            finally:
                stop.set()
                t.join()
            copy = sqlite3.connect(out)
            self.assertEqual(copy.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertEqual(copy.execute("SELECT count(*) FROM areas").fetchone()[0], 16)
            self.assertGreater(copy.execute("SELECT count(*) FROM feedback").fetchone()[0], 0)
            copy.close()
            # Never overwrites an existing file.
            again = run("backup", "--data-dir", server.data_dir, "--output", out)
            self.assertEqual(again.returncode, 1)
            self.assertIn("already exists", again.stderr)

    def test_backup_of_postgresql_points_to_pg_dump(self):
        r = run("backup", "--database", "postgresql://zocalo@db/zocalo", "--output", "/tmp/x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("pg_dump", r.stderr)


if __name__ == "__main__":
    unittest.main()
