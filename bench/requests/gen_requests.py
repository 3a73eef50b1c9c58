#!/usr/bin/python3
"""Loads N generated 311 requests (and their updates) into a seeded zocalo database.

Usage:
  gen_requests.py sqlite DATABASE [--count 1000000] [--seed 4]
  gen_requests.py postgres URL [--psql PSQL] [--count 1000000] [--seed 4]
  gen_requests.py copy URL --from DATABASE [--upto ID] [--psql PSQL]
      the requests (and updates) gen_requests.py put into the SQLite DATABASE, copied into the
      seeded PostgreSQL database at URL, so that both databases hold the same city
  gen_requests.py bodies DATABASE|URL --out FILE [--count 2000]   (POST bodies for wrk)

Run it after `zocalo serve --demo` has seeded the database once (areas, agencies, the demo
catalog, routing rules, the demo API key) and stopped; no server may have it open. Every row is
what RequestStore::insert and apply_update would have written (migrations 0010-0014):

- a point drawn uniformly inside the real boundary of its alcaldía (the `areas` GeoJSON, exact
  even-odd test against every ring, edges bucketed in latitude bands), alcaldías weighted by
  population (INEGI 2020), so area_code is the area that contains the point;
- the service weighted like the demo (lighting and water dominate), its required Open311
  attributes answered with valid values, attributes_json as attributes_to_json writes it;
- agency_code from routing_rules exactly as RoutingStore::agency_for picks it (the most
  specific of (service, area), (service, *), (*, area), (*, *), else the service's agency);
- requested_at spread uniformly over 2 years, during the Mexico City
  day, so the default 90-day window holds ~120k of 1,000,000; expected_at from the service's
  SLA in working hours on the Mexico City office calendar (working_calendar.cpp: Mon-Fri
  09:00-18:00 UTC-6, LFT art. 74 rest days);
- statuses like a real city: old requests mostly closed (fixed, closed_not_fixed, duplicate of
  an earlier request of the same service), recent ones mostly open; one update row per step
  (the "open" intake row first, actor = channel), updated_at/closed_at/status_notes consistent
  with the last one;
- folios unique and valid (Crockford base 32, the GF(32) check symbol of model/folio.cpp),
  tokens as crypto::random_token(16) (22 base64url characters), unique;
- channels web / phone / api:demo-app (with its api_key_id), 4% private, some contacts.

SQLite: one transaction, prepared INSERTs by executemany; the R*Tree is filled by the
migration's own trigger; the service_requests indexes are dropped for the load and re-created
from their stored SQL. PostgreSQL: one psql session, COPY FROM STDIN of both tables in one
transaction (geom is a generated column: the database derives it; the secondary indexes are dropped for
the load and re-created from their definitions), then the identity sequences moved past the
loaded ids, VACUUM (ANALYZE). Prints one JSON line (rows, seconds, window count).
"""
import argparse
import base64
import bisect
import datetime
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

FOLIO_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# INEGI Censo 2020 population (thousands): where 311 requests come from.
POPULATION = {
    "09002": 432, "09003": 614, "09004": 217, "09005": 1173, "09006": 404, "09007": 1835,
    "09008": 247, "09009": 152, "09010": 759, "09011": 392, "09012": 699, "09013": 442,
    "09014": 434, "09015": 545, "09016": 414, "09017": 443,
}

