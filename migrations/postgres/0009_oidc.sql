-- The OpenID Provider: clients, grants (authorization codes), refresh tokens, consents and
-- revoked access tokens (identity/store/{client,authorization_code,refresh_token,consent,
-- token_revocation}_store.*). Keep migrations/sqlite/0009 in step.
--
-- Secrets and tokens are never stored: only the hex SHA-256 of 32 random bytes, which is
-- enough for high-entropy values (no dictionary to try) and lets a lookup use the index.
-- Lists (redirect URIs, scopes, grant types) are space-separated: none of their items may
-- contain white space (RFC 6749 §3.3 scope-token, RFC 3986 URIs).

CREATE TABLE oidc_clients (
  client_id TEXT PRIMARY KEY CHECK (length(client_id) BETWEEN 1 AND 100),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  client_type TEXT NOT NULL CHECK (client_type IN ('confidential', 'public')),
  secret_hash TEXT,
  redirect_uris TEXT NOT NULL DEFAULT '',
  post_logout_redirect_uris TEXT NOT NULL DEFAULT '',
  scopes TEXT NOT NULL,
  grant_types TEXT NOT NULL,
  backchannel_logout_uri TEXT,
  created_at BIGINT NOT NULL,
  CHECK ((client_type = 'confidential') = (secret_hash IS NOT NULL))
);

-- One row per authorization: the code (single use, short-lived) and the grant it stands for,
-- which outlives the code: refresh tokens and access tokens name it, so that reusing the code
-- (RFC 6749 §4.1.2) or a rotated refresh token revokes everything issued from it at once.
CREATE TABLE oidc_grants (
  id TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  login_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL,
  nonce TEXT,
  code_challenge TEXT,
  auth_time BIGINT NOT NULL,
  acr TEXT NOT NULL,
  amr TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  code_expires_at BIGINT NOT NULL,
  code_used_at BIGINT,
  revoked_at BIGINT
);
-- Back-channel logout: the clients a login was used with.
CREATE INDEX oidc_grants_login ON oidc_grants (login_id);
-- Revoking a consent revokes that client's grants for the account.
CREATE INDEX oidc_grants_account ON oidc_grants (account_id, client_id);

-- Refresh tokens, rotated on every use (used_at set); a used one presented again revokes its
-- grant (the whole family).
CREATE TABLE oidc_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX oidc_refresh_tokens_grant ON oidc_refresh_tokens (grant_id);

-- What a resident allowed a client to know (the consent page remembers it; Mi Llave revokes it).
CREATE TABLE oidc_consents (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  client_id TEXT NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, client_id)
);

-- Access tokens revoked before their exp (RFC 7009), by jti; rows are useless after expires_at.
CREATE TABLE oidc_revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL
);
CREATE INDEX oidc_revoked_tokens_expires ON oidc_revoked_tokens (expires_at);
