"""The IAM identity life cycle through boto3: python3 iam_identities_boto3.py ENDPOINT.

Credentials come from the environment. Run by scripts/e2e/iam-identities.sh.
"""
import json
import sys
import urllib.parse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   config=Config(retries={"max_attempts": 1}, parameter_validation=False))
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def refused(code, fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"want {code}, got {got}: {e}"
        return e.response["Error"]["Message"]
    raise AssertionError(f"want {code}, the call succeeded")


u = iam.create_user(UserName="py-user", Path="/py/", Tags=[{"Key": "sdk", "Value": "boto3"}])["User"]
assert u["Arn"].endswith(":user/py/py-user"), u
assert refused("EntityAlreadyExists", iam.create_user, UserName="PY-USER") == "User with name PY-USER already exists."
assert refused("ValidationError", iam.create_user, UserName="bad name").startswith("The specified value for userName is invalid.")
for n in ("py-a", "py-b", "py-c"):
    iam.create_user(UserName=n)
names = [x["UserName"] for page in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}) for x in page["Users"]]
assert names == ["py-a", "py-b", "py-c", "py-user"], names
iam.update_user(UserName="py-c", NewPath="/moved/")
assert iam.get_user(UserName="py-c")["User"]["Path"] == "/moved/"
iam.untag_user(UserName="py-user", TagKeys=["sdk"])
assert iam.list_user_tags(UserName="py-user")["Tags"] == []

iam.create_group(GroupName="py-group", Path="/py/")
iam.add_user_to_group(GroupName="py-group", UserName="py-user")
assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="py-user")["Groups"]] == ["py-group"]
assert refused("DeleteConflict", iam.delete_user, UserName="py-user") == "Cannot delete entity, must remove user from all groups first."

role = iam.create_role(RoleName="py-role", AssumeRolePolicyDocument=TRUST, Description="boto3")["Role"]
# With parameter validation off, the server's own checks answer.
# boto3 decodes the URL-encoded document into a dict.
doc = role["AssumeRolePolicyDocument"]
if isinstance(doc, str):
    doc = json.loads(urllib.parse.unquote(doc))
assert doc["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}, doc
assert refused("ValidationError", iam.update_role, RoleName="py-role", MaxSessionDuration=100).endswith("greater than or equal to 3600")
iam.update_assume_role_policy(RoleName="py-role", PolicyDocument=TRUST)
iam.tag_role(RoleName="py-role", Tags=[{"Key": "k", "Value": "v"}])
assert iam.list_role_tags(RoleName="py-role")["Tags"] == [{"Key": "k", "Value": "v"}]
iam.create_instance_profile(InstanceProfileName="py-profile")
iam.add_role_to_instance_profile(InstanceProfileName="py-profile", RoleName="py-role")
assert len(iam.get_instance_profile(InstanceProfileName="py-profile")["InstanceProfile"]["Roles"]) == 1

key = iam.create_access_key(UserName="py-user")["AccessKey"]
iam.create_access_key(UserName="py-user")
assert refused("LimitExceeded", iam.create_access_key, UserName="py-user") == "Cannot exceed quota for AccessKeysPerUser: 2"
iam.update_access_key(UserName="py-user", AccessKeyId=key["AccessKeyId"], Status="Inactive")
statuses = sorted(k["Status"] for k in iam.list_access_keys(UserName="py-user")["AccessKeyMetadata"])
assert statuses == ["Active", "Inactive"], statuses
last = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
assert last["UserName"] == "py-user", last

assert iam.list_mfa_devices(UserName="py-user")["MFADevices"] == []
assert refused("NoSuchEntity", iam.get_login_profile, UserName="py-user") == "Login Profile for User py-user cannot be found."
details = iam.get_account_authorization_details()
assert {x["UserName"] for x in details["UserDetailList"]} == {"py-user", "py-a", "py-b", "py-c"}
assert [x["GroupList"] for x in details["UserDetailList"] if x["UserName"] == "py-user"] == [["py-group"]], details
summary = iam.get_account_summary()["SummaryMap"]
assert summary["Users"] == 4 and summary["Groups"] == 1 and summary["InstanceProfiles"] == 1, summary

# Clean up: the account ends empty.
for k in iam.list_access_keys(UserName="py-user")["AccessKeyMetadata"]:
    iam.delete_access_key(UserName="py-user", AccessKeyId=k["AccessKeyId"])
iam.remove_user_from_group(GroupName="py-group", UserName="py-user")
iam.delete_group(GroupName="py-group")
iam.remove_role_from_instance_profile(InstanceProfileName="py-profile", RoleName="py-role")
iam.delete_instance_profile(InstanceProfileName="py-profile")
iam.delete_role(RoleName="py-role")
for n in ("py-user", "py-a", "py-b", "py-c"):
    iam.delete_user(UserName=n)
assert iam.list_users()["Users"] == [] and iam.list_roles()["Roles"] == [] and iam.list_groups()["Groups"] == []
print("boto3 identities: ok")
