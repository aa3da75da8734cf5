#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""`/healthz` and `/job/check` on a finished job under wrk, in one run (issue #19's table).

  poll.py [--quire BINARY] [--connections 64] [--seconds 8]

Starts the release `quire serve`, finishes one async `to/text` job, then runs
`wrk -t2 -cN -dS --latency` on each URL in turn and prints requests/s, p50 and p99. wrk shares
the machine's cores with the server. Needs wrk (Debian: `apt-get install wrk`)."""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quire_api import http, start_server, upload  # noqa: E402
from load import two_page_pdf  # noqa: E402


def wrk(url, connections, seconds):
    """(requests/s, p50 ms, p99 ms) from wrk's --latency report."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(name):
        value, unit = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, percentile("50"), percentile("99"), int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quire", help="the quire binary (default: the release build)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=8)
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as work:
        server, base = start_server(work, binary=arguments.quire)
        try:
            url = upload(base, two_page_pdf(work))
            job = json.loads(http("POST", f"{base}/v1/pdf/convert/to/text", json.dumps({"url": url, "async": True}).encode(),
                                  {"Content-Type": "application/json"}))["jobId"]
            check = f"{base}/v1/job/check?jobid={job}"
            while json.loads(http("GET", check))["status"] == "working":
                time.sleep(0.05)
            rows = [("`/healthz`", wrk(f"{base}/healthz", arguments.connections, arguments.seconds)),
                    ("`/job/check`, finished job", wrk(check, arguments.connections, arguments.seconds))]
        finally:
            server.terminate()
            server.wait()
    health = rows[0][1][0]
    print(f"wrk -t2 -c{arguments.connections} -d{arguments.seconds}s --latency, one run:")
    print("| endpoint | requests/s | p50 | p99 | non-2xx |\n|---|---:|---:|---:|---:|")
    for name, (rate, p50, p99, errors) in rows:
        share = "" if name == rows[0][0] else f" ({rate / health:.0%})"
        print(f"| {name} | {rate:,.0f}{share} | {p50:.1f} ms | {p99:.1f} ms | {errors} |")


if __name__ == "__main__":
    main()
