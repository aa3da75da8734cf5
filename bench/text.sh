#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# PDF → text: Quire's sync /pdf/convert/to/text through the API (upload excluded, download
# included in the answer's timing only as the answer itself) beside `mutool convert -F text`
# and `pdftotext -layout` on the same file, in the same run. Prints medians and ratios.
#   bench/text.sh [PAGES] [RUNS]      (needs a release build: make release)
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-100}
runs=${2:-20}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

python3 bench/make_text_pdf.py "$work/in.pdf" "$pages"
./.build/release/quire serve --port 0 --data "$work/data" >"$work/log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/log")
  [ -n "$port" ] && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done

python3 - "$work" "$port" "$runs" <<'PY'
import json, statistics, subprocess, sys, time, urllib.request
work, port, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
pdf = f"{work}/in.pdf"

def http(method, url, data=None, headers={}):
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req) as r:
        return r.read()

presign = json.loads(http("GET", f"{base}/file/upload/get-presigned-url?name=in.pdf"))
http("PUT", presign["presignedUrl"], open(pdf, "rb").read())
url = presign["url"]

def quire():
    answer = json.loads(http("POST", f"{base}/pdf/convert/to/text", json.dumps({"url": url}).encode(), {"Content-Type": "application/json"}))
    assert answer["error"] is False, answer

def command(args):
    return lambda: subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

cases = [
    ("quire /pdf/convert/to/text (sync, API)", quire),
    ("mutool convert -F text", command(["mutool", "convert", "-F", "text", "-o", f"{work}/m.txt", pdf])),
    ("pdftotext -layout", command(["pdftotext", "-layout", pdf, f"{work}/p.txt"])),
]
results = {}
for name, run in cases:
    run(); run()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter(); run(); times.append((time.perf_counter() - start) * 1000)
    results[name] = (min(times), statistics.median(times))
reference = results["mutool convert -F text"][1]
print(f"| tool | min ms | median ms | median vs mutool |")
print(f"|---|---|---|---|")
for name, (low, mid) in results.items():
    print(f"| {name} | {low:.1f} | {mid:.1f} | {mid / reference:.2f}x |")
PY
