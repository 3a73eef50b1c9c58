#!/usr/bin/python3
"""Loads N generated residents into a migrated zocalo SQLite database (bench/identity, "Scale").

Usage: gen_accounts.py DATABASE [--count 1000000] [--password Llave-Demo-2026] [--seed 3]

Run it after `zocalo migrate` on a database no server has open. Every row is what
AccountStore::create and the verification steps would have written: a random 22-character
subject, a lower-case e-mail, an E.164 mobile number, a CURP whose birth date, sex, state and
check digit are consistent (identity/model/curp.cpp), name_search folded exactly as
identity::fold_for_search folds "given family", levels 1 and 2 with their timestamps. All rows
share one Argon2id hash of --password made with identity::Argon2idParams::production()
(t=3, 64 MiB) through libsodium's crypto_pwhash_str, so every generated resident can sign in
and the load takes seconds instead of a day of hashing.

Fast: one transaction, one prepared INSERT run by executemany over a generator, and the
accounts indexes dropped during the load and re-created from their own stored SQL afterwards
(building a B-tree from sorted keys beats a million random inserts into five of them). Prints
one JSON line: rows, seconds, the e-mail/CURP/phone of a resident in the middle (for the
sign-in latency run) and some prefixes that exist (for the admin search run).
"""
import argparse
import base64
import ctypes
import ctypes.util
import functools
import json
import os
import random
import sqlite3
import sys
import time
import unicodedata

GIVEN = {
    "H": ["José", "Juan", "Luis", "Carlos", "Jesús", "Alejandro", "Miguel", "Jorge", "Ricardo",
          "Pedro", "Francisco", "Héctor", "Antonio", "Raúl", "Óscar", "Sergio", "Eduardo",
          "Arturo", "Martín", "Rubén", "Tomás", "Iván", "Ángel", "Rodrigo", "Emiliano",
          "Santiago", "Diego", "Fernando", "Ramón", "Efraín", "Joaquín"],
    "M": ["María", "Guadalupe", "Ana", "Fernanda", "Sofía", "Valeria", "Daniela", "Ximena",
          "Mariana", "Andrea", "Lucía", "Regina", "Camila", "Renata", "Paulina", "Itzel",
          "Brenda", "Citlali", "Adriana", "Verónica", "Mónica", "Elena", "Yolanda", "Leticia",
          "Araceli", "Xóchitl", "Patricia", "Beatriz", "Noemí"],
}
SECOND_GIVEN = {"H": ["", "", "", "", "Luis", "Antonio", "Manuel", "José", "Alberto"],
                "M": ["", "", "", "", "Fernanda", "Guadalupe", "Isabel", "del Carmen",
                      "Alejandra"]}
FAMILY = [
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo", "Romero",
    "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera",
    "Medina", "Castro", "Vargas", "Guzmán", "Velázquez", "Muñoz", "Rojas", "Contreras",
    "Salazar", "Luna", "Ortega", "Santiago", "Guerrero", "Estrada", "Bautista", "Cortés",
    "Núñez", "Peña", "Ibáñez", "Zúñiga", "Xolalpa", "Tepepa", "Cuautle", "Ocaña", "Quiñones",
    "Villaseñor",
]
STATES = ["AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC",
          "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS",
          "TL", "VZ", "YN", "ZS", "NE"]
# Most residents of a Mexico City database were born in Mexico City or the State of Mexico.
STATE_WEIGHTS = [1] * len(STATES)
STATE_WEIGHTS[STATES.index("DF")] = 40
STATE_WEIGHTS[STATES.index("MC")] = 20
DOMAINS = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx", "prodigy.net.mx",
           "icloud.com", "cdmx.gob.mx"]
VOWELS = "AEIOU"
CONSONANTS = "BCDFGHJKLMNPQRSTVWXYZ"

# identity::fold_for_search's table for U+00C0..U+00FF ("" for × and ÷).
LATIN1 = ["a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
          "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
          "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
          "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y"]


def fold_for_search(text):
    """identity::fold_for_search (model/account.hpp), character for character."""
    out = []
    pending_space = False
    for ch in text:
        cp = ord(ch)
        if ch in " \t\n\r\u00a0":
            pending_space = bool(out)
            continue
        if 0x300 <= cp <= 0x36F:
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        if "A" <= ch <= "Z":
            out.append(ch.lower())
        elif 0xC0 <= cp <= 0xFF:
            out.append(LATIN1[cp - 0xC0])
        else:
            out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=None)
def ascii_upper(text):
    """What a CURP keeps of a name: upper case, accents gone, Ñ as X (RENAPO's rule)."""
    text = text.upper().replace("Ñ", "X")
    return "".join(c for c in unicodedata.normalize("NFD", text) if "A" <= c <= "Z")


def check_value(c):
    if c.isdigit():
        return ord(c) - ord("0")
    v = 10 + ord(c) - ord("A")
    return v + 1 if c > "N" else v


