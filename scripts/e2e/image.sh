#!/usr/bin/env bash
# End to end: the image. Builds the static linux binary (CGO_ENABLED=0, as
# scripts/release.sh does), builds the Dockerfile FROM scratch around it with
# Debian's buildah (installed when missing; vfs storage and chroot isolation
# in a directory of its own, so no Docker engine, no registry, no network),
# then runs the image's own entrypoint and environment once, on a free port on
# 0.0.0.0, and asks it 'aws sts get-caller-identity'.
. "$(dirname "$0")/lib.bash" image
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_REGION AWS_PROFILE
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

if ! command -v buildah >/dev/null; then
	echo "installing buildah"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq buildah >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq buildah >/dev/null; }
fi

# The build context: the static binary, built as the release builds it.
mkdir -p "$work/ctx"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$work/ctx/iamq" ./cmd/iamq)
file "$work/ctx/iamq" 2>/dev/null | grep -q 'statically linked' || ! command -v file >/dev/null ||
	fail "the binary is not statically linked"

# buildah's storage lives in $work and goes with it; stop() below ends the
# container before lib.bash's cleanup removes the directory.
buildah=(buildah --storage-driver vfs --root "$work/storage" --runroot "$work/runroot")
b() { "${buildah[@]}" "$@"; }
b bud --isolation chroot --quiet -f "$root/Dockerfile" -t localhost/iamq:e2e "$work/ctx" >/dev/null ||
	fail "buildah bud"
config=$(b inspect --type image localhost/iamq:e2e) || fail "buildah inspect"
size=$(b images --format '{{.Size}}' localhost/iamq:e2e)
echo "image built: $size"

# Run what the image runs: its Entrypoint and Cmd, with its Env and WorkingDir
# (buildah run applies those two itself), plus the address and the root's key
# that a CI job would give. The container shares the host's network.
mapfile -t argv < <(echo "$config" | python3 -c '
import json, sys
c = json.load(sys.stdin)["OCIv1"]["config"]
for a in (c.get("Entrypoint") or []) + (c.get("Cmd") or []): print(a)')
[ "${argv[*]}" = "/iamq serve" ] || fail "the image runs '${argv[*]}', want '/iamq serve'"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
key_id=AKIAIMAGEE2E0000001X secret=imageE2eSecretAccessKey00000000000000000
ctr=$(b from --quiet localhost/iamq:e2e) || fail "buildah from"
"${buildah[@]}" run --isolation chroot \
	--env IAMQ_ADDR="0.0.0.0:$port" --env IAMQ_ACCOUNT_ID=424242424242 \
	--env IAMQ_ROOT_ACCESS_KEY_ID="$key_id" --env IAMQ_ROOT_SECRET_ACCESS_KEY="$secret" \
	"$ctr" -- "${argv[@]}" >"$work/out" 2>"$work/err" &
pid=$!
endpoint=http://127.0.0.1:$port
for _ in $(seq 1 100); do
	curl -fsS "$endpoint/healthz" >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || fail "the container exited"
	sleep 0.1
done
grep -q 'store: sqlite /data/iamq.db' "$work/out" || fail "the image does not keep its data in /data"

arn=$(AWS_ACCESS_KEY_ID=$key_id AWS_SECRET_ACCESS_KEY=$secret AWS_DEFAULT_REGION=us-east-1 \
	aws --endpoint-url "$endpoint" sts get-caller-identity --query Arn --output text) ||
	fail "sts get-caller-identity"
[ "$arn" = "arn:aws:iam::424242424242:root" ] || fail "caller identity is '$arn'"
echo "the image answers: $arn"

# SIGTERM to iamq itself must stop it cleanly, and the container with it.
# (buildah run's chroot runtime answers a signal of its own with SIGKILL to
# its child, so the signal goes to the process named iamq under it.)
descendants() { local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c"; descendants "$c"; done; }
iamq_pid=
for c in $(descendants "$pid"); do [ "$(cat /proc/"$c"/comm 2>/dev/null)" = iamq ] && iamq_pid=$c; done
[ -n "$iamq_pid" ] || fail "no iamq process under buildah run"
kill -TERM "$iamq_pid"
wait "$pid" || fail "the container exited with status $? on SIGTERM"
pid=
grep -q 'msg=stopped' "$work/err" || fail "no clean stop logged"
b rm "$ctr" >/dev/null
b rmi --all --force >/dev/null
echo "image.sh: ok"
