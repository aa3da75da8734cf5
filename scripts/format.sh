#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Formats the Swift sources with the toolchain's swift-format and .swift-format.
#   scripts/format.sh          rewrite files in place
#   scripts/format.sh --check  fail (listing the files) when formatting would change anything
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Sources Tests Package.swift)
if [ "${1:-}" != "--check" ]; then
  swift format format --in-place --recursive "${paths[@]}"
  exit 0
fi
changed=0
while IFS= read -r file; do
  if ! swift format format "$file" | cmp -s - "$file"; then
    echo "not formatted: $file"
    changed=1
  fi
done < <(find Sources Tests -name '*.swift'; echo Package.swift)
[ "$changed" -eq 0 ] || { echo "run scripts/format.sh to fix"; exit 1; }
