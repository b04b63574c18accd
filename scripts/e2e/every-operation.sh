#!/usr/bin/env bash
# End to end: every operation of the botocore IAM and STS models installed on
# this machine, called against 'iamq serve --dev' with generated minimal
# parameters, answers success or an error its model lists for it (or a
# documented common error) — never InvalidAction or NotImplemented.
. "$(dirname "$0")/lib.bash" every-operation
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
start "$work/run" --dev
out=$(python3 "$here/every_operation.py" "$endpoint") || { echo "$out"; fail "an operation answered outside its model"; }
echo "$out"
stop
echo "PASS every-operation"
