#!/usr/bin/env bash
# End to end: console passwords and MFA through the AWS CLI (v1) against
# 'iamq serve --dev' — a password policy that refuses a weak password with
# AWS's message, a login profile, a virtual MFA device written by
# create-virtual-mfa-device --outfile (the QR code PNG and the Base32 seed),
# enabled with two consecutive TOTP codes (computed by totp.py, as a phone
# would), GetSessionToken with the device, and IAM calls that only an MFA
# session may make.
. "$(dirname "$0")/lib.bash" creds
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
start "$work/run" --dev
use_aws_batch
acct=123456789012

# as KEY SECRET TOKEN ARGS…: an aws command with other credentials (its own
# process: the batch process keeps the root's).
as() {
	local id=$1 secret=$2 token=$3
	shift 3
	AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token \
		command aws --endpoint-url "$endpoint" --output json "$@"
}

echo "== password policy and login profile"
a create-user --user-name ann >/dev/null
a update-account-password-policy --minimum-password-length 12 --require-symbols --require-numbers \
	--require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 3 >/dev/null
[ "$(q PasswordPolicy.MinimumPasswordLength get-account-password-policy)" = 12 ] || fail get-account-password-policy
if out=$(a create-login-profile --user-name ann --password 'weak' 2>&1); then fail "a weak password was accepted"; fi
case $out in
*"(PasswordPolicyViolation)"*"Password does not conform to the account password policy."*) ;;
*) fail "create-login-profile (weak): $out" ;;
esac
[ "$(q LoginProfile.UserName create-login-profile --user-name ann --password 'Str0ng-Enough!' --password-reset-required)" = ann ] ||
	fail create-login-profile
[ "$(q LoginProfile.PasswordResetRequired get-login-profile --user-name ann)" = true ] || fail get-login-profile
refused DeleteConflict delete-user --user-name ann

echo "== virtual MFA device"
a create-virtual-mfa-device --virtual-mfa-device-name ann-qr --outfile "$work/qr.png" --bootstrap-method QRCodePNG >/dev/null
magic=$(head -c 4 "$work/qr.png" | od -An -c | tr -d ' ')
[ "$magic" = '211PNG' ] || fail "the QR code file is not a PNG: $magic"
serial=$(q VirtualMFADevice.SerialNumber create-virtual-mfa-device --virtual-mfa-device-name ann \
	--outfile "$work/seed.txt" --bootstrap-method Base32StringSeed)
[ "$serial" = "arn:aws:iam::$acct:mfa/ann" ] || fail "serial number $serial"
seed=$(cat "$work/seed.txt")
[ "${#seed}" = 64 ] || fail "the Base32 seed has ${#seed} characters"
refused InvalidAuthenticationCode enable-mfa-device --user-name ann --serial-number "$serial" \
	--authentication-code1 000000 --authentication-code2 000000
a enable-mfa-device --user-name ann --serial-number "$serial" \
	--authentication-code1 "$(python3 "$here/totp.py" "$work/seed.txt" -30)" \
	--authentication-code2 "$(python3 "$here/totp.py" "$work/seed.txt" 0)" >/dev/null
[ "$(q 'MFADevices[0].SerialNumber' list-mfa-devices --user-name ann)" = "$serial" ] || fail list-mfa-devices
[ "$(q 'length(VirtualMFADevices)' list-virtual-mfa-devices --assignment-status Unassigned)" = 1 ] ||
	fail "list-virtual-mfa-devices --assignment-status Unassigned"
[ "$(q 'SummaryMap.MFADevicesInUse' get-account-summary)" = 1 ] || fail "get-account-summary MFADevicesInUse"

echo "== GetSessionToken with MFA"
a put-user-policy --user-name ann --policy-name mfa-only --policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}'
key=$(a create-access-key --user-name ann)
kid=$(echo "$key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKey"]["AccessKeyId"])')
ksecret=$(echo "$key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKey"]["SecretAccessKey"])')
if out=$(as "$kid" "$ksecret" "" iam list-users 2>&1); then fail "ann listed users without MFA"; fi
plain=$(as "$kid" "$ksecret" "" sts get-session-token --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r pid_ psecret ptoken <<<"$plain"
if out=$(as "$pid_" "$psecret" "$ptoken" iam list-users 2>&1); then fail "a session without MFA called IAM"; fi
case $out in *"(InvalidClientTokenId)"*) ;; *) fail "IAM with a session without MFA: $out" ;; esac
if out=$(as "$kid" "$ksecret" "" sts get-session-token --serial-number "$serial" --token-code 000000 2>&1); then
	fail "get-session-token accepted a wrong code"
fi
case $out in *"(AccessDenied)"*"MultiFactorAuthentication failed"*) ;; *) fail "wrong code: $out" ;; esac
creds=$(as "$kid" "$ksecret" "" sts get-session-token --serial-number "$serial" \
	--token-code "$(python3 "$here/totp.py" "$work/seed.txt" 30)" \
	--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r sid ssecret stoken <<<"$creds"
users=$(as "$sid" "$ssecret" "$stoken" iam list-users --query 'length(Users)')
[ "$users" = 1 ] || fail "list-users with the MFA session: $users"

echo "== clean up"
a deactivate-mfa-device --user-name ann --serial-number "$serial" >/dev/null
a delete-virtual-mfa-device --serial-number "$serial" >/dev/null
a delete-virtual-mfa-device --serial-number "arn:aws:iam::$acct:mfa/ann-qr" >/dev/null
a delete-login-profile --user-name ann >/dev/null
a delete-access-key --user-name ann --access-key-id "$kid" >/dev/null
a delete-user-policy --user-name ann --policy-name mfa-only >/dev/null
a delete-user --user-name ann >/dev/null
a delete-account-password-policy >/dev/null
refused NoSuchEntity get-account-password-policy
stop
echo "OK"
