"""What carrying the AWS managed policies costs 'iamq serve' (issue 10).

    go build -o /tmp/iamq ./cmd/iamq && python3 scripts/bench/managed_footprint.py /tmp/iamq [RUNS]

For each run, in a fresh data directory: the time from exec to the first
answer of GET /healthz; then, through boto3, every page of ListPolicies
Scope=AWS and GetPolicyVersion of every ReadOnlyAccess version
ListPolicyVersions lists; then the server's resident memory (VmRSS and VmHWM
in /proc/PID/status). Targets: ready <= 1 s, resident memory <= 150 MB.
Prints one line per run and the worst figures; exits 1 when over a target.
Not part of scripts/test.sh (it measures; it does not test behaviour).
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
from botocore.config import Config

READY_TARGET_S = 1.0
RSS_TARGET_MB = 150.0
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mb(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out["VmRSS"], out["VmHWM"]


def wait_ready(url, proc, start):
    while True:
        if proc.poll() is not None:
            sys.exit(f"iamq serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter() - start
        except OSError:
            pass
        if time.perf_counter() - start > 30:
            sys.exit("iamq serve not ready after 30 s")
        time.sleep(0.002)


def exercise(endpoint):
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="123456789012", aws_secret_access_key="x",
                       config=Config(retries={"max_attempts": 1}))
    policies = 0
    for page in iam.get_paginator("list_policies").paginate(Scope="AWS"):
        policies += len(page["Policies"])
    versions = iam.list_policy_versions(PolicyArn=READ_ONLY, MaxItems=1000)["Versions"]
    chars = 0
    for v in versions:
        pv = iam.get_policy_version(PolicyArn=READ_ONLY, VersionId=v["VersionId"])["PolicyVersion"]
        chars += len(pv["Document"]) if isinstance(pv["Document"], str) else len(str(pv["Document"]))
    return policies, len(versions), chars


def run(binary):
    work = tempfile.mkdtemp(prefix="iamq-footprint.")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "serve", "--dev", "--addr", f"127.0.0.1:{port}", "--data-dir", work],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = wait_ready(endpoint + "/healthz", proc, start)
        idle_rss, _ = memory_mb(proc.pid)
        policies, versions, chars = exercise(endpoint)
        rss, hwm = memory_mb(proc.pid)
        return ready, idle_rss, rss, hwm, policies, versions, chars
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    worst_ready = worst_rss = worst_hwm = 0.0
    for i in range(runs):
        ready, idle, rss, hwm, policies, versions, chars = run(binary)
        print(f"run {i + 1}: ready {ready * 1000:.0f} ms; RSS idle {idle:.1f} MB, after {policies} policies and "
              f"{versions} ReadOnlyAccess versions ({chars / 1e6:.1f} M document characters) {rss:.1f} MB, peak {hwm:.1f} MB")
        worst_ready, worst_rss, worst_hwm = max(worst_ready, ready), max(worst_rss, rss), max(worst_hwm, hwm)
    print(f"worst of {runs}: ready {worst_ready * 1000:.0f} ms (target {READY_TARGET_S * 1000:.0f}), "
          f"RSS {worst_rss:.1f} MB, peak {worst_hwm:.1f} MB (target {RSS_TARGET_MB:.0f})")
    if worst_ready > READY_TARGET_S or worst_rss > RSS_TARGET_MB:
        sys.exit(1)


if __name__ == "__main__":
    main()
