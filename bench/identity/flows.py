#!/usr/bin/python3
"""The scripted browser steps bench/identity/run needs before it can point wrk at zocalo.

  flows.py signin-pair BASE EMAIL PASSWORD
      GET /llave/entrar for a session cookie and its CSRF token, then POST the sign-in form
      twice with that same pair: both must answer 303 to `siguiente`, which proves wrk may
      replay one pair for every request of the storm. Prints {"cookie", "csrf", "body",
      "location"}.
  flows.py staff-cookie BASE EMAIL PASSWORD
      Signs in and prints {"cookie"}: the signed-in session's Cookie header (for wrk on staff
      pages such as /admin/cuentas).
  flows.py code-token BASE CLIENT_ID CLIENT_SECRET REDIRECT_URI EMAIL PASSWORD
      The authorization code flow with PKCE as a browser and a relying party do it: sign in,
      GET /oidc/authorize, accept the consent form if one is shown (/llave/autorizar), take the
      code from the redirect, POST /oidc/token with Basic client authentication. Prints
      {"access_token"} (scope openid profile email).

Standard library only; no redirect is followed automatically, so every hop is checked. Exits 1
with a one-line reason on the first answer that is not what the flow expects.
"""
import base64
import hashlib
import html.parser
import http.client
import json
import secrets
import sys
import urllib.parse

SIGNIN_PATH = "/llave/entrar"
NEXT_PATH = "/mi-llave"


class Fail(Exception):
    pass


class Browser:
    """A cookie jar over one keep-alive connection to BASE."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        if url.scheme != "http" or not url.hostname:
            raise Fail("BASE must be http://host:port")
        self.host, self.port = url.hostname, url.port or 80
        self.cookies = {}

    def cookie_header(self):
        return "; ".join("%s=%s" % kv for kv in self.cookies.items())

    def request(self, method, target, form=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, target, body=body, headers=all_headers)
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", "replace")
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if "max-age=0" in value.lower() or val == "":
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
        conn.close()
        return resp.status, resp.getheader("Location") or "", data


class Forms(html.parser.HTMLParser):
    """Every <form> of a page: action, method, and its named fields with their values."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method":
                               (a.get("method") or "get").lower(), "fields": [], "buttons": []})
        elif self.forms and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                self.forms[-1]["buttons"].append((a["name"], a.get("value") or ""))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1]["fields"].append((a["name"], a.get("value") or ""))
        elif self.forms and tag == "button" and a.get("name"):
            self.forms[-1]["buttons"].append((a["name"], a.get("value") or ""))


def forms_of(page):
    parser = Forms()
    parser.feed(page)
    return parser.forms


def csrf_of(page):
    for form in forms_of(page):
        for name, value in form["fields"]:
            if name == "_csrf" and value:
                return value
    raise Fail("no _csrf field on the page")


def sign_in(browser, email, password, target=NEXT_PATH):
    status, _, page = browser.request("GET", SIGNIN_PATH + "?" +
                                      urllib.parse.urlencode({"siguiente": target}))
    if status != 200:
        raise Fail("GET %s answered %d" % (SIGNIN_PATH, status))
    csrf = csrf_of(page)
    cookie = browser.cookie_header()
    form = {"identificador": email, "password": password, "_csrf": csrf, "siguiente": target}
    status, location, _ = browser.request("POST", SIGNIN_PATH, form=form)
    if status != 303 or location != target:
        raise Fail("sign-in as %s answered %d to %r (expected 303 to %s; a second factor or a "
                   "wrong password?)" % (email, status, location, target))
    return cookie, csrf, form


def signin_pair(base, email, password):
    browser = Browser(base)
    cookie, csrf, form = sign_in(browser, email, password)
    # Replay with the pre-sign-in cookie, as every wrk request will.
    replay = Browser(base)
    replay.cookies = dict(kv.split("=", 1) for kv in cookie.split("; ") if kv)
    status, location, _ = replay.request("POST", SIGNIN_PATH, form=form)
    if status != 303 or location != NEXT_PATH:
        raise Fail("replayed sign-in answered %d to %r: the cookie/CSRF pair cannot be reused"
                   % (status, location))
    return {"cookie": cookie, "csrf": csrf, "body": urllib.parse.urlencode(form),
            "location": NEXT_PATH}


def staff_cookie(base, email, password):
    browser = Browser(base)
    sign_in(browser, email, password)
    status, _, _ = browser.request("GET", "/admin/cuentas?q=ma")
    if status != 200:
        raise Fail("GET /admin/cuentas?q=ma as %s answered %d" % (email, status))
    return {"cookie": browser.cookie_header()}


def code_token(base, client_id, client_secret, redirect_uri, email, password):
    browser = Browser(base)
    sign_in(browser, email, password)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    state = secrets.token_urlsafe(16)
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
        "scope": "openid profile email", "state": state, "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge.decode(), "code_challenge_method": "S256"})
    status, location, page = browser.request("GET", "/oidc/authorize?" + query)
    for _ in range(5):  # consent page, perhaps behind a redirect or two
        if status in (302, 303) and location.startswith(redirect_uri):
            break
        if status in (302, 303):
            target = urllib.parse.urlsplit(location)
            status, location, page = browser.request(
                "GET", target.path + ("?" + target.query if target.query else ""))
            continue
        if status != 200:
            raise Fail("authorize answered %d" % status)
        posts = [f for f in forms_of(page) if f["method"] == "post"]
        if not posts:
            raise Fail("authorize showed a page without a form")
        form = posts[0]
        fields = list(form["fields"])
        if form["buttons"]:
            # The first button is the affirmative one by convention; prefer one that says so.
            allow = [b for b in form["buttons"]
                     if any(w in (b[0] + b[1]).lower() for w in ("allow", "permit", "acept",
                                                                  "autoriz", "yes", "si"))]
            fields.append((allow or form["buttons"])[0])
        action = form["action"] or "/llave/autorizar"
        status, location, page = browser.request("POST", action, form=fields)
    else:
        raise Fail("no redirect to the client after consent")
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    if params.get("state") != [state] or "code" not in params:
        raise Fail("redirect without code/state: %s" % location)
    rp = Browser(base)
    basic = base64.b64encode(("%s:%s" % (urllib.parse.quote(client_id, safe=""),
                                         urllib.parse.quote(client_secret, safe=""))).encode())
    status, _, body = rp.request("POST", "/oidc/token", form={
        "grant_type": "authorization_code", "code": params["code"][0],
        "redirect_uri": redirect_uri, "code_verifier": verifier},
        headers={"Authorization": "Basic " + basic.decode()})
    if status != 200:
        raise Fail("token endpoint answered %d: %s" % (status, body[:200]))
    token = json.loads(body).get("access_token")
    if not token:
        raise Fail("token response without access_token")
    status, _, body = rp.request("GET", "/oidc/userinfo",
                                 headers={"Authorization": "Bearer " + token})
    if status != 200:
        raise Fail("userinfo answered %d: %s" % (status, body[:200]))
    return {"access_token": token}


def main(argv):
    commands = {"signin-pair": (signin_pair, 3), "staff-cookie": (staff_cookie, 3),
                "code-token": (code_token, 6)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    fn, _ = commands[argv[1]]
    try:
        print(json.dumps(fn(*argv[2:])))
    except (Fail, OSError, http.client.HTTPException, ValueError) as e:
        print("flows.py %s: %s" % (argv[1], e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
