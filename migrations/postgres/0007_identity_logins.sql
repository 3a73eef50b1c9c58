-- Signed-in browser sessions and staff roles. Keep migrations/sqlite/0007 in step.

-- One row per sign-in on one device (identity/store/login_session_store.hpp). The browser's
-- platform session holds the id; revoking the row signs that browser out on every node.
-- user_agent and ip are personal data, shown only to the account's owner.
CREATE TABLE login_sessions (
  id TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  auth_time BIGINT NOT NULL,
  amr TEXT NOT NULL CHECK (length(amr) BETWEEN 1 AND 100),
  user_agent TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  idle_timeout BIGINT NOT NULL CHECK (idle_timeout > 0),
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
-- The sessions page and "sign out everywhere": one account's rows.
CREATE INDEX login_sessions_account ON login_sessions (account_id, last_seen_at);
-- Maintenance purges by age.
CREATE INDEX login_sessions_expires ON login_sessions (expires_at);

-- What an official may do (identity/model/staff_role.hpp). Staff sign in with their Llave.
-- agency_id is set exactly for agency-scoped roles; a role is held at most once per agency.
CREATE TABLE staff_roles (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'agency_staff', 'operator', 'verifier')),
  agency_id BIGINT REFERENCES agencies (id),
  granted_by BIGINT,
  granted_at BIGINT NOT NULL,
  CHECK ((role = 'agency_staff') = (agency_id IS NOT NULL))
);
CREATE UNIQUE INDEX staff_roles_unique ON staff_roles (account_id, role, coalesce(agency_id, 0));
CREATE INDEX staff_roles_role ON staff_roles (role, agency_id);
