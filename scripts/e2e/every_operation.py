"""Every operation of the botocore IAM and STS models against iamq.

python3 every_operation.py ENDPOINT

Credentials come from the environment (the root of iamq's --dev account).
Each operation of the models installed on this machine is called once with
minimal parameters generated from its input shape (parameter validation off,
so that the server, not botocore, judges them). Each must answer success, an
error its operation lists in the model, or one of the COMMON errors below. No
operation may answer InvalidAction or NotImplemented. Run by
scripts/e2e/every-operation.sh.
"""
import datetime
import json
import sys

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

# Errors every operation may answer, with why (IAM API Reference and STS API
# Reference, "Common Errors"; the brief names NoSuchEntity and
# InvalidInput too).
COMMON = {
    "AccessDenied": "the common AccessDenied: iamq's answer where a standalone account "
                    "is refused a feature of organizations, partners or issuers (docs/iam-operations.md)",
    "ValidationError": "common: generated values may break a constraint the server checks",
    "InvalidParameterValue": "common: an invalid or out-of-range parameter (STS)",
    "MissingParameter": "common: a required parameter the generator could not know of",
    "NoSuchEntity": "IAM's answer for a generated name that names nothing",
    "InvalidInput": "IAM's answer for a generated value that is well formed but unusable",
    "MalformedPolicyDocument": "IAM's answer for a generated policy document it refuses",
}
NEVER = {"InvalidAction", "ServiceFailure", "InternalFailure"}

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "mq:DescribeBroker", "Resource": "*"}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def value(name, shape, depth=0):
    """A minimal value of shape: its required members, lengths at their minimum."""
    t = shape.type_name
    if t == "structure":
        return {m: value(m, shape.members[m], depth + 1) for m in shape.required_members}
    if t == "list":
        return [value(name, shape.member, depth + 1)]
    if t == "map":
        return {"Example/Key": value(name, shape.value, depth + 1)}
    if t in ("integer", "long"):
        return max(shape.metadata.get("min", 1), 1)
    if t == "boolean":
        return False
    if t == "timestamp":
        return datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    if t == "blob":
        return b"iamq-every-operation"
    return string(name, shape)


def string(name, shape):
    if shape.enum:
        return shape.enum[0]
    lo = shape.metadata.get("min", 1)
    low = name.lower()
    if "policydocument" in low:
        return TRUST if "assumerole" in low else POLICY
    if low.endswith("arn") or low == "principalarn" or low.endswith("arns"):
        v = "arn:aws:iam::123456789012:role/every-operation"
    elif "url" in low:
        v = "https://example.com"
    elif low in ("accountid", "owneraccountid", "targetprincipal"):
        v = "123456789012"
    else:
        v = "everyop"
    return v + "a" * max(0, lo - len(v))


def call(client, op_model):
    """Calls the operation; returns None on success, else the error code."""
    params = value(op_model.name, op_model.input_shape) if op_model.input_shape else {}
    python_names = {api: py for py, api in client.meta.method_to_api_mapping.items()}
    method = getattr(client, python_names[op_model.name])
    try:
        method(**params)
        return None
    except ClientError as e:
        return e.response["Error"]["Code"]


def main():
    endpoint = sys.argv[1]
    session = botocore.session.get_session()
    failures, counts = [], {}
    cfg = Config(retries={"max_attempts": 1}, parameter_validation=False)
    for svc in ("iam", "sts"):
        model = session.get_service_model(svc)
        client = boto3.client(svc, endpoint_url=endpoint, region_name="us-east-1", config=cfg)
        for name in model.operation_names:
            op = model.operation_model(name)
            listed = {e.metadata.get("error", {}).get("code", e.name) for e in op.error_shapes}
            code = call(client, op)
            outcome = code or "success"
            counts[outcome] = counts.get(outcome, 0) + 1
            if code is None or code in listed:
                continue
            if code in NEVER or code == "NotImplemented" or code not in COMMON:
                failures.append(f"{svc}:{name} answered {code}; the model lists {sorted(listed)}")
    print("outcomes:", json.dumps(counts, sort_keys=True))
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"every operation answered as its model allows ({sum(counts.values())} calls)")


if __name__ == "__main__":
    main()
