"""The call sequence of AWS's policy-validator CI tools, through boto3.

python3 analyzer_boto3.py (the endpoint comes from AWS_ENDPOINT_URL, as the
tools take it; credentials from the environment).

cfn-policy-validator and tf-policy-validator cannot be installed here, but
they are plain boto3 clients: for their check-no-new-access,
check-access-not-granted and check-no-public-access commands they ask STS who
is calling, read the AWS managed policies a template references through IAM
(GetPolicy, then GetPolicyVersion of the default version), run each policy
through the ValidatePolicy paginator, then make the custom check. This script
makes the same calls, in that order, and checks the answers. Run by
scripts/e2e/analyzer.sh.
"""
import json
import os

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

assert os.environ.get("AWS_ENDPOINT_URL"), "set AWS_ENDPOINT_URL"
cfg = Config(region_name="us-east-1", retries={"max_attempts": 1})
sts = boto3.client("sts", config=cfg)
iam = boto3.client("iam", config=cfg)
aa = boto3.client("accessanalyzer", config=cfg)


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


# The "template": a role's inline policy, a reference to an AWS managed
# policy, and a bucket policy.
ROLE_POLICY = policy(
    {"Sid": "Brokers", "Effect": "Allow", "Action": ["mq:Describe*", "mq:DescribeBroker"], "Resource": "*"},
    {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})
MANAGED_ARN = "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"
BUCKET_POLICY = policy(
    {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"})
BUCKET_POLICY_ORG = policy(
    {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}})
REFERENCE = policy({"Effect": "Allow", "Action": ["mq:Describe*", "mq:List*"], "Resource": "*"})

# 1. Who is calling (the tools build ARNs with the account and partition).
me = sts.get_caller_identity()
account = me["Account"]
assert account.isdigit() and len(account) == 12, me

# 2. The managed policy the template references.
p = iam.get_policy(PolicyArn=MANAGED_ARN)["Policy"]
v = iam.get_policy_version(PolicyArn=MANAGED_ARN, VersionId=p["DefaultVersionId"])["PolicyVersion"]
managed = v["Document"] if isinstance(v["Document"], str) else json.dumps(v["Document"])
assert "mq:Describe" in managed, managed


# 3. ValidatePolicy, through its paginator (one finding a page, to page).
def validate(doc, policy_type, resource_type=None):
    kw = {"policyDocument": doc, "policyType": policy_type, "PaginationConfig": {"PageSize": 1}}
    if resource_type:
        kw["validatePolicyResourceType"] = resource_type
    out = []
    for page in aa.get_paginator("validate_policy").paginate(**kw):
        out += page["findings"]
    return out


findings = validate(ROLE_POLICY, "IDENTITY_POLICY")
codes = sorted((f["findingType"], f["issueCode"]) for f in findings)
assert codes == [("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE"), ("SUGGESTION", "REDUNDANT_ACTION")], codes
span = findings[0]["locations"][0]["span"]
assert ROLE_POLICY[span["start"]["offset"]:span["end"]["offset"]] in ('"*"', '"mq:DescribeBroker"'), span
assert all(f["learnMoreLink"].startswith("https://docs.aws.amazon.com/IAM/") for f in findings)
assert validate(managed, "IDENTITY_POLICY") == [], "the managed policy has findings"
assert [f["issueCode"] for f in validate(BUCKET_POLICY, "RESOURCE_POLICY", "AWS::S3::Bucket")] == []

# 4. The custom checks, as each command makes them.
r = aa.check_no_new_access(existingPolicyDocument=REFERENCE, newPolicyDocument=ROLE_POLICY, policyType="IDENTITY_POLICY")
assert r["result"] == "FAIL" and r["reasons"][0]["statementId"] == "Pass", r
assert "iam:PassRole" in r["reasons"][0]["description"], r
# The managed policy also grants EC2 reads: new access beside the reference,
# and the reference adds nothing to it.
r = aa.check_no_new_access(existingPolicyDocument=REFERENCE, newPolicyDocument=managed, policyType="IDENTITY_POLICY")
assert r["result"] == "FAIL" and "ec2:" in r["reasons"][0]["description"], r
r = aa.check_no_new_access(existingPolicyDocument=managed, newPolicyDocument=REFERENCE, policyType="IDENTITY_POLICY")
assert r["result"] == "PASS", r

r = aa.check_access_not_granted(policyDocument=ROLE_POLICY, policyType="IDENTITY_POLICY",
                                access=[{"actions": ["iam:PassRole", "s3:DeleteBucket"]}])
assert r["result"] == "FAIL" and r["reasons"][0]["statementIndex"] == 1, r
r = aa.check_access_not_granted(policyDocument=managed, policyType="IDENTITY_POLICY",
                                access=[{"actions": ["iam:PassRole", "mq:DeleteBroker"]}])
assert r["result"] == "PASS", r

r = aa.check_no_public_access(policyDocument=BUCKET_POLICY, resourceType="AWS::S3::Bucket")
assert r["result"] == "FAIL" and r["reasons"][0]["statementId"] == "Public", r
r = aa.check_no_public_access(policyDocument=BUCKET_POLICY_ORG, resourceType="AWS::S3::Bucket")
assert r["result"] == "PASS", r

# 5. What the tools do on a refusal: read the error code.
for call, kw, code in [
    (aa.check_no_new_access, {"existingPolicyDocument": REFERENCE, "newPolicyDocument": "{", "policyType": "IDENTITY_POLICY"}, "InvalidParameterException"),
    (aa.validate_policy, {"policyDocument": REFERENCE, "policyType": "USER_POLICY"}, "ValidationException"),
]:
    try:
        call(**kw)
        raise AssertionError(f"{call.__name__}: want {code}, it succeeded")
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
print("boto3: the tools' call sequence OK")
