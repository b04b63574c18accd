"""Mints the OIDC material of scripts/e2e/federation.sh with a local key.

  mint_jwt.py keys DIR PROVIDER     writes DIR/key.pem (a new P-256 key) and
                                    DIR/jwks.json ({PROVIDER: JWKS}, kid k1)
  mint_jwt.py token DIR ISS SUB AUD SECONDS
                                    prints an ES256 ID token signed with
                                    DIR/key.pem, expiring SECONDS from now
                                    (negative: already expired)
"""
import base64
import json
import os
import sys
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def keys(d, provider):
    key = ec.generate_private_key(ec.SECP256R1())
    with open(os.path.join(d, "key.pem"), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    n = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "kid": "k1", "use": "sig", "alg": "ES256",
           "x": b64(n.x.to_bytes(32, "big")), "y": b64(n.y.to_bytes(32, "big"))}
    with open(os.path.join(d, "jwks.json"), "w") as f:
        json.dump({provider: {"keys": [jwk]}}, f)


def token(d, iss, sub, aud, seconds):
    with open(os.path.join(d, "key.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    now = int(time.time())
    header = {"alg": "ES256", "kid": "k1", "typ": "JWT"}
    claims = {"iss": iss, "sub": sub, "aud": aud, "iat": min(now, now + seconds - 60), "exp": now + seconds}
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    print(signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big")))


if __name__ == "__main__":
    if sys.argv[1] == "keys":
        keys(sys.argv[2], sys.argv[3])
    else:
        token(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
