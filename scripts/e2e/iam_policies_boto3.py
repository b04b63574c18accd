"""The IAM policy life cycle through boto3: python3 iam_policies_boto3.py ENDPOINT.

Credentials come from the environment (dev mode's test/test, the root of
123456789012). Run by scripts/e2e/iam-policies.sh; the account ends empty.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   config=Config(retries={"max_attempts": 1}))
MQ_FULL = "arn:aws:iam::aws:policy/AmazonMQFullAccess"
MQ_SLR = "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def doc(action):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


def refused(code, fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"want {code}, got {got}: {e}"
        return e.response["Error"]["Message"]
    raise AssertionError(f"want {code}, the call succeeded")


p = iam.create_policy(PolicyName="py-policy", Path="/py/", PolicyDocument=doc("mq:Describe*"),
                      Tags=[{"Key": "sdk", "Value": "boto3"}])["Policy"]
arn = p["Arn"]
assert arn == "arn:aws:iam::123456789012:policy/py/py-policy" and p["DefaultVersionId"] == "v1", p
for i in range(2, 6):
    v = iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(f"mq:List{i}"), SetAsDefault=(i == 5))["PolicyVersion"]
    assert v["VersionId"] == f"v{i}", v
msg = refused("LimitExceeded", iam.create_policy_version, PolicyArn=arn, PolicyDocument=doc("mq:List6"))
assert msg.startswith("A managed policy can have up to 5 versions."), msg
# boto3 decodes the URL-encoded document into a dict.
got = iam.get_policy_version(PolicyArn=arn, VersionId="v5")["PolicyVersion"]
assert got["IsDefaultVersion"] and got["Document"]["Statement"][0]["Action"] == "mq:List5", got
assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 5
refused("DeleteConflict", iam.delete_policy_version, PolicyArn=arn, VersionId="v5")
refused("MalformedPolicyDocument", iam.create_policy, PolicyName="bad", PolicyDocument="{")
refused("EntityAlreadyExists", iam.create_policy, PolicyName="PY-POLICY", PolicyDocument=doc("mq:List*"))
iam.set_default_policy_version(PolicyArn=arn, VersionId="v4")
assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v4"
iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
iam.untag_policy(PolicyArn=arn, TagKeys=["sdk"])
assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]
assert [q["Arn"] for q in iam.list_policies(Scope="Local")["Policies"]] == [arn]

# AWS managed policies, listed with the paginator.
pages = iam.get_paginator("list_policies").paginate(Scope="AWS", PaginationConfig={"PageSize": 400})
names = [q["PolicyName"] for page in pages for q in page["Policies"]]
assert len(names) == 1594 and "AmazonMQFullAccess" in names, len(names)
assert iam.get_policy(PolicyArn=MQ_FULL)["Policy"]["DefaultVersionId"] == "v5"
v1 = iam.get_policy_version(PolicyArn=MQ_FULL, VersionId="v1")["PolicyVersion"]
assert v1["CreateDate"].strftime("%Y-%m-%d") == "2017-11-28", v1
refused("AccessDenied", iam.create_policy_version, PolicyArn=MQ_FULL, PolicyDocument=doc("s3:*"), SetAsDefault=True)
for fn, kw in ((iam.delete_policy, {}), (iam.set_default_policy_version, {"VersionId": "v1"}),
               (iam.delete_policy_version, {"VersionId": "v1"}), (iam.untag_policy, {"TagKeys": ["a"]}),
               (iam.tag_policy, {"Tags": [{"Key": "a", "Value": "b"}]})):
    msg = refused("AccessDenied", fn, PolicyArn=MQ_FULL, **kw)
    assert msg.endswith("on resource: policy " + MQ_FULL), msg
assert len(iam.list_policy_versions(PolicyArn=MQ_FULL)["Versions"]) == 5
refused("NoSuchEntity", iam.get_policy_version, PolicyArn="arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", VersionId="v30")

iam.create_user(UserName="py-user")
iam.create_group(GroupName="py-group")
iam.create_role(RoleName="py-role", AssumeRolePolicyDocument=TRUST)
iam.attach_user_policy(UserName="py-user", PolicyArn=arn)
iam.attach_group_policy(GroupName="py-group", PolicyArn=MQ_FULL)
iam.attach_role_policy(RoleName="py-role", PolicyArn=arn)
msg = refused("PolicyNotAttachable", iam.attach_role_policy, RoleName="py-role", PolicyArn=MQ_SLR)
assert msg == "Cannot attach a Service Role Policy to a Customer Role.", msg
refused("NoSuchEntity", iam.attach_user_policy, UserName="py-user", PolicyArn="arn:aws:iam::aws:policy/Nope")
assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2
ents = iam.list_entities_for_policy(PolicyArn=arn)
assert [u["UserName"] for u in ents["PolicyUsers"]] == ["py-user"] and len(ents["PolicyRoles"]) == 1, ents
assert len(iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")["PolicyUsers"]) == 0
attached = [q["PolicyName"] for q in iam.list_policies(OnlyAttached=True)["Policies"]]
assert attached == ["AmazonMQFullAccess", "py-policy"], attached
assert iam.list_attached_group_policies(GroupName="py-group")["AttachedPolicies"][0]["PolicyArn"] == MQ_FULL
refused("InvalidInput", iam.attach_group_policy, GroupName="py-group", PolicyArn="arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/X")
refused("DeleteConflict", iam.delete_policy, PolicyArn=arn)

iam.put_user_policy(UserName="py-user", PolicyName="inline", PolicyDocument=doc("mq:List*"))
iam.put_role_policy(RoleName="py-role", PolicyName="inline", PolicyDocument=doc("mq:List*"))
iam.put_group_policy(GroupName="py-group", PolicyName="inline", PolicyDocument=doc("mq:List*"))
got = iam.get_user_policy(UserName="py-user", PolicyName="inline")
assert got["PolicyDocument"]["Statement"][0]["Action"] == "mq:List*", got
assert iam.list_role_policies(RoleName="py-role")["PolicyNames"] == ["inline"]
iam.put_user_permissions_boundary(UserName="py-user", PermissionsBoundary=arn)
assert iam.get_user(UserName="py-user")["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
refused("NoSuchEntity", iam.put_role_permissions_boundary, RoleName="py-role",
        PermissionsBoundary="arn:aws:iam::123456789012:policy/gone")
assert [q["PolicyName"] for q in iam.list_policies(PolicyUsageFilter="PermissionsBoundary")["Policies"]] == ["py-policy"]
refused("MalformedPolicyDocument", iam.put_group_policy, GroupName="py-group", PolicyName="bad", PolicyDocument=doc("mq"))

# Tear down: the account ends empty.
iam.delete_user_permissions_boundary(UserName="py-user")
for kind, name in (("user", "py-user"), ("group", "py-group"), ("role", "py-role")):
    getattr(iam, f"delete_{kind}_policy")(**{f"{kind.capitalize()}Name": name, "PolicyName": "inline"})
iam.detach_user_policy(UserName="py-user", PolicyArn=arn)
iam.detach_group_policy(GroupName="py-group", PolicyArn=MQ_FULL)
iam.detach_role_policy(RoleName="py-role", PolicyArn=arn)
for v in ("v1", "v2", "v3", "v4"):
    iam.delete_policy_version(PolicyArn=arn, VersionId=v)
iam.delete_policy(PolicyArn=arn)
iam.delete_user(UserName="py-user")
iam.delete_group(GroupName="py-group")
iam.delete_role(RoleName="py-role")
left = (len(iam.list_policies(Scope="Local")["Policies"]) + len(iam.list_users()["Users"])
        + len(iam.list_groups()["Groups"]) + len(iam.list_roles()["Roles"]))
assert left == 0, f"{left} entities left"
print("boto3 policies: ok")
