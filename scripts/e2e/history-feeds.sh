#!/usr/bin/env bash
# End to end: the change history's feeds, read by a real feed parser
# (Debian's python3-feedparser, which scripts/test.sh installs): every entry
# of the JSON history present in each feed, in order, with the right dates;
# item ids the same after a restart; 304 on a repeated conditional GET; and
# 'iamq history mq' printing the same history.
. "$(dirname "$0")/lib.bash" history-feeds
# Debian's package is for Debian's Python, whatever python3 comes first on PATH.
feedpy=${IAMQ_FEEDPARSER_PYTHON:-/usr/bin/python3}
"$feedpy" -c 'import feedparser' 2>/dev/null || fail "python3-feedparser is not installed for $feedpy (apt-get install python3-feedparser)"

# wait_history: the history is stored in the background after start.
wait_history() {
	for _ in $(seq 1 600); do
		n=$(curl -sf "$endpoint/managed-policies/history?service=mq" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))' 2>/dev/null || echo 0)
		[ "$n" = 12 ] && return 0
		sleep 0.2
	done
	fail "the mq history never reached 12 entries (last: $n)"
}

start "$work/run" --data-dir "$work/data"
wait_history
check_feeds() {
	"$feedpy" - "$endpoint" "$work/ids.$1" <<'PY'
import json, sys, time, urllib.parse, urllib.request, feedparser
endpoint, ids_file = sys.argv[1], sys.argv[2]
def get(path, headers=None):
    req = urllib.request.Request(endpoint + path, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
want = []
for q in ("service=mq", "policy=ReadOnlyAccess&maxItems=1000"):
    status, _, body = get("/managed-policies/history?" + q)
    assert status == 200, (q, status)
    want.append(json.loads(body)["entries"])
ids = []
for path, entries in (("/managed-policies/services/mq/feed", want[0]), ("/managed-policies/policies/ReadOnlyAccess/feed", want[1])):
    for fmt in ("rss", "atom", "json"):
        status, headers, body = get(path + "." + fmt)
        assert status == 200, (path, fmt, status)
        if fmt == "json":
            items = json.loads(body)["items"]
            got = [(i["id"], i.get("date_published")) for i in items]
        else:
            d = feedparser.parse(body)
            assert not d.bozo, (path, fmt, d.bozo_exception)
            got = [(e.id, e.get("published_parsed") or (e.get("updated_parsed") if fmt == "rss" else None)) for e in d.entries]
        assert len(got) == len(entries), (path, fmt, len(got), len(entries))
        for (gid, gdate), e in zip(got, entries):
            assert gid.endswith(urllib.parse.quote(e["id"], safe=":@!$&'()*+,;=")), (fmt, gid, e["id"])
            if e.get("date"):
                day = e["date"][:10]
                if fmt == "json":
                    assert gdate[:10] == day, (fmt, e["id"], gdate, day)
                elif fmt == "rss":
                    assert time.strftime("%Y-%m-%d", gdate) == day, (fmt, e["id"], gdate, day)
            else:  # an unknown date is never given as a date
                assert fmt == "atom" or not gdate, (fmt, e["id"], gdate)
        ids += [g for g, _ in got]
        # A repeated conditional GET is answered 304, by ETag and by date.
        for cond in ({"If-None-Match": headers["ETag"]}, {"If-Modified-Since": headers["Last-Modified"]}):
            status, _, body = get(path + "." + fmt, cond)
            assert status == 304 and body == b"", (path, fmt, cond, status)
mq = [e for e in want[0] if e["id"] == "service/mq#started-tracking"]
assert mq and mq[0]["date"].startswith("2021-05-05"), mq
open(ids_file, "w").write("\n".join(ids))
print("feeds ok:", len(ids), "items checked")
PY
}
check_feeds 1 || fail "the feeds"
"$work/iamq" history --data-dir "$work/data" mq >"$work/cli.txt" || fail "iamq history mq"
grep -q "2021-05-05 .*Started tracking changes" "$work/cli.txt" || fail "iamq history mq: $(cat "$work/cli.txt")"
[ "$(grep -c AmazonMQ "$work/cli.txt")" = 11 ] || fail "iamq history mq shows $(grep -c AmazonMQ "$work/cli.txt") policy versions, want 11"
"$work/iamq" history --data-dir "$work/data" --policy ReadOnlyAccess --max 200 >"$work/ro.txt" || fail "iamq history --policy"
grep -q "^date unknown (between .*v187 " "$work/ro.txt" ||
	fail "iamq history --policy ReadOnlyAccess shows no unknown date for v187"
stop
# The same ids after a restart.
start "$work/run" --data-dir "$work/data"
wait_history
check_feeds 2 || fail "the feeds after a restart"
cmp -s "$work/ids.1" "$work/ids.2" || fail "feed item ids changed across a restart"
echo "history feeds: ok"