# Service weights and sample texts, as src/requests/store/demo_requests.cpp's kSamples.
SAMPLES = [
    ("luminaria-apagada", 24, ["Tres luminarias apagadas en toda la cuadra, está muy oscuro.",
                               "La lámpara del poste parpadea toda la noche."]),
    ("fuga-de-agua", 20, ["Fuga de agua limpia en la banqueta desde hace dos días.",
                          "Brota agua de la toma frente al número 24."]),
    ("falta-de-agua", 14, ["No ha llegado agua en toda la semana a la colonia.",
                           "Llega el agua sin presión, no sube al tinaco."]),
    ("bache", 12, ["Bache grande en el carril derecho, ya se ponchó una llanta.",
                   "Hoyo profundo junto a la coladera."]),
    ("basura-no-recolectada", 8, ["El camión de la basura no ha pasado desde el lunes."]),
    ("drenaje-tapado", 6, ["Coladera tapada, se inunda la calle cuando llueve."]),
    ("arbol-caido", 3, ["Árbol caído sobre la banqueta después de la lluvia."]),
    ("poda-de-arbol", 3, ["Las ramas del árbol tocan los cables de luz."]),
    ("grafiti", 2, ["Grafiti en la barda de la escuela primaria."]),
    ("banqueta-danada", 2, ["Banqueta levantada por raíces, peligroso para personas mayores."]),
    ("ruido", 2, ["Fiesta con música a todo volumen todas las noches."]),
    ("semaforo-descompuesto", 2, ["El semáforo está intermitente desde la mañana."]),
    ("tiradero-clandestino", 1, ["Tiran cascajo y muebles en el camellón."]),
    ("animal-en-situacion-de-calle", 1, ["Perrito herido en la esquina, no se puede mover."]),
    ("vehiculo-abandonado", 1, ["Auto sin placas abandonado hace más de un mes."]),
]
STREETS = ["Calle Morelos", "Av. Insurgentes Sur", "Calle Hidalgo", "Eje 3 Sur", "Calzada de Tlalpan",
           "Av. Revolución", "Calle Juárez", "Av. Central", "Calle 5 de Mayo", "Calle Zaragoza",
           "Av. Universidad", "Calle Allende", "Calzada Ermita Iztapalapa", "Av. Division del Norte"]
NOTES = {
    "acknowledged": "Recibido por la dependencia; se asignó una cuadrilla.",
    "in_progress": "La cuadrilla está trabajando en el lugar.",
    "action_scheduled": "Trabajo programado para la próxima semana.",
    "fixed": "Atendido. Gracias por reportar.",
    "closed_not_fixed": "No procede: el problema está en propiedad privada.",
    "duplicate": "Ya estaba reportado; se sigue en el reporte original.",
    "reopened": "La vecina reporta que el problema sigue.",
}
CLOSED = {"fixed", "closed_not_fixed", "duplicate"}
DAY = 86400
SPAN_DAYS = 730
CITY_OFFSET = -6 * 3600  # America/Mexico_City (working_calendar.hpp)


# --- folios and tokens ---------------------------------------------------------------------------

def gf32_multiply(a, b):
    product = 0
    for bit in range(5):
        if (b >> bit) & 1:
            product ^= a
        a <<= 1
        if a & 0b100000:
            a ^= 0b100101
    return product


WEIGHTS = [0] * 8
_power = 1
for _i in range(7, -1, -1):
    WEIGHTS[_i] = _power
    _power = gf32_multiply(_power, 2)
# MUL[i][v] = WEIGHTS[i] * v in GF(32), for the first seven positions.
MUL = [[gf32_multiply(WEIGHTS[i], v) for v in range(32)] for i in range(7)]


def folio_from(entropy):
    """model/folio.cpp's Folio::from_entropy: 7 symbols from the low bits, then the check."""
    values = []
    for _ in range(7):
        values.append(entropy & 0x1F)
        entropy >>= 5
    check = 0
    for i, v in enumerate(values):
        check ^= MUL[i][v]
    return "".join(FOLIO_ALPHABET[v] for v in values) + FOLIO_ALPHABET[check]


def token(rng):
    return base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode()


# --- the working calendar (working_calendar.cpp) -------------------------------------------------

def nth_monday(y, m, n):
    d = datetime.date(y, m, 1)
    d += datetime.timedelta(days=(7 - d.weekday()) % 7)
    return d + datetime.timedelta(days=7 * (n - 1))


_rest_cache = {}


