-- Residents' accounts (Llave) and the identity audit log. Keep migrations/sqlite/0004 in step.

-- One row per resident. subject is the OIDC `sub`: random, stable, unique. email (lower-case),
-- phone (E.164) and curp (upper-case) are stored already normalised by the store, so equality
-- and prefix search need no function in the index. loa: 0 unverified, 1 contact verified,
-- 2 CURP validated, 3 checked in person (loa3_* say by which official, when, and the kind of
-- document seen). loa3_verified_by has no foreign key: staff accounts are not modelled yet.
CREATE TABLE accounts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject TEXT NOT NULL CHECK (length(subject) >= 22),
  email TEXT,
  email_verified_at BIGINT,
  phone TEXT,
  phone_verified_at BIGINT,
  curp TEXT CHECK (length(curp) = 18),
  curp_validated_at BIGINT,
  given_name TEXT NOT NULL DEFAULT '',
  family_name TEXT NOT NULL DEFAULT '',
  -- "given family", lower-cased and accent-folded by the store (identity::fold_for_search);
  -- computed in C++ rather than with unaccent() so both dialects fold identically.
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
-- Prefix search for staff (AccountStore::search) at millions of rows: `col LIKE :p || '%'`
-- with LIKE's metacharacters escaped in :p. A btree with the default operator class serves
-- LIKE only under the C collation; text_pattern_ops compares byte-wise whatever the database's
-- collation, so the planner turns a constant-prefix LIKE into an index range. The same index
-- answers `=` (sign-in lookups) and enforces uniqueness, so each column needs one index only.
-- NULLs never collide, so absent identifiers are fine.
CREATE UNIQUE INDEX accounts_subject ON accounts (subject);
CREATE UNIQUE INDEX accounts_email ON accounts (email text_pattern_ops);
CREATE UNIQUE INDEX accounts_phone ON accounts (phone text_pattern_ops);
CREATE UNIQUE INDEX accounts_curp ON accounts (curp text_pattern_ops);
CREATE INDEX accounts_name_search ON accounts (name_search text_pattern_ops);

-- The audit log: append-only, hash-chained (identity/model/audit_event.hpp). id is the position
-- in the chain, assigned from audit_head under its row lock rather than by an identity column,
-- so ids run 1, 2, 3, ... without gaps in chain order (a sequence would leave holes on
-- rollback and could hand out numbers in another order than the lock). account_id has no
-- foreign key on purpose: rows outlive the account and may never be rewritten, not even to
-- SET NULL.
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
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

-- The end of the chain: one row. Every append updates it first, in the appender's transaction,
-- so concurrent appenders on any node queue on this row's lock and each chains onto the last
-- committed row; verify() also compares it with the last row, to notice rows cut off the end.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only, enforced by the database too (defence in depth). A superuser (or the table
-- owner) can still disable these triggers and edit rows; verify() finds such an edit.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
-- Row triggers do not fire on TRUNCATE.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
