#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# `make test`: install what the tests need, run every Swift test (unit, layer and system tests
# against the real `quire` binary), then the reference clients against a real server.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each stage prints how long it took: CI has a time budget (README, "Tests").
stage_start=$SECONDS
stage() {
  echo "stage: $1 took $((SECONDS - stage_start)) s"
  stage_start=$SECONDS
}

bash scripts/bootstrap.sh --test
python3 -c "import requests" 2>/dev/null || python3 -m pip install --quiet requests
stage "install"

bash scripts/format.sh --check
swift build --build-tests
stage "build"
# Swift Testing runs tests in parallel; system tests start their own servers on random ports.
swift test --skip-build 2>&1 | tee .build/swift-test.log
grep -qE "Test run with [0-9]+ tests? .*passed|Test run with [0-9]+ tests? in [0-9]+ suites? passed" .build/swift-test.log
swift_tests=$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*passed.*/\1/p' .build/swift-test.log | tail -1)
stage "swift test"

# The multi-node test alone (PostgreSQL, S3, 2 API nodes, 3 workers, kill -9): too heavy to run
# beside the others. It prints throughput with 1 and 3 workers.
QUIRE_MULTINODE=1 swift test --skip-build --filter MultiNodeTests 2>&1 | tee .build/multinode.log
grep -qE "Test run with 1 test .*passed" .build/multinode.log
grep "multinode" .build/multinode.log | grep -v "Test\|Suite" || true
stage "multi-node test"

# libFuzzer with AddressSanitizer on the e-mail reader (GMime, libgsf, Quire's MAPI reading):
# a fixed seed and run count, so a run here is the run CI makes.
bash scripts/fuzz.sh
stage "fuzz (e-mail reader, CMuPDF documents and images, profiles parser)"

bash scripts/contract.sh
stage "contract (openapi-spec-validator, schemathesis)"

# Reference clients: the user's own programs, unchanged. They live beside the project (CI has
# ../shared), not in it: a plain clone skips them and relies on
# Tests/QuireSystemTests/ReferenceFlowsTests.swift, which drives the same five flows.
clients=../shared/reference-clients/run.py
if [ ! -f "$clients" ]; then
  echo "reference clients: $clients not found (a plain clone); skipped, ReferenceFlowsTests covers their flows"
  echo "make test: $swift_tests passed, 0 failed"
  exit 0
fi

servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "${scratch:-}"
}
trap cleanup EXIT
scratch=$(mktemp -d)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }

# Starts `quire serve` on $port with the given flags.
start_server() {
  local name=$1
  shift
  ./.build/debug/quire serve --port "$port" --data "$scratch/$name" --allow-private-urls "$@" >"$scratch/$name.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$scratch/$name.log"
  echo "server $name did not start"
  exit 1
}

# Every reference client must pass against `base`.
run_clients() {
  local base=$1 log=$2
  python3 "$clients" --base-url "$base" | tee "$log" || true
  for client in ConvertPdfToTextFromUploadedFileAsynchronously ConvertPdfToImageFromUploadedFileAsynchronously \
                ConvertDocToPdfFromUrlAsynchronously ConvertImagesToPdfFromUrlsAsynchronously OptimizePdfFromUrlAsynchronously; do
    grep -q "^PASS $client.py" "$log" || { echo "reference client $client failed against $base"; exit 1; }
  done
}

port=$(free_port)
start_server loopback
run_clients "http://127.0.0.1:$port" .build/reference-clients.log
stage "reference clients (loopback)"

# The Cloud API Server's clients send no key: on a network address they pass with
# --anonymous-from naming their network, and get 401 from anywhere else (here: loopback).
address=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -v '^127\.' | grep '\.' | head -1 || true)
if [ -n "$address" ]; then
  port=$(free_port)
  public="http://$address:$port"
  # --public-url: returned links name the network address, not loopback.
  start_server anonymous --host 0.0.0.0 --anonymous-from "$address/32" --api-key "ci-$RANDOM$RANDOM" --public-url "$public"
  run_clients "$public" .build/reference-clients-anonymous.log
  refused=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/pdf/info?url=$public/x.pdf")
  [ "$refused" = "401" ] || { echo "a keyless request from outside --anonymous-from answered $refused, not 401"; exit 1; }
  stage "reference clients (--anonymous-from $address/32)"
  clients_passed=10
else
  echo "reference clients: no non-loopback address here; the --anonymous-from run is skipped"
  clients_passed=5
fi
# One closing line over everything checked: Swift tests plus the reference client runs.
echo "make test: $((swift_tests + clients_passed)) passed, 0 failed"