def is_rest_day(d):
    if d in _rest_cache:
        return _rest_cache[d]
    y = d.year
    rest = ((d.month, d.day) in ((1, 1), (5, 1), (9, 16), (12, 25)) or
            d in (nth_monday(y, 2, 1), nth_monday(y, 3, 3), nth_monday(y, 11, 3)) or
            (y >= 2024 and (y - 2024) % 6 == 0 and (d.month, d.day) == (10, 1)) or
            (2006 <= y < 2024 and (2018 - y) % 6 == 0 and (d.month, d.day) == (12, 1)))
    _rest_cache[d] = rest
    return rest


_working_cache = {}


def is_working_day(day):
    """Day number since 1970-01-01 (city time): Monday to Friday and not a rest day."""
    working = _working_cache.get(day)
    if working is None:
        date = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
        working = date.weekday() < 5 and not is_rest_day(date)
        _working_cache[day] = working
    return working


def add_working_hours(start, hours):
    """The earliest instant with `hours` of Mon-Fri 09:00-18:00 (city time) after start."""
    remaining = int(round(hours * 3600))
    if remaining <= 0:
        return start
    local = start + CITY_OFFSET
    day = local // DAY
    while True:
        if is_working_day(day):
            open_at, close_at = day * DAY + 9 * 3600, day * DAY + 18 * 3600
            begin = max(open_at, local)
            if begin < close_at:
                if begin + remaining <= close_at:
                    return begin + remaining - CITY_OFFSET
                remaining -= close_at - begin
        day += 1


# --- points inside the alcaldías -------------------------------------------------------------------

class Area:
    """One alcaldía: its rings, with edges bucketed in latitude bands for the even-odd test."""

    BANDS = 512

    def __init__(self, code, geojson):
        geom = json.loads(geojson)
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        self.code = code
        edges = []
        xs, ys = [], []
        for poly in polys:
            for ring in poly:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                    edges.append((x1, y1, x2, y2))
                    xs.append(x1)
                    ys.append(y1)
        self.min_x, self.max_x, self.min_y, self.max_y = min(xs), max(xs), min(ys), max(ys)
        self.band_h = (self.max_y - self.min_y) / self.BANDS
        self.bands = [[] for _ in range(self.BANDS)]
        for e in edges:
            lo, hi = sorted((e[1], e[3]))
            for b in range(self.band(lo), self.band(hi) + 1):
                self.bands[b].append(e)

    def band(self, y):
        return min(self.BANDS - 1, max(0, int((y - self.min_y) / self.band_h)))

    def contains(self, x, y):
        inside = False
        for x1, y1, x2, y2 in self.bands[self.band(y)]:
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside

    def draw(self, rng):
        while True:
            x = round(rng.uniform(self.min_x, self.max_x), 7)
            y = round(rng.uniform(self.min_y, self.max_y), 7)
            if self.contains(x, y):
                return x, y


# --- the database's own catalog, areas and rules ---------------------------------------------------

