#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Fuzzes the e-mail reader (Sources/CMail) with libFuzzer and AddressSanitizer from a fixed
# seed, for SECONDS (60) or RUNS inputs, whichever ends first; a crash fails and leaves its input
# in .build/fuzz/ (keep it as a fixture once fixed). The corpus starts from the two seeds each time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-1000000}"
SECONDS_BUDGET="${SECONDS_BUDGET:-60}"
out=.build/fuzz
rm -rf "$out/corpus"
mkdir -p "$out/corpus"
flags=(-O1 -g -I Sources/CMail/include -I Tests/CMailFixtures/include $(pkg-config --cflags gmime-3.0 libgsf-1))
libs=($(pkg-config --libs gmime-3.0 libgsf-1))
# (gold warns once per ASan helper symbol it cannot export: noise, filtered.)
clang "${flags[@]}" -fsanitize=fuzzer,address fuzz/mail_fuzzer.c Sources/CMail/*.c "${libs[@]}" -o "$out/mail_fuzzer" 2>&1 |
  { grep -v "Cannot export local symbol" || true; }
clang "${flags[@]}" fuzz/make_seeds.c Tests/CMailFixtures/ole_writer.c "${libs[@]}" -o "$out/make_seeds"
"$out/make_seeds" "$out/corpus/seed.msg"
printf 'From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.com>\r\nTo: a@example.com, "B" <b@example.org>\r\nSubject: seed\r\nDate: Tue, 03 Mar 2026 10:15:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>f=FCr <img src=3D"cid:x"></p>\r\n--b\r\nContent-Type: image/png\r\nContent-ID: <x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b\r\nContent-Disposition: attachment; filename*=UTF-8'"''"'a%%20b.txt\r\n\r\nnote\r\n--b--\r\n' > "$out/corpus/seed.eml"
# Leaks inside GMime's and GLib's one-time caches are not the reader's: leak checks off.
ASAN_OPTIONS=detect_leaks=0 "$out/mail_fuzzer" -seed=1 -runs="$RUNS" -max_total_time="$SECONDS_BUDGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$out/" -print_final_stats=1 "$out/corpus" 2>&1 | grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)|Test unit written|INFO: -max_total_time" || true
test ! -e "$out"/crash-* && test ! -e "$out"/timeout-* && test ! -e "$out"/oom-* || { ls "$out"; exit 1; }
