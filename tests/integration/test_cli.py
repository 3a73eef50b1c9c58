"""The command line as an operator meets it: help, configuration sources, migrate, backup."""
import os
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