class Source:
    """Reads the seeded rows from SQLite (sqlite3) or PostgreSQL (psql)."""

    def __init__(self, kind, target, psql):
        self.kind, self.target, self.psql = kind, target, psql

    def rows(self, query):
        if self.kind == "sqlite":
            db = sqlite3.connect(self.target)
            out = [tuple("" if v is None else str(v) for v in r) for r in db.execute(query)]
            db.close()
            return out
        text = subprocess.run(self.psql + [self.target, "-X", "-q", "-A", "-t", "-F", "\x1f",
                                           "-c", query],
                              check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\x1f")) for line in text.split("\n") if line]


def load_city(src):
    areas = [Area(code, gj) for code, gj in src.rows("SELECT code, geojson FROM areas ORDER BY code")]
    if len(areas) != 16:
        sys.exit("gen_requests: expected the 16 alcaldías, found %d areas (run serve --demo once)"
                 % len(areas))
    services = {}
    for code, agency, sla, stype, active in src.rows(
            "SELECT code, agency_code, sla_hours, type, active FROM services"):
        if str(active) in ("1", "t", "true"):
            services[code] = {"agency": agency, "sla": float(sla), "type": stype, "attrs": []}
    for scode, acode, dtype, required, variable, values in src.rows(
            "SELECT s.code, a.code, a.datatype, a.required, a.variable, a.values_json FROM "
            "service_attributes a JOIN services s ON s.id = a.service_id ORDER BY s.code, a.sort_order"):
        if scode in services and str(variable) in ("1", "t", "true"):
            services[scode]["attrs"].append({
                "code": acode, "datatype": dtype, "required": str(required) in ("1", "t", "true"),
                "values": [v["key"] for v in json.loads(values or "[]")]})
    rules = {(s, a): g for s, a, g in src.rows(
        "SELECT service_code, area_code, agency_code FROM routing_rules")}
    keys = src.rows("SELECT id FROM open311_api_keys WHERE name = 'demo-app'")
    max_id = src.rows("SELECT COALESCE(MAX(id), 0) FROM service_requests")[0][0]
    return areas, services, rules, (int(keys[0][0]) if keys else None), int(max_id)


def agency_for(rules, services, service, area):
    """RoutingStore::agency_for: the most specific rule, else the service's agency."""
    for key in ((service, area), (service, "*"), ("*", area), ("*", "*")):
        if key in rules:
            return rules[key]
    return services[service]["agency"]


def answers(rng, attrs, requested_at, optional_too):
    out = []
    for a in attrs:
        if not a["required"] and not (optional_too and rng.random() < 0.3):
            continue
        t = a["datatype"]
        if t == "singlevaluelist":
            values = [rng.choice(a["values"])]
        elif t == "multivaluelist":
            values = sorted(set(rng.sample(a["values"], rng.randint(1, min(2, len(a["values"]))))),
                            key=a["values"].index)
        elif t == "number":
            values = [str(rng.randint(1, 6))]
        elif t == "datetime":
            values = [datetime.datetime.fromtimestamp(requested_at - rng.randint(1, 5) * DAY,
                                                      datetime.timezone.utc)
                      .strftime("%Y-%m-%dT%H:%M:%SZ")]
        else:
            values = ["Sin dato"]
        out.append((a["code"], values))
    return out


def attributes_json(pairs):
    # boost::json::serialize of [{"code", "values"}]: no spaces, UTF-8 as is.
    return json.dumps([{"code": c, "values": v} for c, v in pairs], separators=(",", ":"),
                      ensure_ascii=False)


# --- the requests ------------------------------------------------------------------------------------

REQUEST_COLUMNS = ("id", "folio", "token", "service_code", "status", "status_notes", "lat", "lon",
                   "address_string", "address_id", "area_code", "agency_code", "description",
                   "email", "first_name", "last_name", "phone", "device_id", "account_id",
                   "attributes_json", "channel", "api_key_id", "media_url", "requested_at",
                   "updated_at", "expected_at", "closed_at", "parent_id", "private", "locale")
UPDATE_COLUMNS = ("request_id", "status", "description", "media_url", "actor", "created_at",
                  "public")


def final_status(rng, age_days):
    """Where a request of this age has got to: most old ones closed, most new ones open."""
    r = rng.random()
    if age_days > 60:
        table = [(0.74, "fixed"), (0.84, "closed_not_fixed"), (0.88, "duplicate"),
                 (0.905, "reopened"), (0.93, "open"), (0.96, "acknowledged"),
                 (0.98, "in_progress"), (1.0, "action_scheduled")]
    elif age_days > 14:
        table = [(0.55, "fixed"), (0.64, "closed_not_fixed"), (0.67, "duplicate"),
                 (0.70, "reopened"), (0.78, "open"), (0.88, "acknowledged"),
                 (0.95, "in_progress"), (1.0, "action_scheduled")]
    else:
        table = [(0.18, "fixed"), (0.22, "closed_not_fixed"), (0.24, "duplicate"),
                 (0.25, "reopened"), (0.60, "open"), (0.80, "acknowledged"),
                 (0.93, "in_progress"), (1.0, "action_scheduled")]
    for limit, status in table:
        if r < limit:
            return status
    return "open"


PATHS = {
    "open": [], "acknowledged": ["acknowledged"], "in_progress": ["acknowledged", "in_progress"],
    "action_scheduled": ["acknowledged", "action_scheduled"],
    "fixed": ["acknowledged", "in_progress", "fixed"],
    "closed_not_fixed": ["acknowledged", "closed_not_fixed"],
    "duplicate": ["duplicate"],
    "reopened": ["acknowledged", "in_progress", "fixed", "reopened"],
}


def generate(count, seed, areas, services, rules, key_id, first_id, now):
    """Yields (request row, [update rows]) in id order."""
    rng = random.Random(seed)
    area_list = areas
    area_w = [POPULATION.get(a.code, 300) for a in area_list]
    area_cum = []
    total = 0
    for w in area_w:
        total += w
        area_cum.append(total)
    samples = [s for s in SAMPLES if s[0] in services]
    svc_cum = []
    total_s = 0
    for s in samples:
        total_s += s[1]
        svc_cum.append(total_s)
    folios, tokens = set(), set()
    recent_by_service = {}  # service -> ids of its last requests (duplicates point back)
    # Daytime in the city: hour weights (local), most reports between 8 and 21.
    hours = [1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 10, 9, 9, 9, 8, 8, 7, 7, 6, 5, 4, 3, 2]
    hour_cum = []
    t = 0
    for h in hours:
        t += h
        hour_cum.append(t)
    channels = [("web", None), ("phone", None), ("api:demo-app", key_id)]
    for n in range(count):
        rid = first_id + n
        # Age in days, uniform over the two years: 90 of 730 days hold ~12% of the rows.
        age = rng.random() * SPAN_DAYS
        day_start = (now + CITY_OFFSET) // DAY * DAY - CITY_OFFSET - int(age) * DAY
        hour = bisect.bisect_right(hour_cum, rng.randrange(hour_cum[-1]))
        requested = day_start + hour * 3600 + rng.randrange(3600)
        if requested >= now:
            requested = now - rng.randint(60, 3600)
        age_days = (now - requested) / DAY
        area = area_list[bisect.bisect_right(area_cum, rng.randrange(area_cum[-1]))]
        sample = samples[bisect.bisect_right(svc_cum, rng.randrange(svc_cum[-1]))]
        scode = sample[0]
        svc = services[scode]
        lon, lat = area.draw(rng)
        while True:
            folio = folio_from(rng.getrandbits(35))
            if folio not in folios:
                folios.add(folio)
                break
        while True:
            tok = token(rng)
            if tok not in tokens:
                tokens.add(tok)
                break
        ch = rng.random()
        channel, api_key = channels[0] if ch < 0.4 else channels[1] if ch < 0.75 else channels[2]
        if channel.startswith("api:") and api_key is None:
            channel = "web"
        is_private = 1 if rng.random() < 0.04 else 0
        contact = rng.random()
        email = phone = first = last = ""
        if contact < 0.45:
            email = "vecina.%d@example.mx" % rid
        if 0.3 < contact < 0.8:
            phone = "+5255%08d" % (rid * 7919 % 100000000)
        if contact < 0.5:
            first, last = "Vecina", "Generada"
        address = "%s %d" % (rng.choice(STREETS), rng.randint(1, 400)) if rng.random() < 0.7 else ""
        expected = add_working_hours(requested, svc["sla"]) if svc["sla"] > 0 else None
        status = final_status(rng, age_days)
        parent = None
        if status == "duplicate":
            earlier = recent_by_service.get(scode)
            if earlier:
                parent = rng.choice(earlier)
            else:
                status = "fixed"
        updates = [(rid, "open", "", "", channel, requested, 1)]
        at = requested
        notes = ""
        closed_at = None
        for step in PATHS[status]:
            at += 3600 * rng.randint(2, 40 if step != "reopened" else 120)
            if at >= now:
                break
            was_closed = updates[-1][1] in CLOSED
            actor = "resident" if step == "reopened" else "staff:demo"
            updates.append((rid, step, NOTES[step], "", actor, at, 1))
            notes = NOTES[step]
            if step in CLOSED and not was_closed:
                closed_at = at
            elif step not in CLOSED:
                closed_at = None
        status = updates[-1][1]
        if status != "duplicate":
            parent = None
        updated = updates[-1][5]
        if rng.random() < 0.05:  # an internal note now and then (never public)
            updates.append((rid, status, "Nota interna de la cuadrilla.", "", "staff:demo",
                            updated + 600, 0))
        attrs = attributes_json(answers(rng, svc["attrs"], requested, True))
        row = (rid, folio, tok, scode, status, notes, lat, lon, address, "", area.code,
               agency_for(rules, services, scode, area.code), rng.choice(sample[2]), email, first,
               last, phone, "", "", attrs, channel, api_key, "", requested, updated, expected,
               closed_at, parent, is_private, "en" if rng.random() < 0.03 else "es-MX")
        lst = recent_by_service.setdefault(scode, [])
        lst.append(rid)
        if len(lst) > 64:
            del lst[0]
        yield row, updates


def load_sqlite(path, count, seed):
    src = Source("sqlite", path, None)
    areas, services, rules, key_id, max_id = load_city(src)
    now = int(time.time())
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA cache_size = -262144")
    db.execute("PRAGMA temp_store = MEMORY")
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                         "tbl_name IN ('service_requests', 'service_request_updates') AND "
                         "sql IS NOT NULL").fetchall()
    db.execute("BEGIN IMMEDIATE")
    for name, _ in indexes:
        db.execute('DROP INDEX "%s"' % name.replace('"', '""'))
    pending = []
    req_sql = "INSERT INTO service_requests (%s) VALUES (%s)" % (
        ", ".join(REQUEST_COLUMNS), ", ".join("?" * len(REQUEST_COLUMNS)))
    upd_sql = "INSERT INTO service_request_updates (%s) VALUES (%s)" % (
        ", ".join(UPDATE_COLUMNS), ", ".join("?" * len(UPDATE_COLUMNS)))
    n_updates = 0

    def requests():
        nonlocal n_updates
        for row, updates in generate(count, seed, areas, services, rules, key_id, max_id + 1, now):
            pending.extend(updates)
            n_updates += len(updates)
            yield row
            if len(pending) > 50000:
                db.executemany(upd_sql, pending)
                pending.clear()

    db.executemany(req_sql, requests())
    db.executemany(upd_sql, pending)
    for _, sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    window = db.execute("SELECT count(*) FROM service_requests WHERE requested_at >= ?",
                        (now - 90 * DAY,)).fetchone()[0]
    total, last_id = db.execute("SELECT count(*), MAX(id) FROM service_requests").fetchone()
    db.close()
    return {"rows": total, "updates": n_updates, "window_90d": window, "last_id": last_id}


