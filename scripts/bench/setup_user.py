"""Create an IAM user allowed iam:GetUser, with an access key, for a benchmark.

Usage: setup_user.py ENDPOINT KEY_ID SECRET USER

Uses boto3 with the given administrator key (iamq's root key, or anything for
moto) and prints the new key's id and secret on one line.
"""
import json
import sys

import boto3


def main():
    endpoint, key_id, secret, user = sys.argv[1:5]
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id=key_id, aws_secret_access_key=secret)
    iam.create_user(UserName=user)
    doc = {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}]}
    iam.put_user_policy(UserName=user, PolicyName="get-user", PolicyDocument=json.dumps(doc))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    print(key["AccessKeyId"], key["SecretAccessKey"])


if __name__ == "__main__":
    main()
