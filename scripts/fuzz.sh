#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Fuzzes three input paths with libFuzzer and AddressSanitizer from a fixed seed, each for
# SECONDS (60) or RUNS inputs, whichever ends first:
#   mail_fuzzer:     the e-mail reader (Sources/CMail: GMime, libgsf, Quire's MAPI reading);
#   pdf_fuzzer:      CMuPDF's document and image paths (open, pages, text, render; image headers
#                    and decoding), seeded with the test fixtures' PDFs and images;
#   profiles_fuzzer: the `profiles` parameter's lenient-JSON parser (Swift), which must also
#                    leave valid JSON meaning the same.
# A crash fails and leaves its input in .build/fuzz/: once fixed, keep it in fuzz/regressions/
# (replayed first on every run). Each corpus starts from its seeds every time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-1000000}"
SECONDS_BUDGET="${SECONDS_BUDGET:-60}"
out=.build/fuzz
rm -rf "$out"
mkdir -p "$out/mail-corpus" "$out/pdf-corpus" "$out/profiles-corpus"

# (gold warns once per ASan helper symbol it cannot export: noise, filtered.)
quiet_link() { { grep -v "Cannot export local symbol" || true; }; }

mail_flags=(-O1 -g -I Sources/CMail/include -I Tests/CMailFixtures/include $(pkg-config --cflags gmime-3.0 libgsf-1))
mail_libs=($(pkg-config --libs gmime-3.0 libgsf-1))
clang "${mail_flags[@]}" -fsanitize=fuzzer,address fuzz/mail_fuzzer.c Sources/CMail/*.c "${mail_libs[@]}" -o "$out/mail_fuzzer" 2>&1 | quiet_link
clang "${mail_flags[@]}" fuzz/make_seeds.c Tests/CMailFixtures/ole_writer.c "${mail_libs[@]}" -o "$out/make_seeds"
"$out/make_seeds" "$out/mail-corpus/seed.msg"
printf 'From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.com>\r\nTo: a@example.com, "B" <b@example.org>\r\nSubject: seed\r\nDate: Tue, 03 Mar 2026 10:15:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>f=FCr <img src=3D"cid:x"></p>\r\n--b\r\nContent-Type: image/png\r\nContent-ID: <x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b\r\nContent-Disposition: attachment; filename*=UTF-8'"''"'a%%20b.txt\r\n\r\nnote\r\n--b--\r\n' > "$out/mail-corpus/seed.eml"

# The link line of Package.swift's CMuPDF target (Debian's mupdf.pc is stale).
mupdf_libs=(-lmupdf -lmupdf-third -lfreetype -l:libharfbuzz.so.0 -l:libjbig2dec.so.0 -l:libopenjp2.so.7 -ljpeg
  -l:libgumbo.so.1 -l:libmujs.so.2 -lz -lm -lwebp -ldeflate -ltiff -lpthread)
clang -O1 -g -I Sources/CMuPDF/include -fsanitize=fuzzer,address fuzz/pdf_fuzzer.c Sources/CMuPDF/*.c "${mupdf_libs[@]}" \
  -o "$out/pdf_fuzzer" 2>&1 | quiet_link
for seed in Tests/Fixtures/toolkit/{numbered-a,rotated,damaged-xref,encrypted-rc4,form}.pdf Tests/Fixtures/ocr/text.pdf \
  Tests/Fixtures/images/{rgb.png,pal.png,gray.jpg,cmyk.jpg,multi.tiff,anim.gif,rgb.bmp}; do
  [ -f "$seed" ] && [ "$(stat -c %s "$seed")" -le 262144 ] && cp "$seed" "$out/pdf-corpus/"
done

# Profiles.swift alone, with stubs for the two names it takes from the rest of QuireAPI.
swiftc -O -sanitize=fuzzer,address -parse-as-library fuzz/profiles_fuzzer.swift fuzz/profiles_stubs.swift \
  Sources/QuireAPI/Parameters/Profiles.swift Sources/QuireAPI/Parameters/ParameterReads.swift -o "$out/profiles_fuzzer" 2>&1 | quiet_link
printf '%s' "{'JPEGQuality': '25', /* c */ \"profiles\": [{\"profile1\": {\"RenderPageDPI\": 300,}}], // x" > "$out/profiles-corpus/lenient"
printf '%s' '{"a": "x\"y\\u00e9//*", "b": [1, -2.5e3, null, true, {}], "c": {"d": [[["deep"]]]}}' > "$out/profiles-corpus/strict"

run() {
  local name=$1 max_len=$2
  echo "fuzz: $name"
  # Leaks inside GMime's, GLib's and MuPDF's one-time caches are not Quire's: leak checks off.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$out/$name" -seed=1 -runs="$RUNS" -max_total_time="$SECONDS_BUDGET" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$out/$name-" -print_final_stats=1 "$out/${name%_fuzzer}-corpus" 2>&1 |
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)|Test unit written|INFO: -max_total_time" || true
}
# Inputs that once failed a fuzzer (fuzz/regressions/<name>/ for <name>_fuzzer), replayed first.
for input in fuzz/regressions/*/*; do
  fuzzer=$(basename "$(dirname "$input")")_fuzzer
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$out/$fuzzer" -rss_limit_mb=2048 -timeout=10 "$input" >"$out/regression.log" 2>&1 ||
    { tail -40 "$out/regression.log"; echo "fuzz: $input fails again"; exit 1; }
done
run mail_fuzzer 65536
run pdf_fuzzer 262144
run profiles_fuzzer 4096
test -z "$(find "$out" -maxdepth 1 -name '*-crash-*' -o -maxdepth 1 -name '*-timeout-*' -o -maxdepth 1 -name '*-oom-*')" || { ls "$out"; exit 1; }
