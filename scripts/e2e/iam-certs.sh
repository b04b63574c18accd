#!/usr/bin/env bash
# End to end: certificates and keys through the AWS CLI against
# 'iamq serve --dev' — a server certificate made with openssl (body, chain,
# key), its refusals, rename and tags; SSH public keys made with ssh-keygen;
# signing certificates; service-specific credentials; all of it still there
# after a restart, and a user's DeleteUser refused while any remain.
. "$(dirname "$0")/lib.bash" certs
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

echo "== material made with openssl and ssh-keygen"
m=$work/material
mkdir -p "$m"
(
	cd "$m"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=e2e CA" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
	openssl req -newkey rsa:2048 -nodes -keyout www.key -out www.csr -subj "/CN=www.example.com"
	openssl x509 -req -in www.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out www.pem -days 10
	openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 10 -subj "/CN=other"
	ssh-keygen -q -t rsa -b 2048 -N '' -C dev@example -f id_rsa
	ssh-keygen -e -f id_rsa.pub >id_rsa.ssh2
	ssh-keygen -q -t rsa -b 1024 -N '' -f short
) >/dev/null 2>&1 || fail "openssl or ssh-keygen"

start "$work/run" --dev
use_aws_batch

echo "== server certificate"
arn=$(q ServerCertificateMetadata.Arn upload-server-certificate --server-certificate-name www --path /cloudfront/ \
	--certificate-body "file://$m/www.pem" --certificate-chain "file://$m/ca.pem" --private-key "file://$m/www.key" \
	--tags Key=env,Value=prod)
[[ $arn == arn:aws:iam::*:server-certificate/cloudfront/www ]] || fail "arn $arn"
exp=$(q ServerCertificate.ServerCertificateMetadata.Expiration get-server-certificate --server-certificate-name www)
want=$(date -u -d "$(openssl x509 -in "$m/www.pem" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%S)
[[ $exp == "$want"* ]] || fail "expiration $exp, want $want"
got=$(a get-server-certificate --server-certificate-name www)
[[ $got == *"BEGIN CERTIFICATE"* && $got != *"PRIVATE KEY"* ]] || fail "get-server-certificate: $got"
refused KeyPairMismatch upload-server-certificate --server-certificate-name bad \
	--certificate-body "file://$m/www.pem" --private-key "file://$m/other.key"
refused MalformedCertificate upload-server-certificate --server-certificate-name bad \
	--certificate-body "file://$m/id_rsa.pub" --private-key "file://$m/www.key"
refused MalformedCertificate upload-server-certificate --server-certificate-name bad \
	--certificate-body "file://$m/www.pem" --certificate-chain "file://$m/other.pem" --private-key "file://$m/www.key"
refused EntityAlreadyExists upload-server-certificate --server-certificate-name www \
	--certificate-body "file://$m/www.pem" --private-key "file://$m/www.key"
a update-server-certificate --server-certificate-name www --new-server-certificate-name site --new-path /web/ >/dev/null
a tag-server-certificate --server-certificate-name site --tags Key=team,Value=web >/dev/null
[ "$(q 'length(Tags)' list-server-certificate-tags --server-certificate-name site)" = 2 ] || fail "tags"
[ "$(q 'ServerCertificateMetadataList[0].Path' list-server-certificates --path-prefix /web/)" = /web/ ] || fail "list by path"
[ "$(q SummaryMap.ServerCertificates get-account-summary)" = 1 ] || fail "summary"

echo "== SSH public keys"
a create-user --user-name dev >/dev/null
kid=$(q SSHPublicKey.SSHPublicKeyId upload-ssh-public-key --user-name dev --ssh-public-key-body "file://$m/id_rsa.pub")
fp=$(q SSHPublicKey.Fingerprint get-ssh-public-key --user-name dev --ssh-public-key-id "$kid" --encoding SSH)
want=$(ssh-keygen -l -E md5 -f "$m/id_rsa.pub" | awk '{print $2}')
[ "MD5:$fp" = "$want" ] || fail "fingerprint $fp, ssh-keygen says $want"
pemkey=$(q SSHPublicKey.SSHPublicKeyBody get-ssh-public-key --user-name dev --ssh-public-key-id "$kid" --encoding PEM)
[[ $pemkey == "-----BEGIN PUBLIC KEY-----"* ]] || fail "PEM encoding: $pemkey"
refused DuplicateSSHPublicKey upload-ssh-public-key --user-name dev --ssh-public-key-body "file://$m/id_rsa.ssh2"
refused InvalidPublicKey upload-ssh-public-key --user-name dev --ssh-public-key-body "file://$m/short.pub"
a update-ssh-public-key --user-name dev --ssh-public-key-id "$kid" --status Inactive >/dev/null

echo "== signing certificates and service-specific credentials"
cid=$(q Certificate.CertificateId upload-signing-certificate --user-name dev --certificate-body "file://$m/other.pem")
refused DuplicateCertificate upload-signing-certificate --certificate-body "file://$m/other.pem"
pw=$(q ServiceSpecificCredential.ServicePassword create-service-specific-credential --user-name dev --service-name codecommit.amazonaws.com)
[ ${#pw} = 44 ] || fail "password $pw"
refused NotSupportedService create-service-specific-credential --user-name dev --service-name s3.amazonaws.com
sid=$(q 'ServiceSpecificCredentials[0].ServiceSpecificCredentialId' list-service-specific-credentials --user-name dev)
pw2=$(q ServiceSpecificCredential.ServicePassword reset-service-specific-credential --user-name dev --service-specific-credential-id "$sid")
[ ${#pw2} = 44 ] && [ "$pw2" != "$pw" ] || fail "reset password"
listed=$(a list-service-specific-credentials --user-name dev)
[[ $listed != *"$pw2"* ]] || fail "a list shows the password"

echo "== after a restart"
exec 7>&- 8<&-
wait "$clipid" 2>/dev/null || true
clipid=
rm -f "$work/cli.in" "$work/cli.out"
stop
start "$work/run" --dev
use_aws_batch
[ "$(q 'SSHPublicKeys[0].Status' list-ssh-public-keys --user-name dev)" = Inactive ] || fail "SSH key after restart"
[ "$(q 'Certificates[0].CertificateId' list-signing-certificates --user-name dev)" = "$cid" ] || fail "certificate after restart"
[ "$(q ServerCertificate.ServerCertificateMetadata.ServerCertificateName get-server-certificate --server-certificate-name site)" = site ] || fail "server certificate after restart"
db=$work/run/iamq-data/iamq.db
[ -s "$db" ] || fail "no database file at $db"
# Not in the store, nor in the decision log's record of the upload (the
# private key is HIDDEN_DUE_TO_SECURITY_REASONS there).
keyline=$(sed -n 2p "$m/www.key")
if grep -qF "$keyline" "$db" "$db-wal" 2>/dev/null; then fail "a private key is stored in clear"; fi

echo "== DeleteUser waits for every credential"
refused DeleteConflict delete-user --user-name dev
a delete-ssh-public-key --user-name dev --ssh-public-key-id "$kid" >/dev/null
refused DeleteConflict delete-user --user-name dev
a delete-signing-certificate --user-name dev --certificate-id "$cid" >/dev/null
refused DeleteConflict delete-user --user-name dev
a delete-service-specific-credential --user-name dev --service-specific-credential-id "$sid" >/dev/null
a delete-user --user-name dev >/dev/null
a delete-server-certificate --server-certificate-name site >/dev/null
refused NoSuchEntity get-server-certificate --server-certificate-name site
echo "OK"
