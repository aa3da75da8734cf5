#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# `make test`: install what the tests need, run every Swift test (unit, layer and system tests
# against the real `quire` binary), then the reference clients against a real server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh --test
python3 -c "import requests" 2>/dev/null || python3 -m pip install --quiet requests

bash scripts/format.sh --check
swift build --build-tests
# Swift Testing runs tests in parallel; system tests start their own servers on random ports.
swift test --skip-build 2>&1 | tee .build/swift-test.log
grep -qE "Test run with [0-9]+ tests? .*passed|Test run with [0-9]+ tests? in [0-9]+ suites? passed" .build/swift-test.log

# Reference clients: the user's own programs, unchanged, against a fresh server.
data=$(mktemp -d)
log=$(mktemp)
./.build/debug/quire serve --port 0 --data "$data" --allow-private-urls >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$log")
  [ -n "$port" ] && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
[ -n "${port:-}" ] || { cat "$log"; echo "server did not start"; exit 1; }

# Every reference client must pass.
python3 ../shared/reference-clients/run.py --base-url "http://127.0.0.1:$port" | tee .build/reference-clients.log || true
for client in ConvertPdfToTextFromUploadedFileAsynchronously ConvertPdfToImageFromUploadedFileAsynchronously \
              ConvertDocToPdfFromUrlAsynchronously ConvertImagesToPdfFromUrlsAsynchronously OptimizePdfFromUrlAsynchronously; do
  grep -q "^PASS $client.py" .build/reference-clients.log || { echo "reference client $client failed"; exit 1; }
done
# One closing line over everything checked: Swift tests plus the five reference clients.
swift_tests=$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*passed.*/\1/p' .build/swift-test.log | tail -1)
echo "make test: $((swift_tests + 5)) passed, 0 failed"
