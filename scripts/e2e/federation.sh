#!/usr/bin/env bash
# End to end: OIDC federation through the AWS CLI against 'iamq serve --dev'.
# The script makes its own identity provider: a P-256 key, its JWKS given to
# iamq with --oidc-jwks (no network: the issuer's name is not even
# resolvable), and ID tokens signed with that key (mint_jwt.py). It creates
# the OIDC provider and a role trusting it for one subject, then
# 'aws sts assume-role-with-web-identity' (unsigned, as in AWS) with a good
# token, a wrong subject, an expired token and a wrong audience. Then a SAML
# provider from a metadata document with the script's own certificate, and
# 'aws sts assume-role-with-saml' with assertions it signs (saml_sign.py);
# 'get-federation-token' for a user.
. "$(dirname "$0")/lib.bash" federation
# The keys, tokens and assertions are made with Python's cryptography
# package (installed with moto and boto3's test tools on this machine).
python3 -c 'import cryptography' 2>/dev/null || fail "python3 has no cryptography package: pip install cryptography"
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

echo "== get-federation-token"
a create-user --user-name fed-admin >/dev/null
a put-user-policy --user-name fed-admin --policy-name p --policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"}]}'
read -r ukey usecret < <(aws --endpoint-url "$endpoint" --output text --query 'AccessKey.[AccessKeyId,SecretAccessKey]' iam create-access-key --user-name fed-admin)
fed=$(AWS_ACCESS_KEY_ID=$ukey AWS_SECRET_ACCESS_KEY=$usecret aws --endpoint-url "$endpoint" --output text --query FederatedUser.Arn \
	sts get-federation-token --name bob --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}')
case $fed in arn:aws:sts::*:federated-user/bob) ;; *) fail "federated user $fed" ;; esac
acct=$(AWS_ACCESS_KEY_ID=$ukey AWS_SECRET_ACCESS_KEY=$usecret aws --endpoint-url "$endpoint" --output text --query Account sts get-access-key-info --access-key-id "$ukey" 2>&1) \
	&& fail "get-access-key-info without sts:GetAccessKeyInfo gave $acct"
echo "$acct" | grep -q "(AccessDenied)" || fail "get-access-key-info gave: $acct"
echo "  refused as expected: AccessDenied (get-access-key-info)"

echo "== a SAML provider and assume-role-with-saml"
entity=https://idp.iamq-e2e.invalid/saml
python3 "$here/saml_sign.py" keys "$work" "$entity"
saml=$(aws --endpoint-url "$endpoint" --output text --query SAMLProviderArn iam create-saml-provider --name corp \
	--saml-metadata-document "file://$work/metadata.xml")
strust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"'$saml'"},"Action":"sts:AssumeRoleWithSAML",
 "Condition":{"StringEquals":{"saml:aud":"https://signin.aws.amazon.com/saml","saml:sub":"alice@corp"}}}]}'
srole=$(q Role.Arn create-role --role-name sso --assume-role-policy-document "$strust")
sassert() { python3 "$here/saml_sign.py" assertion "$work" "$entity" "$srole" "$saml" "$1" alice "$2" >"$work/assertion"; }
sassume() { aws --endpoint-url "$endpoint" --output text --query AssumedRoleUser.Arn sts assume-role-with-saml --role-arn "$srole" \
	--principal-arn "$saml" --saml-assertion "file://$work/assertion"; }
sassert alice@corp 300
suser=$(sassume) || fail "assume-role-with-saml"
case $suser in arn:aws:sts::*:assumed-role/sso/alice) ;; *) fail "SAML session $suser" ;; esac
sassert mallory@corp 300
out=$(sassume 2>&1) && fail "assume-role-with-saml for another subject succeeded"
echo "$out" | grep -q "(AccessDenied)" || fail "wrong subject gave: $out"
echo "  refused as expected: AccessDenied (SAML subject)"
sassert alice@corp -60
out=$(sassume 2>&1) && fail "assume-role-with-saml with an expired assertion succeeded"
echo "$out" | grep -q "(ExpiredTokenException)" || fail "expired assertion gave: $out"
echo "  refused as expected: ExpiredTokenException (SAML)"

echo "== delete"
a delete-open-id-connect-provider --open-id-connect-provider-arn "$arn"
web_refused InvalidIdentityToken --web-identity-token "$(mint repo:acme/app:ref:refs/heads/main 600)"
echo "OK"
