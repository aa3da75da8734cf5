#!/usr/bin/env bash
# The API contract against the live server: /openapi.json validated by openapi-spec-validator,
# then schemathesis sends generated requests (valid and invalid) to every operation for a
# bounded time. Fails on any 5xx, any answer that breaks the document's schemas, or a server
# that stops answering /healthz. Prints the server's RSS before and after. A job stops at 40 s (a
# 445 answer), inside schemathesis's 60 s request timeout.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${CONTRACT_SECONDS:-120}
scratch=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
key="contract-$RANDOM$RANDOM"
./.build/debug/quire serve --port "$port" --data "$scratch/data" --api-key "$key" --workers 2 --job-timeout 40 >"$scratch/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print int($2 / 1024) " MB"}' "/proc/$server/status"; }

curl -fs "$base/openapi.json" -o "$scratch/openapi.json"
python3 -m openapi_spec_validator "$scratch/openapi.json"
echo "contract: RSS before: $(rss)"

status=0
schemathesis run "$base/openapi.json" -H "x-api-key: $key" --seed 1 --workers 2 --max-time "$seconds" \
  --phases examples,coverage,fuzzing --max-examples 25 --request-timeout 60 \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --warnings off >"$scratch/schemathesis.log" 2>&1 || status=$?
grep -E "generated|passed|failed|Seed|operations" "$scratch/schemathesis.log" | tail -8
if [ "$status" -ne 0 ]; then
  tail -120 "$scratch/schemathesis.log"
  grep -E "\b(error|warning|critical)\b" "$scratch/server.log" | tail -20 || true
  echo "contract: schemathesis found failures (exit $status)"
  exit 1
fi
curl -fs "$base/healthz" >/dev/null || { tail -50 "$scratch/server.log"; echo "contract: /healthz stopped answering"; exit 1; }
echo "contract: RSS after: $(rss); /healthz 200"