def text_field(v):
    """PostgreSQL COPY text format: \\N for NULL, backslash escapes."""
    if v is None:
        return "\\N"
    s = str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_into_postgres(url, psql, request_rows, update_rows_of):
    """One psql session: both COPYs in one transaction, the identity sequence moved past the
    copied ids, ANALYZE. request_rows yields REQUEST_COLUMNS tuples; update_rows_of(row) the
    UPDATE_COLUMNS tuples of that request."""
    # The secondary indexes (not those behind PRIMARY KEY / UNIQUE constraints) are dropped for
    # the load and re-created from their own definitions in the same transaction: building a
    # B-tree or GiST index once beats a million inserts into each.
    indexes = Source("postgres", url, psql).rows(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND "
        "tablename IN ('service_requests', 'service_request_updates') AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint)")
    proc = subprocess.Popen(psql + [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            encoding="utf-8")
    out = proc.stdin
    out.write("BEGIN;\nSET LOCAL maintenance_work_mem = '256MB';\n")
    # The data-version triggers (migration 0017) are deferred to COMMIT: millions of queued
    # events, and CREATE INDEX refuses a table with events pending. Off for the load; the
    # version is moved once, by hand, before COMMIT.
    for table in ("service_requests", "service_request_updates"):
        out.write("ALTER TABLE %s DISABLE TRIGGER %s_version;\n" % (table, table))
    for name, _ in indexes:
        out.write('DROP INDEX "%s";\n' % name.replace('"', '""'))
    out.write("COPY service_requests (%s) FROM STDIN WITH (FORMAT text);\n"
              % ", ".join(REQUEST_COLUMNS))
    # The updates wait in a temporary file until the requests' COPY is done.
    spool = tempfile.TemporaryFile("w+", encoding="utf-8")
    n_updates = 0
    for row in request_rows:
        out.write("\t".join(text_field(v) for v in row))
        out.write("\n")
        for u in update_rows_of(row):
            spool.write("\t".join(text_field(v) for v in u))
            spool.write("\n")
            n_updates += 1
    out.write("\\.\n")
    out.write("COPY service_request_updates (%s) FROM STDIN WITH (FORMAT text);\n"
              % ", ".join(UPDATE_COLUMNS))
    spool.seek(0)
    while True:
        chunk = spool.read(1 << 20)
        if not chunk:
            break
        out.write(chunk)
    spool.close()
    out.write("\\.\n")
    # COPY writes the identity columns as given; move the sequences past them.
    out.write("SELECT setval(pg_get_serial_sequence('service_requests', 'id'), "
              "(SELECT MAX(id) FROM service_requests));\n")
    for _, definition in indexes:
        out.write(definition + ";\n")
    for table in ("service_requests", "service_request_updates"):
        out.write("ALTER TABLE %s ENABLE TRIGGER %s_version;\n" % (table, table))
    out.write("UPDATE data_versions SET version = version + 1 "
              "WHERE name = 'open311_requests' AND shard = 0;\n")
    # VACUUM too, as autovacuum does after a bulk insert (PostgreSQL 13+): it sets the
    # visibility map, without which no index-only scan skips the heap.
    out.write("COMMIT;\nVACUUM (ANALYZE) service_requests;\n"
              "VACUUM (ANALYZE) service_request_updates;\n")
    out.close()
    if proc.wait() != 0:
        sys.exit("gen_requests: psql failed")
    return n_updates


def copy_from_sqlite(url, psql, sqlite_path, upto):
    src = Source("postgres", url, psql)
    _, _, _, key_id, max_id = load_city(src)
    lite = sqlite3.connect(sqlite_path)
    lite_key = lite.execute("SELECT id FROM open311_api_keys WHERE name = 'demo-app'").fetchone()
    if lite_key is None or key_id is None or lite_key[0] != key_id:
        sys.exit("gen_requests: the demo-app API key differs between the two databases")
    # The generated rows: those after the demo's own (the same 320 on both, numbered alike).
    first = max_id + 1
    if lite.execute("SELECT COUNT(*) FROM service_requests WHERE id < ?", (first,)).fetchone()[0] \
            != max_id:
        sys.exit("gen_requests: the demo requests differ between the two databases")
    updates = lite.cursor()
    updates.execute("SELECT %s FROM service_request_updates WHERE request_id >= ? "
                    "ORDER BY request_id, id" % ", ".join(UPDATE_COLUMNS), (first,))
    pending = [updates.fetchone()]

    def update_rows_of(row):
        rid = row[0]
        while pending[0] is not None and pending[0][0] < rid:
            pending[0] = updates.fetchone()
        out = []
        while pending[0] is not None and pending[0][0] == rid:
            out.append(pending[0])
            pending[0] = updates.fetchone()
        return out

    last = upto or lite.execute("SELECT MAX(id) FROM service_requests").fetchone()[0]
    rows = lite.execute("SELECT %s FROM service_requests WHERE id BETWEEN ? AND ? ORDER BY id"
                        % ", ".join(REQUEST_COLUMNS), (first, last))
    n_updates = copy_into_postgres(url, psql, rows, update_rows_of)
    total = int(src.rows("SELECT count(*) FROM service_requests")[0][0])
    now = int(time.time())
    window = int(src.rows("SELECT count(*) FROM service_requests WHERE requested_at >= %d"
                          % (now - 90 * DAY))[0][0])
    return {"rows": total, "updates": n_updates, "window_90d": window}


def load_postgres(url, psql, count, seed):
    src = Source("postgres", url, psql)
    areas, services, rules, key_id, max_id = load_city(src)
    now = int(time.time())
    updates_of = {}

    def request_rows():
        for row, updates in generate(count, seed, areas, services, rules, key_id, max_id + 1, now):
            updates_of[row[0]] = updates
            yield row

    n_updates = copy_into_postgres(url, psql, request_rows(), lambda row: updates_of.pop(row[0]))
    window = int(src.rows("SELECT count(*) FROM service_requests WHERE requested_at >= %d"
                          % (now - 90 * DAY))[0][0])
    total = int(src.rows("SELECT count(*) FROM service_requests")[0][0])
    return {"rows": total, "updates": n_updates, "window_90d": window}


def post_bodies(kind, target, psql, count, seed, out_path):
    """Form-encoded POST /requests bodies: random points in the city, rotating services."""
    import urllib.parse
    src = Source(kind, target, psql)
    areas, services, _, _, _ = load_city(src)
    rng = random.Random(seed)
    codes = sorted(services)
    texts = {code: lines for code, _, lines in SAMPLES}
    with open(out_path, "w") as f:
        for i in range(count):
            scode = codes[i % len(codes)]
            area = areas[rng.randrange(len(areas))]
            lon, lat = area.draw(rng)
            fields = [("api_key", "demo-open311-key-2026"), ("service_code", scode),
                      ("lat", "%.7f" % lat), ("long", "%.7f" % lon),
                      ("description", rng.choice(texts.get(scode, ["Reporte de prueba."]))),
                      ("email", "bench.%d@example.mx" % i)]
            for code, values in answers(rng, services[scode]["attrs"], int(time.time()), False):
                dtype = next(a["datatype"] for a in services[scode]["attrs"] if a["code"] == code)
                if dtype == "multivaluelist":
                    fields.extend(("attribute[%s][]" % code, v) for v in values)
                else:
                    fields.append(("attribute[%s]" % code, values[0]))
            f.write(urllib.parse.urlencode(fields) + "\n")
    return {"bodies": count, "services": len(codes)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["sqlite", "postgres", "copy", "bodies"])
    ap.add_argument("target")
    ap.add_argument("--count", type=int)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--psql", default="psql", help="the psql command (may hold spaces)")
    ap.add_argument("--out")
    ap.add_argument("--from", dest="source")
    ap.add_argument("--upto", type=int, help="copy: the last id to copy (default: all)")
    a = ap.parse_args()
    psql = a.psql.split()
    started = time.monotonic()
    if a.kind == "copy":
        if not a.source:
            sys.exit("gen_requests: copy needs --from SQLITE_DATABASE")
        result = copy_from_sqlite(a.target, psql, a.source, a.upto)
    elif a.kind == "bodies":
        if not a.out:
            sys.exit("gen_requests: bodies needs --out")
        src_kind = "postgres" if a.target.startswith("postgres") else "sqlite"
        result = post_bodies(src_kind, a.target, psql, a.count or 2000, a.seed, a.out)
    else:
        count = a.count or 1_000_000
        if not 1 <= count <= 20_000_000:
            sys.exit("gen_requests: --count must be 1..20000000")
        if a.kind == "sqlite":
            if not os.path.exists(a.target):
                sys.exit("gen_requests: %s does not exist" % a.target)
            result = load_sqlite(a.target, count, a.seed)
        else:
            result = load_postgres(a.target, psql, count, a.seed)
    result["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
