#!/usr/bin/python3
"""The query plans of the 311 list queries, straight on the benchmark's database.

Usage: plans.py sqlite DATABASE
       plans.py postgres URL [--psql "psql -h HOST -p PORT -U USER"]

The SQL is the text RequestStore::query and ResidentRequestStore::list build (src/requests/
store/request_store.cpp, resident_request_store.cpp) for the benchmark's calls: the Open311
list with status=open and one service in the default 90-day window, the same without filters,
and the public list /reportes with a service and a status. Keep them in step with those files.
SQLite: EXPLAIN QUERY PLAN with the parameters bound; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)
of a prepared statement, so the parameters stay parameters as the server sees them from SOCI.
"""
import argparse
import subprocess
import sys
import time

SELECT = (
    "SELECT r.id, r.folio, r.status, r.status_notes, r.service_code, s.name_es, s.name_en, "
    "r.description, a.name_es, a.name_en, r.requested_at, r.updated_at, r.expected_at, "
    "r.address_string, r.address_id, r.lat, r.lon, r.media_url, r.channel, "
    "COALESCE(p.folio, ''), r.private FROM (SELECT r.id FROM service_requests r ")
JOINS = (
    ") page JOIN service_requests r ON r.id = page.id "
    "JOIN services s ON s.code = r.service_code "
    "JOIN agencies a ON a.code = r.agency_code "
    "LEFT JOIN service_requests p ON p.id = r.parent_id "
    "ORDER BY r.requested_at DESC, r.id DESC")
OPEN = ["open", "acknowledged", "in_progress", "action_scheduled", "reopened"]
SUMMARY = ("r.folio, r.service_code, r.status, r.area_code, r.address_string, r.requested_at, "
           "r.updated_at, r.private")


def queries(now):
    start, end = now - 90 * 86400, now
    marks = ", ".join(":p%d" % (i + 1) for i in range(len(OPEN)))
    n = len(OPEN)
    filtered = (SELECT + "WHERE r.service_code IN (:p0) AND r.status IN (" + marks + ") AND "
                "r.requested_at >= :p%d AND r.requested_at <= :p%d "
                "ORDER BY r.requested_at DESC, r.id DESC LIMIT :p%d OFFSET :p%d"
                % (n + 1, n + 2, n + 3, n + 4) + JOINS)
    default = (SELECT + "WHERE r.requested_at >= :p0 AND r.requested_at <= :p1 "
               "ORDER BY r.requested_at DESC, r.id DESC LIMIT :p2 OFFSET :p3" + JOINS)
    public = ("SELECT " + SUMMARY + " FROM service_requests r WHERE r.service_code = :p0 AND "
              "r.status = :p1 ORDER BY r.requested_at DESC, r.id DESC LIMIT :p2 OFFSET :p3")
    return [
        ("Open311 GET requests.json?status=open&service_code=bache (default window)", filtered,
         ["bache"] + OPEN + [start, end, 1000, 0]),
        ("Open311 GET requests.json (default window)", default, [start, end, 1000, 0]),
        ("/reportes?servicio=bache&estado=open (page 1)", public, ["bache", "open", 21, 0]),
    ]


def sqlite_plans(path):
    import sqlite3
    db = sqlite3.connect(path)
    for title, sql, params in queries(int(time.time())):
        named = {"p%d" % i: v for i, v in enumerate(params)}
        print("## " + title)
        for row in db.execute("EXPLAIN QUERY PLAN " + sql, named):
            print("  " + row[-1])
        started = time.perf_counter()
        rows = db.execute(sql, named).fetchall()
        print("-- %d rows in %.1f ms (sqlite3 module, no HTTP)\n"
              % (len(rows), (time.perf_counter() - started) * 1000))


def postgres_plans(url, psql):
    script = []
    for i, (title, sql, params) in enumerate(queries(int(time.time()))):
        text = sql
        for k in range(len(params) - 1, -1, -1):
            text = text.replace(":p%d" % k, "$%d" % (k + 1))
        args = ", ".join("'%s'" % v if isinstance(v, str) else str(v) for v in params)
        script.append("\\echo '## %s'" % title.replace("'", ""))
        script.append("PREPARE q%d AS %s;" % (i, text))
        script.append("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE q%d(%s);" % (i, args))
    proc = subprocess.run(psql + [url, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                          input="\n".join(script) + "\n", text=True, capture_output=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    return proc.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["sqlite", "postgres"])
    ap.add_argument("target")
    ap.add_argument("--psql", default="psql")
    a = ap.parse_args()
    if a.kind == "sqlite":
        sqlite_plans(a.target)
        return 0
    return postgres_plans(a.target, a.psql.split())


if __name__ == "__main__":
    sys.exit(main())
