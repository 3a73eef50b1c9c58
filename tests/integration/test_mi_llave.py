"""Mi Llave (profile, devices, activity) and the staff account pages through the real binary:
residents sign up and sign in through Llave's own pages (/llave/registro, /llave/entrar), with
e-mail verification links from a real SMTP capture; every staff change goes through the admin
pages. Only the very first admin is written into the database, since nothing may grant the
first one (the demo seeding does the same)."""
import gzip
import os
import random
import re
import sqlite3
import time
import unittest
import urllib.parse

from zocalo_server import Client, Server
from test_llave import BUDGET, NO_PLATFORM_LIMIT, PASSWORD, Mailbox, make_curp, signup_fields

CHROME_ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Mobile Safari/537.36")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


class Browser(Client):
    """A client that always sends its User-Agent and language, like a browser."""

    def __init__(self, port, user_agent=CHROME_ANDROID, language="es-MX"):
        super().__init__(port)
        self.user_agent = user_agent
        self.language = language

    def request(self, method, path, body=None, headers=None, follow=False):
        hdrs = {"User-Agent": self.user_agent, "Accept-Language": self.language}
        hdrs.update(headers or {})
        return super().request(method, path, body=body, headers=hdrs, follow=follow)


def unique(tag):
    return f"{tag}.{random.randrange(10**9)}@example.mx"


class MiLlaveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mail = Mailbox()
        cls.server = Server(*(cls.mail.flags() + NO_PLATFORM_LIMIT), name="mi-llave").start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        cls.mail.close()
        assert code == 0, f"serve exited with {code} on SIGTERM"

    # --- helpers -----------------------------------------------------------------------------

    def browser(self, user_agent=CHROME_ANDROID, language="es-MX"):
        return Browser(self.server.port, user_agent, language)

    def form_post(self, client, page_path, post_path, fields):
        page = client.get(page_path)
        self.assertEqual(page.status, 200, page_path)
        token = client.csrf_from(page.text)
        self.assertIsNotNone(token, f"{page_path} has no _csrf field")
        return client.post(post_path, dict(fields, _csrf=token))

    def resident(self, tag, verify=True, name=("Ana María", "Gómez Narváez")):
        """Signs a new resident up through /llave/registro (and the e-mail link); returns
        (email, curp)."""
        c = self.browser()
        email, curp = unique(tag), make_curp()
        fields = signup_fields(email, curp=curp)
        fields["nombre"], fields["apellidos"] = name
        r = self.form_post(c, "/llave/registro", "/llave/registro", fields)
        self.assertEqual(r.status, 200, r.text)
        if verify:
            body = self.mail.wait_for(email)[0]["body"]
            m = re.search(r"https?://[^\s]+(/llave/verificar-correo\?token=[A-Za-z0-9_-]+)", body)
            self.assertIsNotNone(m, body)
            self.assertEqual(c.get(m.group(1)).status, 200)
        return email, curp

    def sign_in(self, email, user_agent=CHROME_ANDROID, language="es-MX"):
        c = self.browser(user_agent, language)
        r = self.form_post(c, "/llave/entrar", "/llave/entrar",
                           {"identificador": email, "password": PASSWORD, "siguiente": "/mi-llave"})
        self.assertEqual(r.status, 303, r.text)
        self.assertEqual(r.header("Location"), "/mi-llave")
        return c

    def account_id(self, email):
        with sqlite3.connect(os.path.join(self.server.data_dir, "zocalo.db"), timeout=10) as db:
            return db.execute("SELECT id FROM accounts WHERE email = ?", (email,)).fetchone()[0]

    def first_admin(self, email):
        # The one thing no page can do: make the first admin.
        with sqlite3.connect(os.path.join(self.server.data_dir, "zocalo.db"), timeout=10) as db:
            db.execute("INSERT INTO staff_roles (account_id, role, granted_at) "
                       "SELECT id, 'admin', ? FROM accounts WHERE email = ?",
                       (int(time.time()), email))

    def assert_page_rules(self, r, path, lang="es-MX"):
        self.assertEqual(r.status, 200, path)
        self.assertTrue(r.header("Content-Type").startswith("text/html"), path)
        self.assertLessEqual(len(gzip.compress(r.body, 6)), BUDGET, f"{path} over budget")
        self.assertIn(f'<html lang="{lang}">', r.text, path)
        self.assertIn('name="viewport"', r.text, path)
        self.assertNotIn("<script", r.text.lower(), path)

    # --- tests -------------------------------------------------------------------------------

    def test_signed_out_pages_send_to_sign_in_and_come_back(self):
        c = self.browser()
        for path in ["/mi-llave", "/mi-llave/sesiones", "/mi-llave/actividad?antes=5",
                     "/admin/cuentas?q=ana", "/admin/cuentas/1"]:
            r = c.get(path)
            self.assertEqual(r.status, 303, path)
            self.assertEqual(r.header("Location"),
                             "/llave/entrar?siguiente=" + urllib.parse.quote(path, safe=""), path)

    def test_profile_edit_devices_and_activity(self):
        email, _ = self.resident("perfil")
        phone = self.sign_in(email, CHROME_ANDROID)
        laptop = self.sign_in(email, FIREFOX_WINDOWS)
        tablet = self.sign_in(email, SAFARI_IPHONE)

        page = phone.get("/mi-llave")
        self.assert_page_rules(page, "/mi-llave")
        self.assertIn("Ana María Gómez Narváez", page.text)
        self.assertIn(f"{email} · <strong>Verificado</strong>", page.text)
        self.assertIn("<strong>Nivel 1.</strong>", page.text)
        self.assertIn('value="Calle Moneda 1, Centro"', page.text)  # sign-up's free-text address
        for link in ["/mi-llave/seguridad", "/mi-llave/sesiones", "/mi-llave/actividad",
                     "/mi-llave/servicios"]:
            self.assertIn(f'href="{link}"', page.text)
        self.assert_page_rules(laptop.get("/mi-llave", headers={"Accept-Language": "en"}),
                               "/mi-llave (en)", "en")

        edit = {"given_name": "Ana María", "family_name": "Gómez Narváez",
                "birth_date": "1985-02-12", "street": "Moneda 1", "colonia": "Centro",
                "municipality": "Cuauhtémoc", "postal_code": "06000", "state": "Ciudad de México"}
        # Without the CSRF token nothing changes.
        self.assertEqual(phone.post("/mi-llave", edit).status, 403)
        bad = self.form_post(phone, "/mi-llave", "/mi-llave", dict(edit, postal_code="6000"))
        self.assertEqual(bad.status, 400)
        self.assertIn("exactamente 5 números", bad.text)
        r = self.form_post(phone, "/mi-llave", "/mi-llave", edit)
        self.assertEqual(r.status, 303)
        page = phone.get("/mi-llave")
        self.assertIn("Guardamos tus datos.", page.text)
        self.assertIn("06000 Cuauhtémoc, Ciudad de México", page.text)

        sessions = phone.get("/mi-llave/sesiones")
        self.assert_page_rules(sessions, "/mi-llave/sesiones")
        self.assertIn("Chrome en Android · este dispositivo", sessions.text)
        self.assertIn("Firefox en Windows", sessions.text)
        self.assertIn("Safari en iPhone", sessions.text)
        # Sign the laptop out from the phone.
        block = re.search(r"Firefox en Windows</h2>.*?name=\"sesion\" value=\"([0-9a-f]{16})\"",
                          sessions.text, re.S)
        self.assertIsNotNone(block, sessions.text)
        r = phone.post("/mi-llave/sesiones/cerrar",
                       {"_csrf": phone.csrf_from(sessions.text), "sesion": block.group(1)})
        self.assertEqual(r.status, 303)
        self.assertEqual(laptop.get("/mi-llave").status, 303)
        self.assertEqual(tablet.get("/mi-llave").status, 200)
        # Then every other device.
        self.assertEqual(laptop.post("/mi-llave/sesiones/cerrar-otras", {}).status, 403)
        r = self.form_post(phone, "/mi-llave/sesiones", "/mi-llave/sesiones/cerrar-otras", {})
        self.assertEqual(r.status, 303)
        self.assertEqual(tablet.get("/mi-llave").status, 303)
        self.assertEqual(phone.get("/mi-llave").status, 200)

        activity = phone.get("/mi-llave/actividad")
        self.assert_page_rules(activity, "/mi-llave/actividad")
        for text in ["Se corrigieron tus datos personales", "Se cerró la sesión en otros dispositivos: 1",
                     "Inicio de sesión con contraseña", "Confirmaste tu correo electrónico", "desde la IP 127.0.0.1"]:
            self.assertIn(text, activity.text)
        self.assertEqual(phone.get("/mi-llave/actividad?antes=x").status, 400)

    def test_staff_search_levels_and_roles(self):
        admin_email, _ = self.resident("admin", name=("Sara", "Administradora"))
        verifier_email, _ = self.resident("verif", name=("Verónica", "Verificadora"))
        ana_email, ana_curp = self.resident("ana", name=("Ana", "Núñez Pérez"))
        new_email, _ = self.resident("nueva", verify=False, name=("Nora", "Nueva"))
        self.first_admin(admin_email)
        ana_id, verifier_id = self.account_id(ana_email), self.account_id(verifier_email)

        resident = self.sign_in(ana_email)
        self.assertEqual(resident.get("/admin/cuentas").status, 403)
        self.assertEqual(resident.get(f"/admin/cuentas/{ana_id}").status, 403)

        admin = self.sign_in(admin_email)
        for q in [ana_curp[:8], ana_curp[:4].lower(), ana_email[:6], "ana nu", "Ana Núñez"]:
            page = admin.get("/admin/cuentas?q=" + urllib.parse.quote(q))
            self.assertEqual(page.status, 200, q)
            self.assertIn(f'href="/admin/cuentas/{ana_id}"', page.text, q)
        self.assert_page_rules(admin.get("/admin/cuentas?q=an"), "/admin/cuentas?q=an")
        self.assertEqual(admin.get("/admin/cuentas?q=a").status, 400)

        # The admin makes the verifier, then confirms Ana's CURP (level 2).
        detail = f"/admin/cuentas/{verifier_id}"
        r = self.form_post(admin, detail, detail + "/roles", {"rol": "verifier", "dependencia": ""})
        self.assertEqual(r.status, 303, r.text)
        self.assertIn("Verificación de identidad", admin.get(detail).text)
        ana = f"/admin/cuentas/{ana_id}"
        self.assert_page_rules(admin.get(ana), ana)
        # Level 3 needs level 2 first.
        verifier = self.sign_in(verifier_email)
        r = self.form_post(verifier, "/mi-llave", ana + "/nivel-3", {"documento": "ine"})
        self.assertEqual(r.status, 409)
        self.assertIn("primero hay que confirmar su CURP", r.text)
        r = self.form_post(admin, ana, ana + "/nivel-2", {"curp": ana_curp})
        self.assertEqual(r.status, 303, r.text)
        r = self.form_post(verifier, ana, ana + "/nivel-3", {"documento": "ine"})
        self.assertEqual(r.status, 303, r.text)
        self.assertIn("Verificada en persona por Verónica Verificadora", verifier.get(ana).text)
        # An account without a verified contact cannot reach level 2.
        nueva = f"/admin/cuentas/{self.account_id(new_email)}"
        self.assertNotIn("/nivel-2", admin.get(nueva).text)
        r = self.form_post(admin, "/mi-llave", nueva + "/nivel-2", {"curp": make_curp()})
        self.assertEqual(r.status, 409)

        # Everything the officials did is on Ana's own activity page, with their names.
        activity = resident.get("/mi-llave/actividad")
        self.assertIn("se revisó en persona tu credencial para votar (INE)", activity.text)
        self.assertIn("Personal de la ciudad: Verónica Verificadora", activity.text)
        self.assertIn("Tu cuenta subió al nivel de confianza 2", activity.text)
        self.assertIn("Personal de la ciudad: Sara Administradora", activity.text)
        self.assertIn("<strong>Nivel 3.</strong>", resident.get("/mi-llave").text)
        # The verifier's own page shows the role they were given.
        self.assertIn("Se te dio el permiso de personal: Verificación de identidad",
                      verifier.get("/mi-llave/actividad").text)


if __name__ == "__main__":
    unittest.main()
