"""Runs AWS CLI command lines in one process, through the AWS CLI's own driver.

An end-to-end script that makes a hundred `aws` calls pays Python's start-up
(about a second on a loaded machine) a hundred times; this pays it once. The
command lines are parsed, serialized, sent, decoded and printed by the same
awscli code as `aws ...`; only the process is shared.

Protocol, one request per line on stdin: the arguments, each base64-encoded,
each followed by one space. One reply per request on stdout, three lines: the
exit status, then the command's stdout and stderr, base64-encoded.
"""
import base64
import contextlib
import io
import sys

from awscli.clidriver import create_clidriver


def run(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = create_clidriver().main(args)
        except SystemExit as e:  # argument errors exit, as the aws command does
            rc = e.code if isinstance(e.code, int) else 1
    return rc, out.getvalue(), err.getvalue()


def main():
    reply = sys.stdout
    for line in sys.stdin:
        args = [base64.b64decode(a).decode() for a in line.rstrip("\n").split(" ")[:-1]]
        rc, out, err = run(args)
        for part in (str(rc), base64.b64encode(out.encode()).decode(), base64.b64encode(err.encode()).decode()):
            reply.write(part + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
