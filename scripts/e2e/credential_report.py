"""The credential report read with Python's csv module:
python3 credential_report.py ENDPOINT CERT_PEM.

Credentials come from the environment (the root of iamq's --dev account).
Makes users, keys, a console password under a password policy, an enabled
virtual MFA device and a signing certificate (CERT_PEM), uses one key,
generates the report and checks every row against what IAM says of those
users and their credentials. Run by
scripts/e2e/credential-report.sh.
"""
import base64
import csv
import io
import sys
import time
from datetime import timedelta

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from totp import code

HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
          "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
          "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
          "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
          "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
          "cert_1_last_rotated,cert_2_active,cert_2_last_rotated").split(",")

endpoint = sys.argv[1]
cfg = Config(retries={"max_attempts": 1})
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", config=cfg)

try:
    iam.get_credential_report()
    raise AssertionError("GetCredentialReport before any report succeeded")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ReportNotPresent", e
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 410, e

users = {}
for name, path in (("report-alice", "/ops/"), ("report-bob", "/"), ("report-carol", "/")):
    users[name] = iam.create_user(UserName=name, Path=path)["User"]
keys = {"report-alice": [iam.create_access_key(UserName="report-alice")["AccessKey"] for _ in range(2)],
        "report-bob": [iam.create_access_key(UserName="report-bob")["AccessKey"]]}
iam.update_access_key(UserName="report-alice", AccessKeyId=keys["report-alice"][1]["AccessKeyId"], Status="Inactive")
# Bob's key signs one call: its last use is in the report.
bob = boto3.client("sts", endpoint_url=endpoint, region_name="eu-west-1", config=cfg,
                   aws_access_key_id=keys["report-bob"][0]["AccessKeyId"],
                   aws_secret_access_key=keys["report-bob"][0]["SecretAccessKey"])
bob.get_caller_identity()
# Carol has a console password under a 90-day policy and an enabled MFA
# device; Alice a signing certificate.
iam.update_account_password_policy(MinimumPasswordLength=12, MaxPasswordAge=90)
iam.create_login_profile(UserName="report-carol", Password="Report-Carol-Password-1")
seed = iam.create_virtual_mfa_device(VirtualMFADeviceName="report-carol")["VirtualMFADevice"]
now = time.time()
iam.enable_mfa_device(UserName="report-carol", SerialNumber=seed["SerialNumber"],
                      AuthenticationCode1=code(seed["Base32StringSeed"].decode(), now - 30),
                      AuthenticationCode2=code(seed["Base32StringSeed"].decode(), now))
with open(sys.argv[2]) as f:
    iam.upload_signing_certificate(UserName="report-alice", CertificateBody=f.read())
# iamq writes key uses every two seconds: wait until IAM reports it.
for _ in range(50):
    if "LastUsedDate" in iam.get_access_key_last_used(AccessKeyId=keys["report-bob"][0]["AccessKeyId"])["AccessKeyLastUsed"]:
        break
    time.sleep(0.1)

g = iam.generate_credential_report()
assert g["State"] == "STARTED" and g["Description"] == "No report exists. Starting a new report generation task", g
g = iam.generate_credential_report()
assert g["State"] == "COMPLETE", g
r = iam.get_credential_report()
assert r["ReportFormat"] == "text/csv", r
# boto3 decodes the blob's base64; the bytes are the CSV.
rows = list(csv.DictReader(io.StringIO(r["Content"].decode())))
with io.StringIO(r["Content"].decode()) as f:
    assert next(csv.reader(f)) == HEADER, "header"
assert rows[0]["user"] == "<root_account>" and rows[0]["arn"].endswith(":root"), rows[0]
assert rows[0]["password_enabled"] == "not_supported" and rows[0]["password_next_rotation"] == "not_supported", rows[0]
by_name = {row["user"]: row for row in rows[1:]}
assert set(by_name) >= set(users), by_name.keys()


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S+00:00")


for name, u in users.items():
    row = by_name[name]
    assert row["arn"] == u["Arn"], row
    assert row["user_creation_time"] == iso(u["CreateDate"]), (row, u)
    try:
        profile = iam.get_login_profile(UserName=name)["LoginProfile"]
    except ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchEntity", e
        profile = None
    if profile is None:
        assert row["password_enabled"] == "false" and row["password_last_used"] == "N/A", row
        assert row["password_last_changed"] == "N/A" and row["password_next_rotation"] == "N/A", row
    else:
        # Console sign-ins are not tracked: no_information.
        assert row["password_enabled"] == "true" and row["password_last_used"] == "no_information", row
        assert row["password_last_changed"] == iso(profile["CreateDate"]), (row, profile)
        assert row["password_next_rotation"] == iso(profile["CreateDate"] + timedelta(days=90)), (row, profile)
    devices = iam.list_mfa_devices(UserName=name)["MFADevices"]
    assert row["mfa_active"] == ("true" if devices else "false"), (row, devices)
    listed = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    for i in (1, 2):
        col = f"access_key_{i}_"
        if i > len(listed):
            assert row[col + "active"] == "false" and row[col + "last_rotated"] == "N/A", row
            continue
        k = listed[i - 1]
        assert row[col + "active"] == ("true" if k["Status"] == "Active" else "false"), (row, k)
        assert row[col + "last_rotated"] == iso(k["CreateDate"]), (row, k)
        last = iam.get_access_key_last_used(AccessKeyId=k["AccessKeyId"])["AccessKeyLastUsed"]
        if "LastUsedDate" in last:
            assert row[col + "last_used_date"] == iso(last["LastUsedDate"]), (row, last)
            assert row[col + "last_used_service"] == last["ServiceName"] == "sts", (row, last)
            assert row[col + "last_used_region"] == last["Region"] == "eu-west-1", (row, last)
        else:
            assert row[col + "last_used_date"] == "N/A" and row[col + "last_used_service"] == "N/A", row
    certs = iam.list_signing_certificates(UserName=name)["Certificates"]
    for i in (1, 2):
        if i > len(certs):
            assert row[f"cert_{i}_active"] == "false" and row[f"cert_{i}_last_rotated"] == "N/A", row
            continue
        c = certs[i - 1]
        assert row[f"cert_{i}_active"] == ("true" if c["Status"] == "Active" else "false"), (row, c)
        assert row[f"cert_{i}_last_rotated"] == iso(c["UploadDate"]), (row, c)
assert by_name["report-bob"]["access_key_1_last_used_date"] != "N/A", by_name["report-bob"]
assert by_name["report-alice"]["access_key_2_active"] == "false", by_name["report-alice"]
assert by_name["report-alice"]["cert_1_active"] == "true", by_name["report-alice"]
assert by_name["report-carol"]["password_enabled"] == "true", by_name["report-carol"]
assert by_name["report-carol"]["mfa_active"] == "true", by_name["report-carol"]
print(f"credential report: {len(rows)} rows checked with the csv module")
