#!/usr/bin/env bash
# End to end: OIDC federation through the AWS CLI against 'iamq serve --dev'.
# The script makes its own identity provider: a P-256 key, its JWKS given to
# iamq with --oidc-jwks (no network: the issuer's name is not even
# resolvable), and ID tokens signed with that key (mint_jwt.py). It creates
# the OIDC provider and a role trusting it for one subject, then
# 'aws sts assume-role-with-web-identity' (unsigned, as in AWS) with a good
# token, a wrong subject, an expired token and a wrong audience.
. "$(dirname "$0")/lib.bash" federation
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

issuer=https://idp.iamq-e2e.invalid/ci
provider_name=idp.iamq-e2e.invalid/ci
python3 "$here/mint_jwt.py" keys "$work" "$provider_name"
start "$work/run" --dev --oidc-jwks "$work/jwks.json"

echo "== the OIDC provider"
arn=$(aws --endpoint-url "$endpoint" --output text --query OpenIDConnectProviderArn iam create-open-id-connect-provider \
	--url "$issuer" --client-id-list sts.amazonaws.com --thumbprint-list 0123456789abcdef0123456789abcdef01234567)
case $arn in arn:aws:iam::*:oidc-provider/$provider_name) ;; *) fail "provider ARN $arn" ;; esac
[ "$(q Url get-open-id-connect-provider --open-id-connect-provider-arn "$arn")" = "$provider_name" ] || fail "Url"
[ "$(q 'OpenIDConnectProviderList[0].Arn' list-open-id-connect-providers)" = "$arn" ] || fail "list"
refused EntityAlreadyExists create-open-id-connect-provider --url "$issuer" --client-id-list x
refused InvalidInput create-open-id-connect-provider --url http://plain.example.com

echo "== a role trusting it for one subject"
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"'$arn'"},"Action":"sts:AssumeRoleWithWebIdentity",
 "Condition":{"StringEquals":{"'$provider_name':sub":"repo:acme/app:ref:refs/heads/main","'$provider_name':aud":"sts.amazonaws.com"}}}]}'
role=$(q Role.Arn create-role --role-name deploy --assume-role-policy-document "$trust")

mint() { python3 "$here/mint_jwt.py" token "$work" "$issuer" "$1" "${3:-sts.amazonaws.com}" "$2"; }
web() { aws --endpoint-url "$endpoint" --output json sts assume-role-with-web-identity --role-arn "$role" --role-session-name ci-run "$@"; }
web_refused() {
	local code=$1 out
	shift
	if out=$(web "$@" 2>&1); then fail "assume-role-with-web-identity succeeded, want $code"; fi
	echo "$out" | grep -q "($code)" || fail "assume-role-with-web-identity gave: $out (want $code)"
	echo "  refused as expected: $code"
}

echo "== assume-role-with-web-identity"
out=$(web --web-identity-token "$(mint repo:acme/app:ref:refs/heads/main 600)")
user=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["AssumedRoleUser"]["Arn"])')
case $user in arn:aws:sts::*:assumed-role/deploy/ci-run) ;; *) fail "assumed role $user" ;; esac
read -r kid ksecret ktoken < <(echo "$out" | python3 -c 'import json,sys; c=json.load(sys.stdin)["Credentials"]; print(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])')
who=$(AWS_ACCESS_KEY_ID=$kid AWS_SECRET_ACCESS_KEY=$ksecret AWS_SESSION_TOKEN=$ktoken \
	aws --endpoint-url "$endpoint" --output text --query Arn sts get-caller-identity)
[ "$who" = "$user" ] || fail "get-caller-identity as the session: $who"

echo "== refusals"
web_refused AccessDenied --web-identity-token "$(mint repo:evil/app:ref:refs/heads/main 600)"
web_refused ExpiredTokenException --web-identity-token "$(mint repo:acme/app:ref:refs/heads/main -60)"
web_refused InvalidIdentityToken --web-identity-token "$(mint repo:acme/app:ref:refs/heads/main 600 someone-else)"

echo "== delete"
a delete-open-id-connect-provider --open-id-connect-provider-arn "$arn"
web_refused InvalidIdentityToken --web-identity-token "$(mint repo:acme/app:ref:refs/heads/main 600)"
echo "OK"
