#!/usr/bin/python3
"""An independent JOSE implementation (Debian's python3-jwt and python3-cryptography) checking
zocalo's tokens and keys, for src/identity/jose/jwt_interop_test.cpp.

Usage: /usr/bin/python3 verify_jwt.py DIR

DIR holds:
  jwks.json    the JWK Set zocalo publishes (RFC 7517 §5)
  tokens.json  [{"token", "alg", "kid", "typ", "issuer", "audience"}] tokens zocalo signed
  sign.json    [{"pem", "alg", "kid", "typ", "claims"}] requests for PyJWT to sign with a key
               zocalo wrote as PKCS#8 PEM (file name relative to DIR)

Prints one line per item, then "done":
  verified ALG KID       PyJWT accepted a zocalo token and every header and key check passed
  rejected ALG: REASON   it did not (the script then exits 1)
  signed ALG TOKEN       a token PyJWT signed, for zocalo to verify
  error: REASON          the script could not run (missing Debian packages, bad input)
"""
import base64
import hashlib
import json
import os
import sys


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def thumbprint(jwk):
    """RFC 7638 §3: SHA-256 over the required members, sorted, without whitespace."""
    required = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y")}[jwk["kty"]]
    canonical = json.dumps({k: jwk[k] for k in required}, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify(jwt, item, jwks, raw_keys):
    header = jwt.get_unverified_header(item["token"])
    for name in ("alg", "kid", "typ"):
        if header.get(name) != item[name]:
            return "header %s is %r, expected %r" % (name, header.get(name), item[name])
    matches = [k for k in jwks.keys if k.key_id == item["kid"]]
    if len(matches) != 1:
        return "kid not found exactly once in the JWKS"
    jwk = next(k for k in raw_keys if k["kid"] == item["kid"])
    if thumbprint(jwk) != jwk["kid"]:
        return "kid is not the RFC 7638 thumbprint of the key"
    if jwk.get("use") != "sig" or jwk.get("alg") != item["alg"]:
        return "JWK use/alg are %r/%r" % (jwk.get("use"), jwk.get("alg"))
    signature = b64url_decode(item["token"].rsplit(".", 1)[1])
    if item["alg"] == "ES256" and len(signature) != 64:
        return "ES256 signature is %d bytes, not the 64 of RFC 7518 §3.4" % len(signature)
    jwt.decode(
        item["token"],
        key=matches[0].key,
        algorithms=[item["alg"]],
        audience=item["audience"],
        issuer=item["issuer"],
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )
    return None


def main():
    try:
        import jwt  # python3-jwt
        from cryptography.hazmat.primitives import serialization  # python3-cryptography
    except ImportError as e:
        print("error: %s (apt-get install python3-jwt python3-cryptography)" % e, flush=True)
        return 2
    folder = sys.argv[1]

    def load(name):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            return json.load(f)

    raw_jwks = load("jwks.json")
    jwks = jwt.PyJWKSet.from_dict(raw_jwks)
    failed = False
    for item in load("tokens.json"):
        try:
            reason = verify(jwt, item, jwks, raw_jwks["keys"])
        except jwt.PyJWTError as e:
            reason = "PyJWT: %s: %s" % (type(e).__name__, e)
        if reason:
            print("rejected %s: %s" % (item["alg"], reason), flush=True)
            failed = True
        else:
            print("verified %s %s" % (item["alg"], item["kid"]), flush=True)
    for item in load("sign.json"):
        with open(os.path.join(folder, item["pem"]), "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        token = jwt.encode(item["claims"], key, algorithm=item["alg"],
                           headers={"kid": item["kid"], "typ": item["typ"]})
        print("signed %s %s" % (item["alg"], token), flush=True)
    print("done", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
