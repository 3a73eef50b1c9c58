-- Sign-in defences and second factors (helper "llave"). Keep migrations/sqlite/0008 in step.

-- Failure counters for exponential backoff (identity/model/throttle.hpp), in the database so
-- that every node of the cluster sees the same count. scope says what is counted ("account":
-- the SHA-256 of the identifier as typed and normalised, so an unknown address is throttled
-- exactly like a known one; "ip", "code_ip", "send_ip": the client address). A row idle for
-- longer than its rule's forget_after starts again from zero.
CREATE TABLE signin_throttles (
  scope TEXT NOT NULL CHECK (length(scope) BETWEEN 1 AND 32),
  bucket TEXT NOT NULL CHECK (length(bucket) BETWEEN 1 AND 128),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  blocked_until BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (scope, bucket)
);
-- Maintenance purges by age.
CREATE INDEX signin_throttles_updated ON signin_throttles (updated_at);

-- One-time codes and links (identity/model/one_time_code.hpp): e-mail verification links,
-- phone verification codes, password-reset codes and SMS sign-in codes. Only a hash is kept:
-- SHA-256 of a link token (looked up by it), or "salt$SHA-256(salt || code)" for short codes
-- (looked up by account and purpose). Issuing a new one ends the earlier ones of the purpose.
CREATE TABLE one_time_codes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  purpose TEXT NOT NULL
    CHECK (purpose IN ('email_verify', 'phone_verify', 'password_reset', 'signin_sms')),
  code_hash TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX one_time_codes_hash ON one_time_codes (code_hash);
CREATE INDEX one_time_codes_account ON one_time_codes (account_id, purpose, id);
CREATE INDEX one_time_codes_expires ON one_time_codes (expires_at);

-- A resident's second factors. totp_secret is sealed with the key-encryption key
-- (identity/model/key_encryption.hpp), never stored in the clear; totp_last_step is the last
-- accepted RFC 6238 time step (replay protection, §5.2). pending_totp_secret waits for the
-- first code that confirms an enrolment. recovery_codes: JSON array of the ten stored hashes
-- (identity/model/recovery_codes.hpp), a used one blanked to "".
CREATE TABLE second_factors (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
  totp_secret TEXT,
  totp_enrolled_at BIGINT,
  totp_last_step BIGINT,
  pending_totp_secret TEXT,
  pending_totp_created_at BIGINT,
  recovery_codes TEXT NOT NULL DEFAULT '[]',
  sms_enabled INTEGER NOT NULL DEFAULT 0 CHECK (sms_enabled IN (0, 1)),
  updated_at BIGINT NOT NULL
);
