#!/usr/bin/env bash
# End to end: the decision log (issue 23). A boto3 "application" runs with a
# role that has no policy under 'iamq serve --dev --enforce=soft': its calls
# go through and are logged as would-have-been-denied. 'iamq policy generate'
# writes the role's policy from the log and proves it; the policy is
# attached; with enforcement on, the application passes again and a call it
# never made is denied. Access Analyzer's StartPolicyGeneration, through
# the aws CLI, writes the same policy. The log (store and stream) holds no
# secret.
. "$(dirname "$0")/lib.bash" audit
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1
data="$work/data"
app() { python3 "$here/audit_boto3.py" "$endpoint" "$@"; }
as_root() { AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test app "$@"; }

echo "== the application under --enforce=soft, with no policy"
start "$work/run" --dev --data-dir "$data" --enforce=soft --audit-stream "$work/audit.jsonl"
grep -q 'SOFT ENFORCEMENT IS ON' "$work/out" || fail "the banner does not say soft enforcement is on"
read -r key_id secret < <(as_root setup) || fail setup
export AWS_ACCESS_KEY_ID=$key_id AWS_SECRET_ACCESS_KEY=$secret
app app || fail "the application failed under --enforce=soft"
stop
denied=$("$work/iamq" log --data-dir "$data" --decision WouldDeny --principal arn:aws:iam::123456789012:role/app) || fail "iamq log"
echo "$denied"
[ "$(echo "$denied" | wc -l)" -ge 5 ] || fail "iamq log shows fewer than five would-have-been-denied calls"
if grep -qF "$secret" "$work/audit.jsonl"; then fail "the streamed log holds the runner's secret key"; fi
# Read whole before grep -q looks (a match quitting early would cut the
# pipe, and pipefail would then hide the failure).
logged=$("$work/iamq" log --data-dir "$data" --json --limit 10000)
if grep -qF "$secret" <<<"$logged"; then fail "the stored log holds the runner's secret key"; fi

echo "== iamq policy generate"
"$work/iamq" policy generate --data-dir "$data" --principal arn:aws:iam::123456789012:role/app >"$work/policy.json" 2>"$work/proof" ||
	fail "policy generate: $(cat "$work/proof")"
cat "$work/policy.json" "$work/proof"
grep -q '^proven: ' "$work/proof" || fail "no proof"

echo "== the application with the generated policy, enforced"
start "$work/run" --dev --data-dir "$data"
echo "== the same through Access Analyzer: aws accessanalyzer start-policy-generation"
aa() { AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test command aws --endpoint-url "$endpoint" --output json accessanalyzer "$@"; }
since=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
job=$(aa start-policy-generation --policy-generation-details principalArn=arn:aws:iam::123456789012:role/app \
	--cloud-trail-details "accessRole=arn:aws:iam::123456789012:role/trail,startTime=$since,trails=[{cloudTrailArn=arn:aws:cloudtrail:us-east-1:123456789012:trail/t,allRegions=true}]" \
	--query jobId --output text) || fail "start-policy-generation"
generated=$(aa get-generated-policy --job-id "$job") || fail "get-generated-policy"
python3 - "$work/policy.json" "$generated" <<'PY' || fail "get-generated-policy did not give the policy 'iamq policy generate' wrote"
import json, sys
want = json.load(open(sys.argv[1]))
out = json.loads(sys.argv[2])
assert out["jobDetails"]["status"] == "SUCCEEDED", out["jobDetails"]
props = out["generatedPolicyResult"]["properties"]
assert props["isComplete"] is True and props["principalArn"].endswith(":role/app"), props
got = json.loads(out["generatedPolicyResult"]["generatedPolicies"][0]["policy"])
assert got == want, (got, want)
print("get-generated-policy: SUCCEEDED, complete, the same policy as iamq policy generate")
PY
listed=$(aa list-policy-generations --principal-arn arn:aws:iam::123456789012:role/app --query 'policyGenerations[].jobId' --output text) ||
	fail "list-policy-generations"
[ "$listed" = "$job" ] || fail "list-policy-generations gave '$listed', want $job"
aa cancel-policy-generation --job-id "$job" || fail "cancel-policy-generation"
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test app attach "$work/policy.json" || fail attach
app app || fail "the application is denied with its generated policy"
set +e
app app --sixth
rc=$?
set -e
[ "$rc" = 3 ] || fail "a call the application never made was not denied (exit $rc)"
stop
echo "PASS audit"
