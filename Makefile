# SPDX-License-Identifier: AGPL-3.0-or-later
# The two commands of the README: `make serve` and `make test`.
.PHONY: serve test build release bench format clean

HOST ?= 127.0.0.1
PORT ?= 8080
DATA ?= ./data

serve: release
	./.build/release/quire serve --host $(HOST) --port $(PORT) --data $(DATA)

release:
	bash scripts/bootstrap.sh
	swift build -c release --product quire

build:
	bash scripts/bootstrap.sh
	swift build

test:
	bash scripts/test.sh

bench: release
	bash scripts/bootstrap.sh --bench
	python3 bench/compare.py text 100 20
	python3 bench/compare.py png 20 5
	python3 bench/images.py 20 5
	python3 bench/office.py --office-workers 1
	python3 bench/optimize.py --runs 3 --profiles '{"JPEGQuality": 62, "ResamplingResolution": 150}'

clean:
	rm -rf .build
