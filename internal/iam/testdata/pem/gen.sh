#!/usr/bin/env bash
# Regenerates this corpus (certificates valid for 100 years from today, so
# the tests do not age;
# the tests check expiry against a clock past NotAfter).
set -euo pipefail
cd "$(dirname "$0")"
days=36500
subj() { echo "/CN=$1/O=iamq test"; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days $days -subj "$(subj root)" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj "$(subj intermediate)" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' > ca.ext
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -out inter.pem -days $days -extfile ca.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf-rsa.key -out leaf.csr -subj "$(subj www.example.com)" 2>/dev/null
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -CAcreateserial -out leaf-rsa.pem -days $days 2>/dev/null
cat inter.pem root.pem > chain.pem
cat root.pem inter.pem > chain-reversed.pem
# PKCS #1 form of the leaf's key (openssl 3 writes PKCS #8 by default).
openssl rsa -in leaf-rsa.key -traditional -out leaf-rsa.pkcs1.key 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf-ec.key -out leaf-ec.pem -days $days -subj "$(subj ec.example.com)" 2>/dev/null
openssl ec -in leaf-ec.key -out leaf-ec.sec1.key 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-521 -nodes -keyout leaf-p521.key -out leaf-p521.pem -days $days -subj "$(subj p521.example.com)" 2>/dev/null
openssl req -x509 -newkey rsa:1024 -nodes -keyout other-rsa.key -out other-rsa.pem -days $days -subj "$(subj other)" 2>/dev/null
openssl rsa -in leaf-rsa.key -aes256 -passout pass:secret -traditional -out leaf-rsa.encrypted.key 2>/dev/null
cat leaf-rsa.pem leaf-ec.pem > two-certs.pem
printf 'not a certificate\n' > garbage.txt
sed '2s/^.\{8\}/AAAAAAAA/' leaf-rsa.pem > corrupt.pem
rm -f inter.csr leaf.csr ca.ext *.srl