CHECK_VALUES = {c: check_value(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def check_digit(first17):
    """identity/model/curp.cpp's check_digit."""
    total = 0
    for i, c in enumerate(first17):
        total += CHECK_VALUES[c] * (18 - i)
    return str((10 - total % 10) % 10)


def first_inner(word, alphabet):
    for c in word[1:]:
        if c in alphabet:
            return c
    return "X"


# Names here have no leading, trailing or doubled spaces, so folding "given family" is folding
# each part and joining them with one space; the parts repeat, so each is folded once.
folded = functools.lru_cache(maxsize=None)(fold_for_search)


def argon2id_hash(password):
    """libsodium's crypto_pwhash_str with identity::Argon2idParams::production() (t=3, 64 MiB)."""
    path = ctypes.util.find_library("sodium")
    if not path:
        sys.exit("gen_accounts: libsodium not found (apt-get install libsodium23)")
    sodium = ctypes.CDLL(path)
    if sodium.sodium_init() < 0:
        sys.exit("gen_accounts: sodium_init failed")
    sodium.crypto_pwhash_strbytes.restype = ctypes.c_size_t
    out = ctypes.create_string_buffer(sodium.crypto_pwhash_strbytes())
    pw = password.encode()
    rc = sodium.crypto_pwhash_str(out, ctypes.c_char_p(pw), ctypes.c_ulonglong(len(pw)),
                                  ctypes.c_ulonglong(3), ctypes.c_size_t(64 * 1024 * 1024))
    if rc != 0:
        sys.exit("gen_accounts: crypto_pwhash_str failed (out of memory?)")
    return out.value.decode()


def subject(rng):
    """identity::new_subject's shape: 16 random bytes, 22 base64url characters."""
    return base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode()


def rows(count, password_hash, now, rng, middle):
    """Yields the INSERT parameters of each resident; fills `middle` with the one at count/2."""
    seen_curp = set()
    for i in range(count):
        sex = rng.choice("HM")
        given = rng.choice(GIVEN[sex])
        second = rng.choice(SECOND_GIVEN[sex])
        if second:
            given = given + " " + second
        father, mother = rng.choice(FAMILY), rng.choice(FAMILY)
        family = father + " " + mother
        year = rng.randint(1940, 2007)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        birth = "%04d-%02d-%02d" % (year, month, day)
        state = rng.choices(STATES, STATE_WEIGHTS)[0]
        f, m, g = ascii_upper(father), ascii_upper(mother), ascii_upper(given.split(" ")[0])
        stem = (f[0] + first_inner(f, VOWELS) + m[0] + g[0] + "%02d%02d%02d" %
                (year % 100, month, day) + sex + state + first_inner(f, CONSONANTS) +
                first_inner(m, CONSONANTS) + first_inner(g, CONSONANTS))
        # Position 17 tells the century (digit: up to 1999, letter: from 2000); RENAPO picks it
        # to tell homonyms apart, so it is also how we keep the generated CURPs unique.
        choices = "0123456789" if year < 2000 else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        curp = None
        start = rng.randrange(len(choices))
        for k in range(len(choices)):
            candidate = stem + choices[(start + k) % len(choices)]
            candidate += check_digit(candidate)
            if candidate not in seen_curp:
                curp = candidate
                break
        if curp is not None:
            seen_curp.add(curp)
        local = (folded(given.split(" ")[0]) + "." + folded(father)).replace(" ", "")
        email = "%s.%d@%s" % (local, i, rng.choice(DOMAINS))
        phone = "+5255%08d" % (i * 7919 % 100000000)  # a bijection on 0..10^8-1: unique numbers
        created = now - rng.randint(0, 5 * 365 * 86400)
        loa = 2 if curp is not None and rng.random() < 0.6 else 1
        curp_validated_at = created + 600 if loa == 2 else None
        if i == middle["index"]:
            middle.update(email=email, phone=phone, curp=curp, name=given + " " + family)
        yield (subject(rng), email, created + 60, phone, created + 120 if i % 3 else None, curp,
               curp_validated_at, given, family, folded(given) + " " + folded(family), birth,
               password_hash, loa, created, created)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--password", default="Llave-Demo-2026")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if not 1 <= args.count <= 20_000_000:
        sys.exit("gen_accounts: --count must be 1..20000000")
    if not os.path.exists(args.database):
        sys.exit("gen_accounts: %s does not exist; run `zocalo migrate` first" % args.database)

    started = time.monotonic()
    password_hash = argon2id_hash(args.password)
    rng = random.Random(args.seed)
    db = sqlite3.connect(args.database, isolation_level=None)
    db.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache for the index builds
    db.execute("PRAGMA temp_store = MEMORY")
    if db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'accounts'").fetchone()[0] != 1:
        sys.exit("gen_accounts: no accounts table; run `zocalo migrate` first")
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                         "tbl_name = 'accounts' AND sql IS NOT NULL").fetchall()
    middle = {"index": args.count // 2}
    db.execute("BEGIN IMMEDIATE")
    for name, _ in indexes:
        db.execute('DROP INDEX "%s"' % name.replace('"', '""'))
    db.executemany(
        "INSERT INTO accounts (subject, email, email_verified_at, phone, phone_verified_at, curp,"
        " curp_validated_at, given_name, family_name, name_search, birth_date, password_hash,"
        " loa, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " 'active', ?, ?)",
        rows(args.count, password_hash, int(time.time()), rng, middle))
    for _, sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    total = db.execute("SELECT count(*) FROM accounts").fetchone()[0]
    db.close()
    middle.pop("index")
    print(json.dumps({
        "rows": total,
        "generated": args.count,
        "seconds": round(time.monotonic() - started, 1),
        "middle": middle,
        "password": args.password,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
