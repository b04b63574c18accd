"""The decision log's end-to-end "application", through boto3.

python3 audit_boto3.py ENDPOINT setup        # as the root: a runner user and a role "app" with no policy;
                                             # prints the runner's key as KEY_ID SECRET
python3 audit_boto3.py ENDPOINT app [--sixth] # as the runner (env): assume "app" and do the app's five calls
                                             # (--sixth: then one more it never did; exits 3 if that is denied)
python3 audit_boto3.py ENDPOINT attach FILE  # as the root: put FILE as the role's inline policy

Run by scripts/e2e/audit.sh. Exits 2 on an AccessDenied in the app's calls.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, MODE = sys.argv[1], sys.argv[2]
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
CFG = Config(retries={"max_attempts": 1})


def client(service, **creds):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1", config=CFG, **creds)


def setup():
    iam = client("iam")
    iam.create_user(UserName="runner")
    iam.put_user_policy(UserName="runner", PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE}]}))
    key = iam.create_access_key(UserName="runner")["AccessKey"]
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/runner"},
                                                "Action": "sts:AssumeRole"}]}))
    print(key["AccessKeyId"], key["SecretAccessKey"])


def app(sixth):
    c = client("sts").assume_role(RoleArn=ROLE, RoleSessionName="e2e-app")["Credentials"]
    iam = client("iam", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                 aws_session_token=c["SessionToken"])
    try:
        iam.list_users()
        try:
            iam.create_group(GroupName="app-workers")
        except ClientError as e:
            if e.response["Error"]["Code"] != "EntityAlreadyExists":
                raise
        iam.get_group(GroupName="app-workers")
        iam.tag_role(RoleName="app", Tags=[{"Key": "ran", "Value": "yes"}])
        iam.list_roles(PathPrefix="/")
    except ClientError as e:
        if e.response["Error"]["Code"] == "AccessDenied":
            print("app denied:", e, file=sys.stderr)
            sys.exit(2)
        raise
    print("app: five calls done")
    if sixth:
        try:
            iam.delete_group(GroupName="app-workers")
        except ClientError as e:
            if e.response["Error"]["Code"] == "AccessDenied":
                print("the sixth call was denied:", e.response["Error"]["Message"])
                sys.exit(3)
            raise
        print("the sixth call was allowed")


if MODE == "setup":
    setup()
elif MODE == "app":
    app("--sixth" in sys.argv)
elif MODE == "attach":
    with open(sys.argv[3]) as f:
        client("iam").put_role_policy(RoleName="app", PolicyName="generated", PolicyDocument=f.read())
else:
    sys.exit(f"unknown mode {MODE}")
