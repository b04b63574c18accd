#!/usr/bin/env python3
"""totp.py SEEDFILE OFFSET: prints the six-digit TOTP code (RFC 6238: SHA-1,
30-second steps) of the Base32 seed in SEEDFILE, as an authenticator app
would show it OFFSET seconds from now. The standard library suffices; the
end-to-end scripts use it to answer iamq's virtual MFA devices."""
import base64
import hashlib
import hmac
import struct
import sys
import time


def code(seed: str, t: float) -> str:
    seed = seed.strip().upper()
    key = base64.b32decode(seed + "=" * (-len(seed) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    n = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return "%06d" % (n % 1000000)


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(code(f.read(), time.time() + float(sys.argv[2])))
