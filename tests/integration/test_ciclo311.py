"""311's agency work and followers through the real binary and a real SMTP server
(tests/harness/smtp_capture.py), with the demo people: the demo water-system staff hands a
request to a colleague of their agency (never to anybody else) and the colleague gets the
e-mail; the demo resident follows a request, gets the agency's status change by e-mail in
her language with a stop link, and stops following through it without signing in; the link
then is spent and no more e-mail comes."""
import os
import re
import sqlite3
import time
import unittest

from zocalo_server import Client, Mailbox, Server

NO_PLATFORM_LIMIT = ["--rate-limit", "100000", "--rate-burst", "100000"]
WATER = ("agua@demo.zocalo.mx", "Agua-Demo-2026")
WATER_COLLEAGUE = ("fugas@demo.zocalo.mx", "Fugas-Demo-2026")
BOROUGH = ("cuauhtemoc@demo.zocalo.mx", "Cuauhtemoc-Demo-2026")
RESIDENT = ("residente@demo.zocalo.mx", "Llave-Demo-2026")


class CicloTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mail = Mailbox()
        cls.server = Server(*cls.mail.flags(), *NO_PLATFORM_LIMIT, name="ciclo311").start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        cls.mail.close()
        assert code == 0, f"serve exited with {code} on SIGTERM"

    def db(self):
        return sqlite3.connect(os.path.join(self.server.data_dir, "zocalo.db"), timeout=10)

    def form_post(self, client, page_path, post_path, fields):
        page = client.get(page_path)
        self.assertEqual(page.status, 200, page_path)
        token = client.csrf_from(page.text)
        self.assertIsNotNone(token, f"{page_path} has no _csrf field")
        return client.post(post_path, dict(fields, _csrf=token))

    def sign_in(self, who, siguiente):
        c = Client(self.server.port)
        r = self.form_post(c, "/llave/entrar", "/llave/entrar",
                           {"identificador": who[0], "password": who[1], "siguiente": siguiente})
        self.assertEqual(r.status, 303, r.text[:500])
        return c

    def open_request(self, agency, skip=()):
        with self.db() as db:
            rows = db.execute(
                "SELECT folio FROM service_requests WHERE agency_code = ? AND status = 'open' "
                "ORDER BY id", (agency,)).fetchall()
        for (folio,) in rows:
            if folio not in skip:
                return folio
        self.fail(f"no open demo request of {agency}")

    def account_id(self, email):
        with self.db() as db:
            return db.execute("SELECT id FROM accounts WHERE email = ?", (email,)).fetchone()[0]

    def test_assign_to_a_colleague_of_the_agency_who_gets_an_email(self):
        folio = self.open_request("sacmex")
        page = f"/atencion/{folio}"
        water = self.sign_in(WATER, "/atencion")
        shown = water.get(page)
        self.assertEqual(shown.status, 200)
        colleague = self.account_id(WATER_COLLEAGUE[0])
        self.assertIn(f'<option value="{colleague}">Luis Ramírez Torres</option>', shown.text)
        self.assertNotIn("Carmen Flores", shown.text)  # another agency's staff
        # Staff of another agency, an admin, a resident: refused with a 400, nothing changed.
        for other in (BOROUGH[0], "admin@demo.zocalo.mx", RESIDENT[0]):
            r = self.form_post(water, page, page + "/asignar", {"a": str(self.account_id(other))})
            self.assertEqual(r.status, 400, other)
        with self.db() as db:
            self.assertIsNone(db.execute(
                "SELECT assignee_account_id FROM service_requests WHERE folio = ?",
                (folio,)).fetchone()[0])
        r = self.form_post(water, page, page + "/asignar", {"a": str(colleague)})
        self.assertEqual(r.status, 303, r.text[:500])
        mail = self.mail.wait_for(WATER_COLLEAGUE[0])[0]
        shown_folio = f"{folio[:4]}-{folio[4:]}"
        self.assertIn(shown_folio, mail["subject"])
        self.assertIn(f"{self.server.base}/atencion/{folio}", mail["body"])
        self.assertEqual(mail["defects"], [])
        # The colleague sees it as theirs.
        luis = self.sign_in(WATER_COLLEAGUE, "/atencion")
        self.assertIn("Luis Ramírez Torres", luis.get(page).text)

    def test_a_follower_gets_the_email_and_stops_following_from_its_link(self):
        folio = self.open_request("sacmex", skip=self._used())
        ana = self.sign_in(RESIDENT, f"/reportes/{folio}")
        r = self.form_post(ana, f"/reportes/{folio}", f"/reportes/{folio}/seguir", {})
        self.assertEqual(r.status, 303)
        before = len(self.mail.messages_to(RESIDENT[0]))
        water = self.sign_in(WATER, "/atencion")
        page = f"/atencion/{folio}"
        r = self.form_post(water, page, page + "/estado",
                           {"estado": "in_progress", "nota": "Cuadrilla en camino"})
        self.assertEqual(r.status, 303, r.text[:500])
        mail = self.mail.wait_for(RESIDENT[0], count=before + 1)[-1]
        shown = f"{folio[:4]}-{folio[4:]}"
        self.assertEqual(mail["subject"], f"Novedades del reporte {shown} que sigues")
        self.assertIn("Cuadrilla en camino", mail["body"])
        self.assertIn(f"{self.server.base}/reportes/{folio}", mail["body"])
        self.assertNotIn("clave=", mail["body"])  # the reporter's private link: never to followers
        stop = re.search(r"(/reportes/dejar-de-seguir\?codigo=[A-Za-z0-9_-]+)", mail["body"])
        self.assertTrue(stop, mail["body"])

        # Without signing in: the GET changes nothing (mail scanners), the POST stops it.
        anyone = Client(self.server.port)
        page = anyone.get(stop.group(1))
        self.assertEqual(page.status, 200)
        self.assertIn(shown, page.text)
        with self.db() as db:
            self.assertEqual(db.execute(
                "SELECT COUNT(*) FROM service_request_followers f JOIN service_requests r "
                "ON r.id = f.request_id WHERE r.folio = ?", (folio,)).fetchone()[0], 1)
        codigo = stop.group(1).split("codigo=")[1]
        r = anyone.post("/reportes/dejar-de-seguir",
                        {"_csrf": anyone.csrf_from(page.text), "codigo": codigo})
        self.assertEqual(r.status, 200)
        self.assertIn("Ya no sigues este reporte", r.text)
        with self.db() as db:
            self.assertEqual(db.execute(
                "SELECT COUNT(*) FROM service_request_followers f JOIN service_requests r "
                "ON r.id = f.request_id WHERE r.folio = ?", (folio,)).fetchone()[0], 0)
        # Spent; and a hostile token is a 400.
        self.assertEqual(anyone.get(stop.group(1)).status, 404)
        self.assertEqual(anyone.get("/reportes/dejar-de-seguir?codigo=%27%20OR%201%3D1").status, 400)
        # No more e-mail for her.
        count = len(self.mail.messages_to(RESIDENT[0]))
        r = self.form_post(water, f"/atencion/{folio}", f"/atencion/{folio}/estado",
                           {"estado": "fixed", "nota": "Fuga reparada"})
        self.assertEqual(r.status, 303)
        time.sleep(3)
        self.assertEqual(len(self.mail.messages_to(RESIDENT[0])), count)

    def _used(self):
        with self.db() as db:
            return {f for (f,) in db.execute(
                "SELECT folio FROM service_requests WHERE assignee_account_id IS NOT NULL")}


if __name__ == "__main__":
    unittest.main()
