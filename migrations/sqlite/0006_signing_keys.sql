-- The OpenID Provider's signing keys (identity/store/signing_key_store.*). Keep
-- migrations/postgres/0006 in step.
--
-- One row per key, with the moments of identity/jose/key_record.hpp: published from
-- created_at, signs from activated_at until retired_at, leaves the JWKS at expires_at (then the
-- store deletes the row on the next rotation). kid is the RFC 7638 thumbprint of the key,
-- unique by construction. sealed_private_key is the PKCS#8 PEM sealed under the
-- key-encryption key, bound to this kid (identity/model/key_encryption.hpp): never plaintext,
-- and useless on another row. The public key is not stored; it is derived from the private one.
CREATE TABLE signing_keys (
  id INTEGER PRIMARY KEY,
  kid TEXT NOT NULL UNIQUE,
  alg TEXT NOT NULL CHECK (alg IN ('RS256', 'ES256')),
  sealed_private_key TEXT NOT NULL CHECK (sealed_private_key LIKE 'v1.%'),
  created_at BIGINT NOT NULL,
  activated_at BIGINT NOT NULL,
  retired_at BIGINT,
  expires_at BIGINT,
  CHECK (expires_at IS NULL OR retired_at IS NOT NULL)
);
