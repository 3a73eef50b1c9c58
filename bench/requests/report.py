#!/usr/bin/python3
"""Turns bench/requests/run's results.jsonl into the markdown section for bench/RESULTS.md.

Usage: report.py RESULTS_JSONL --duration 10s --connections 32 --requests 1000000
                 [--durability "on on on"]

Targets (issue 4, "What must be shown", and the bench311 brief): GET /open311/v2/requests.json
with status + service filters and with the default window: p99 < 25 ms at 32 connections, on
SQLite and on PostgreSQL; POST /open311/v2/requests.json (routing included) >= 1,500 req/s on
both, every acknowledged request stored; point-in-polygon routing >= 100,000 points/s. The
public list /reportes, the first seconds after start (cold) and the filtered GET with the list
cache off are measured without a target.
"""
import argparse
import json
import subprocess
import sys


def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except ValueError:
                print("report.py: skipping an unreadable line: " + line[:120], file=sys.stderr)
                continue
            out[row["key"]] = row["data"]
    return out


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return ("{:,.%df}" % digits).format(v)


def verdict(ok):
    if ok is None:
        return "n/a"
    return "**pass**" if ok else "**FAIL**"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--duration", default="10s")
    ap.add_argument("--warmup", default="3s")
    ap.add_argument("--connections", default="32")
    ap.add_argument("--requests", default="1000000")
    ap.add_argument("--durability", default="")
    a = ap.parse_args()
    r = load(a.results)

    def get(key, field):
        d = r.get(key) or {}
        return d.get(field)

    lines = []
    add = lines.append
    add("")
    add("### 311 requests (issue 4)")
    add("")
    add("Machine: %s, %s cores, %s GiB, %s; load average at the end %s (the bench's own "
        "generator, PostgreSQL and wrk included)." % (
            sh("lscpu | sed -n 's/^Model name:\\s*//p' | head -1"), sh("nproc"),
            sh("free -g | awk '/Mem:/ {print $2}'"), sh("uname -sr"),
            sh("cut -d' ' -f1-3 /proc/loadavg")))
    add("Commit: %s%s." % (sh("git rev-parse --short HEAD") or "unknown",
                           " (+ uncommitted changes)" if sh("git status --porcelain -- src bench migrations") else ""))
    durability = a.durability.split()
    add("Command: `make bench` or `bench/run --only requests` (bench/requests/run: wrk -t2 -c%s "
        "-d%s --latency with bench/requests/request.lua, keep-alive, loopback; `zocalo serve "
        "--no-jobs --log-level warn` on SQLite (WAL, synchronous=FULL) and on a throwaway "
        "PostgreSQL 15 + PostGIS cluster with fsync=%s, synchronous_commit=%s, "
        "full_page_writes=%s; %s generated requests (bench/requests/gen_requests.py), the same "
        "rows on both databases; notices queued in each request's transaction, delivered by a "
        "worker elsewhere)." % (a.connections, a.duration,
                                durability[0] if len(durability) > 0 else "?",
                                durability[1] if len(durability) > 1 else "?",
                                durability[2] if len(durability) > 2 else "?",
                                fmt(float(a.requests))))
    add("")
    add("| measure | SQLite | PostgreSQL | target | result |")
    add("|---|---:|---:|---|---|")

    def row_latency(label, key, target_ms):
        cells, oks = [], []
        for db in ("sqlite", "postgres"):
            d = r.get("%s_%s" % (db, key)) or {}
            if "p99_ms" in d:
                cells.append("%s req/s, p50 %s / p99 %s ms" % (fmt(d.get("ok_rps")),
                                                               fmt(d["p50_ms"], 1),
                                                               fmt(d["p99_ms"], 1)))
                oks.append(d["p99_ms"] < target_ms and not d.get("bad"))
            else:
                cells.append("n/a")
                oks.append(None)
        result = None if None in oks else all(oks)
        add("| %s | %s | %s | %s | %s |" % (label, cells[0], cells[1],
                                            "p99 < %d ms" % target_ms if target_ms else "(none)",
                                            verdict(result) if target_ms else ""))

    row_latency("`GET /open311/v2/requests.json?status=open&service_code=` (15 services in "
                "turn, default 90-day window, up to 1,000 per page)", "get_filtered", 25)
    row_latency("the same, its first %s after start (every list rendered once, then kept; "
                "ADR 0008)" % a.warmup, "get_filtered_cold", 0)
    row_latency("the same with the list cache off (`--open311-list-cache-mib 0`: every call "
                "rendered, as when the data changes between calls)", "get_filtered_uncached", 0)
    row_latency("`GET /open311/v2/requests.json` (default 90-day window, first 1,000)",
                "get_default", 25)
    row_latency("the same, its first %s after start" % a.warmup, "get_default_cold", 0)
    cells = []
    for db in ("sqlite", "postgres"):
        d = r.get(db + "_get_public") or {}
        cells.append("n/a" if "p99_ms" not in d else "%s req/s, p50 %s / p99 %s ms" % (
            fmt(d.get("ok_rps")), fmt(d["p50_ms"], 1), fmt(d["p99_ms"], 1)))
    add("| `GET /reportes?servicio=&estado=open` (public list, 15 services in turn, 20 a page) "
        "| %s | %s | (measured once) | |" % tuple(cells))

    cells, oks = [], []
    for db in ("sqlite", "postgres"):
        d = r.get(db + "_post") or {}
        stored = r.get(db + "_post_stored") or {}
        if "ok_rps" in d:
            kept = stored.get("after", 0) - stored.get("before", 0)
            durable = kept >= d.get("ok", 0)
            cells.append("%s req/s (p99 %s ms); %s acknowledged, %s stored" % (
                fmt(d["ok_rps"]), fmt(d["p99_ms"], 1), fmt(d.get("ok")), fmt(kept)))
            oks.append(d["ok_rps"] >= 1500 and durable and not d.get("bad"))
        else:
            cells.append("n/a")
            oks.append(None)
    add("| `POST /open311/v2/requests.json` (form, api_key, routing, intake notices queued) | "
        "%s | %s | >= 1,500 req/s, all stored | %s |"
        % (cells[0], cells[1], verdict(None if None in oks else all(oks))))
    pps = get("geo", "points_per_second")
    add("| Point-in-polygon routing, `BM_LocateAlcaldia` (16 alcaldías, one core) | %s points/s "
        "| (same code) | >= 100,000 points/s | %s |"
        % (fmt(pps), verdict(None if pps is None else pps >= 100000)))
    add("")

    unexpected = []
    for key in sorted(r):
        d = r[key]
        if isinstance(d, dict) and (d.get("bad") or d.get("socket_errors")):
            unexpected.append("%s: %d unexpected answers (first: %s), %d socket errors"
                              % (key, d.get("bad", 0), d.get("first_bad") or "-",
                                 d.get("socket_errors", 0)))
    if unexpected:
        add("Unexpected answers: " + "; ".join(unexpected) + ".")
        add("")
    for db, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        gen = r.get("generate_" + db) or {}
        if "rows" in gen:
            add("%s: %s requests (%s in the default 90-day window), %s updates, loaded in %s s "
                "(%s)." % (label, fmt(gen["rows"]), fmt(gen.get("window_90d")),
                           fmt(gen.get("updates")), gen.get("seconds"),
                           "gen_requests.py: one transaction, indexes rebuilt after the load"
                           if db == "sqlite" else "the same rows by COPY, then VACUUM (ANALYZE)"))
    add("")
    add("Query plans: bench/out/requests/plans-sqlite.txt, plans-postgres.txt (plans.py).")
    add("")
    missing = [(k, r[k]["error"]) for k in r if isinstance(r[k], dict) and "error" in r[k]]
    if missing:
        add("Not measured:")
        add("")
        for k, why in missing:
            add("- %s: %s" % (k, why.replace("\n", " ")))
        add("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
