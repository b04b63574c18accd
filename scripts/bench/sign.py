"""Print a wrk Lua script that replays one SigV4-signed request.

Usage: sign.py ENDPOINT KEY_ID SECRET SERVICE BODY

The request is signed with botocore (the AWS CLI's signer) for us-east-1, now:
a signature stays valid for the 15-minute window, longer than a benchmark.
It is sent once first, and must succeed.
"""
import sys
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    endpoint, key_id, secret, service, body = sys.argv[1:6]
    req = AWSRequest(method="POST", url=endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(key_id, secret), service, "us-east-1").add_auth(req)
    check = urllib.request.Request(endpoint + "/", data=body.encode(), method="POST", headers=dict(req.headers))
    with urllib.request.urlopen(check) as resp:
        if resp.status != 200:
            sys.exit("the signed request is refused: %d" % resp.status)
    print('wrk.method = "POST"')
    print("wrk.body = " + lua_string(body))
    for name, value in req.headers.items():
        print("wrk.headers[%s] = %s" % (lua_string(name), lua_string(value)))


if __name__ == "__main__":
    main()
