-- Residents' accounts (Llave) and the identity audit log. Keep migrations/postgres/0004 in step.

-- One row per resident. subject is the OIDC `sub`: random, stable, unique. email (lower-case),
-- phone (E.164) and curp (upper-case) are stored already normalised by the store, so equality
-- and prefix search need no function in the index. loa: 0 unverified, 1 contact verified,
-- 2 CURP validated, 3 checked in person (loa3_* say by which official, when, and the kind of
-- document seen). loa3_verified_by has no foreign key: staff accounts are not modelled yet.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  subject TEXT NOT NULL CHECK (length(subject) >= 22),
  email TEXT,
  email_verified_at BIGINT,
  phone TEXT,
  phone_verified_at BIGINT,
  curp TEXT CHECK (length(curp) = 18),
  curp_validated_at BIGINT,
  given_name TEXT NOT NULL DEFAULT '',
  family_name TEXT NOT NULL DEFAULT '',
  -- "given family", lower-cased and accent-folded by the store (identity::fold_for_search).
  name_search TEXT NOT NULL DEFAULT '',
  birth_date TEXT,
  address TEXT,
  password_hash TEXT,
  loa INTEGER NOT NULL DEFAULT 0 CHECK (loa BETWEEN 0 AND 3),
  loa3_verified_by BIGINT,
  loa3_verified_at BIGINT,
  loa3_document TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'closed')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (email IS NOT NULL OR phone IS NOT NULL),
  CHECK (loa < 3 OR (loa3_verified_by IS NOT NULL AND loa3_verified_at IS NOT NULL
                     AND loa3_document IS NOT NULL))
);
-- Prefix search for staff (AccountStore::search) at millions of rows. SQLite only turns LIKE
-- into an index range when the index collation matches LIKE's (NOCASE, unless
-- case_sensitive_like is on, a connection-wide switch), so the store instead asks
-- `col >= :prefix AND col < :prefix_successor` on columns it has already normalised; that is a
-- range scan of these plain BINARY indexes. The unique ones also serve sign-in lookups and stop
-- duplicates (NULLs never collide, so absent identifiers are fine).
CREATE UNIQUE INDEX accounts_subject ON accounts (subject);
CREATE UNIQUE INDEX accounts_email ON accounts (email);
CREATE UNIQUE INDEX accounts_phone ON accounts (phone);
CREATE UNIQUE INDEX accounts_curp ON accounts (curp);
CREATE INDEX accounts_name_search ON accounts (name_search);

-- The audit log: append-only, hash-chained (identity/model/audit_event.hpp). id is the position
-- in the chain, assigned from audit_head under the write lock, so ids run 1, 2, 3, ... without
-- gaps (a rolled-back append gives its number back). account_id has no foreign key on purpose:
-- rows outlive the account and may never be rewritten, not even to SET NULL.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  account_id BIGINT,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'client', 'system')),
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  ip TEXT,
  created_at BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
-- A resident's activity page: their rows, newest first, keyset-paged by id.
CREATE INDEX audit_log_account ON audit_log (account_id, id);

-- The end of the chain: one row. Every append updates it in its own transaction, which
-- serialises appenders (SQLite has a single writer anyway; on PostgreSQL they queue on this
-- row's lock) and lets verify() notice rows cut off the end of the chain.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only, enforced by the database too (defence in depth). Whoever can drop these
-- triggers can edit the file; verify() still finds the edit.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
  SELECT RAISE(ABORT, 'audit_head is permanent');
END;
