"""The agencies' inbox (/atencion) and the call-centre console (/operador) through the real
binary with the demo people, signed in through Llave's own form (/llave/entrar), JavaScript off:
an operator files a report on behalf of a caller and reads the folio back; staff move it through
its statuses; agency scoping; hostile input refused with nothing stored; page budgets."""
import gzip
import os
import re
import sqlite3
import time
import unittest

from zocalo_server import Client, Server

BUDGET = 14_600  # RFC 6928 initial window: 10 segments
NO_PLATFORM_LIMIT = ["--rate-limit", "100000", "--rate-burst", "100000"]
ADMIN = ("admin@demo.zocalo.mx", "Admin-Demo-2026")
OPERATOR = ("operador@demo.zocalo.mx", "Operador-Demo-2026")
RESIDENT = ("residente@demo.zocalo.mx", "Llave-Demo-2026")


class AtencionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(*NO_PLATFORM_LIMIT, name="atencion").start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, f"serve exited with {code} on SIGTERM"

    def db(self):
        return sqlite3.connect(os.path.join(self.server.data_dir, "zocalo.db"), timeout=10)

    def form_post(self, client, page_path, post_path, fields):
        page = client.get(page_path)
        self.assertEqual(page.status, 200, page_path)
        token = client.csrf_from(page.text)
        self.assertIsNotNone(token, f"{page_path} has no _csrf field")
        return client.post(post_path, dict(fields, _csrf=token))

    def sign_in(self, who, siguiente="/atencion"):
        c = Client(self.server.port)
        r = self.form_post(c, "/llave/entrar", "/llave/entrar",
                           {"identificador": who[0], "password": who[1], "siguiente": siguiente})
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(r.header("Location"), siguiente)
        return c

    def assert_page_rules(self, r, path):
        self.assertEqual(r.status, 200, path)
        self.assertIn('name="viewport"', r.text, path)
        self.assertRegex(r.text, r'<html lang="(es-MX|en)"', path)
        self.assertNotIn("<script", r.text, path)
        self.assertLessEqual(len(gzip.compress(r.body, 9)), BUDGET, path)

    def count_requests(self):
        with self.db() as db:
            return db.execute("SELECT COUNT(*) FROM service_requests").fetchone()[0]

    # -----------------------------------------------------------------------------------------

    def test_signed_out_is_sent_to_sign_in_and_residents_get_403(self):
        c = Client(self.server.port)
        r = c.get("/atencion")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/llave/entrar?siguiente="))
        resident = self.sign_in(RESIDENT, "/mi-llave")
        self.assertEqual(resident.get("/atencion").status, 403)
        self.assertEqual(resident.get("/operador").status, 403)

    def test_operator_files_for_a_caller_and_staff_work_it_to_fixed(self):
        op = self.sign_in(OPERATOR, "/operador")
        page = op.get("/operador?servicio=bache")
        self.assert_page_rules(page, "/operador?servicio=bache")
        before = self.count_requests()
        hostile = {"servicio": "bache", "alcaldia": "09015", "calle": "Av. Juárez 10",
                   "descripcion": "x" * 4001, "nombre": "Juan", "telefono": "55 8765 4321",
                   "attribute[ubicacion]": "arroyo"}
        r = self.form_post(op, "/operador?servicio=bache", "/operador/reportes", hostile)
        self.assertEqual(r.status, 400)
        r = self.form_post(op, "/operador?servicio=bache", "/operador/reportes",
                           dict(hostile, descripcion="ok", lat="1e3", long="-99"))
        self.assertEqual(r.status, 400)
        r = self.form_post(op, "/operador?servicio=bache", "/operador/reportes",
                           dict(hostile, descripcion="ok", nombre="<script>alert(1)</script>"))
        self.assertEqual(r.status, 400)
        self.assertNotIn("<script>alert(1)", r.text)
        self.assertEqual(self.count_requests(), before)

        fields = dict(hostile, descripcion="Bache <b>hondo</b>'; DROP TABLE service_requests;--")
        r = self.form_post(op, "/operador?servicio=bache", "/operador/reportes", fields)
        self.assertEqual(r.status, 303, r.text[:800])
        target = r.header("Location")
        self.assertTrue(target.startswith("/operador/folio/"))
        folio = target.rsplit("/", 1)[1]
        confirmation = op.get(target)
        self.assert_page_rules(confirmation, target)
        self.assertIn(f"{folio[:4]}-{folio[4:]}", confirmation.text)
        self.assertIn(" – ", confirmation.text)  # spelled in two groups
        with self.db() as db:
            channel, phone, agency = db.execute(
                "SELECT channel, phone, agency_code FROM service_requests WHERE folio = ?",
                (folio,)).fetchone()
        self.assertEqual((channel, phone), ("phone", "55 8765 4321"))
        # The caller's requests by the phone they gave.
        self.assertIn(f"{folio[:4]}-{folio[4:]}", op.get("/operador?telefono=55+8765+4321").text)

        admin = self.sign_in(ADMIN)
        inbox = admin.get("/atencion?servicio=bache&orden=vencimiento")
        self.assert_page_rules(inbox, "/atencion")
        detail_path = f"/atencion/{folio}"
        detail = admin.get(detail_path)
        self.assert_page_rules(detail, detail_path)
        self.assertIn("55 8765 4321", detail.text)  # staff see the reporter's contact
        self.assertIn("Bache &lt;b&gt;hondo&lt;/b&gt;", detail.text)
        for estado in ("in_progress", "fixed"):
            r = self.form_post(admin, detail_path, detail_path + "/estado",
                               {"estado": estado, "nota": f"Paso {estado}"})
            self.assertEqual(r.status, 303, r.text[:500])
        r = self.form_post(admin, detail_path, detail_path + "/nota", {"nota": "Solo interno"})
        self.assertEqual(r.status, 303)
        r = self.form_post(admin, detail_path, detail_path + "/estado", {"estado": "in_progress"})
        self.assertEqual(r.status, 409)
        with self.db() as db:
            status = db.execute("SELECT status FROM service_requests WHERE folio = ?",
                                (folio,)).fetchone()[0]
            updates = db.execute(
                "SELECT u.status, u.public FROM service_request_updates u JOIN service_requests r "
                "ON r.id = u.request_id WHERE r.folio = ? ORDER BY u.id", (folio,)).fetchall()
        self.assertEqual(status, "fixed")
        self.assertEqual(updates, [("open", 1), ("in_progress", 1), ("fixed", 1), ("fixed", 0)])
        # The internal note never reaches the Open311 API.
        api = Client(self.server.port).get(
            f"/open311/v2/requests/{folio}.json?extensions=true").text
        self.assertNotIn("Solo interno", api)
        self.assertIn("Paso fixed", api)

    def test_agency_staff_see_only_their_agency(self):
        # Staff of the agency of one demo request: granted in the database, as an admin page would.
        with self.db() as db:
            mine, agency = db.execute("SELECT folio, agency_code FROM service_requests "
                                      "ORDER BY id LIMIT 1").fetchone()
            other = db.execute("SELECT folio FROM service_requests WHERE agency_code <> ? "
                               "LIMIT 1", (agency,)).fetchone()[0]
            db.execute("INSERT INTO staff_roles (account_id, role, agency_id, granted_at) "
                       "SELECT a.id, 'agency_staff', g.id, ? FROM accounts a, agencies g "
                       "WHERE a.email = ? AND g.code = ?", (int(time.time()), RESIDENT[0], agency))
        try:
            staff = self.sign_in(RESIDENT)
            inbox = staff.get("/atencion?estado=todas")
            self.assertEqual(inbox.status, 200)
            self.assertNotIn(f"/atencion/{other}\"", inbox.text)
            self.assertEqual(staff.get(f"/atencion/{mine}").status, 200)
            self.assertEqual(staff.get(f"/atencion/{other}").status, 403)
            r = self.form_post(staff, f"/atencion/{mine}", f"/atencion/{other}/nota",
                               {"nota": "no debería"})
            self.assertEqual(r.status, 403)
            with self.db() as db:
                n = db.execute("SELECT COUNT(*) FROM service_request_updates u JOIN "
                               "service_requests r ON r.id = u.request_id WHERE r.folio = ? AND "
                               "u.description = 'no debería'", (other,)).fetchone()[0]
            self.assertEqual(n, 0)
            for bad in ("/atencion?estado=x", "/atencion?pagina=-1", "/atencion?orden=1"):
                self.assertEqual(staff.get(bad).status, 400, bad)
        finally:
            with self.db() as db:
                db.execute("DELETE FROM staff_roles WHERE role = 'agency_staff' AND account_id = "
                           "(SELECT id FROM accounts WHERE email = ?)", (RESIDENT[0],))


if __name__ == "__main__":
    unittest.main()
