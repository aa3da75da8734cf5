#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Load on a real `quire serve` (release build), two ways:

  load.py jobs [--clients 8] [--seconds 20]
      Small sync jobs: `to/text` of a 2-page PDF. The `mutool convert` process on the same file
      (median of 30), then Quire's median sync latency one request at a time, then N clients
      in a loop: jobs/s, p50, p99, errors.

  load.py soak [--minutes 10]
      Mixed traffic: uploads (presign + PUT), sync `to/text`, async `to/png` polled at
      /job/check, and plain polling, all at once. Every 10 s: requests/s by kind, errors, and
      the RSS of the server and of its engine hosts (which should be flat after warm-up).

Clients keep their connections (keep-alive), as PDF.co SDKs do."""
import argparse, http.client, json, os, re, statistics, subprocess, sys, tempfile, threading, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quire_api import ROOT, http as http_request, start_server, upload  # noqa: E402


class Client:
    """One keep-alive connection; `call` returns (status, JSON answer, seconds)."""

    def __init__(self, base):
        parsed = urllib.parse.urlparse(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.connection = None

    def call(self, method, path, body=None, headers=None, raw=False):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            start = time.perf_counter()
            try:
                payload = body if raw or body is None else json.dumps(body).encode()
                self.connection.request(method, path, body=payload, headers=headers or {"Content-Type": "application/json"})
                response = self.connection.getresponse()
                data = response.read()
                elapsed = time.perf_counter() - start
                answer = json.loads(data) if data[:1] == b"{" else {}
                return response.status, answer, elapsed
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def two_page_pdf(work):
    path = os.path.join(work, "two-pages.pdf")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench/make_text_pdf.py"), path, "2"], check=True)
    return path


def mutool_median(path, runs=30):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["mutool", "convert", "-F", "text", "-o", "/dev/null", path], check=True, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def children_of(pid):
    """PIDs of PID's live children (its engine hosts)."""
    return subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()


def cpu_seconds(pid):
    """(server, engine hosts) CPU seconds so far: the server's own, and its live children's plus
    the reaped ones' (a host recycled during the run counts in full)."""
    def times(p):
        with open(f"/proc/{p}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return [int(value) / os.sysconf("SC_CLK_TCK") for value in fields[11:15]]
    own = times(pid)
    live = 0.0
    for child in children_of(pid):
        try:
            live += sum(times(child)[:2])
        except OSError:
            pass  # gone between pgrep and the read
    return own[0] + own[1], own[2] + own[3] + live


def run_jobs(arguments):
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as work:
        pdf = two_page_pdf(work)
        mutool = mutool_median(pdf)
        server, base = start_server(work, ["--workers", str(arguments.workers)], binary=arguments.quire)
        try:
            url = upload(base, pdf)
            body = {"url": url, "inline": False}
            client = Client(base)
            for _ in range(20):  # warm-up: hosts started, caches filled
                client.call("POST", "/v1/pdf/convert/to/text", body)
            single = []
            for _ in range(100):
                status, answer, seconds = client.call("POST", "/v1/pdf/convert/to/text", body)
                assert status == 200, answer
                single.append(seconds)
            latencies, errors, lock = [], [0], threading.Lock()
            deadline = time.perf_counter() + arguments.seconds

            def loop():
                mine, failed, own = [], 0, Client(base)
                while time.perf_counter() < deadline:
                    status, _, seconds = own.call("POST", "/v1/pdf/convert/to/text", body)
                    if status == 200:
                        mine.append(seconds)
                    else:
                        failed += 1
                with lock:
                    latencies.extend(mine)
                    errors[0] += failed

            started, cpu_before = time.perf_counter(), cpu_seconds(server.pid)
            threads = [threading.Thread(target=loop) for _ in range(arguments.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            cpu_after = cpu_seconds(server.pid)
        finally:
            server.terminate()
            server.wait()
    # CPU per job varies less than jobs/s when other machines share the host's cores.
    server_ms, hosts_ms = ((after - before) * 1000 / max(1, len(latencies)) for before, after in zip(cpu_before, cpu_after))
    print(f"`mutool convert -F text` process, median of 30: {mutool * 1000:.1f} ms")
    print(f"Quire sync to/text, one client, median of 100: {statistics.median(single) * 1000:.1f} ms "
          f"(p99 {percentile(single, 0.99) * 1000:.1f} ms)")
    print(f"{arguments.clients} clients for {elapsed:.0f} s: {len(latencies) / elapsed:.0f} jobs/s, "
          f"p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms, {errors[0]} errors")
    print(f"CPU per job: server {server_ms:.2f} ms, engine hosts {hosts_ms:.2f} ms")


def process_rss(pid):
    """RSS in MB of PID and of its children (engine hosts), from /proc."""
    def rss(p):
        try:
            with open(f"/proc/{p}/status") as status:
                return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
        except (OSError, StopIteration):
            return 0.0
    children = children_of(pid)
    return rss(pid), sum(rss(child) for child in children), len(children)


def gauges(base):
    """From /metrics: SQLite's share of the server's memory (page caches, statements) in MB, and
    the finished /job/check answers the server keeps (entries, MB of answer bytes)."""
    text = http_request("GET", f"{base}/metrics").decode()

    def value(name):
        match = re.search(rf"^{name} ([0-9.e+]+)", text, re.M)
        return float(match.group(1)) if match else float("nan")
    return (value("quire_sqlite_memory_bytes") / 2**20, value("quire_job_answers_cached_entries"),
            value("quire_job_answers_cached_bytes") / 2**20)


def run_soak(arguments):
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as work:
        pdf = two_page_pdf(work)
        pdf_bytes = open(pdf, "rb").read()
        server, base = start_server(work, ["--workers", str(arguments.workers)], binary=arguments.quire)
        try:
            url = upload(base, pdf)
            stop = threading.Event()
            counts, lock = {}, threading.Lock()

            def record(kind, status, seconds):
                with lock:
                    entry = counts.setdefault(kind, {"ok": 0, "errors": 0, "latencies": []})
                    if status == 200:
                        entry["ok"] += 1
                        entry["latencies"].append(seconds)
                    else:
                        entry["errors"] += 1

            def uploads():
                client = Client(base)
                while not stop.is_set():
                    status, answer, first = client.call("GET", "/v1/file/upload/get-presigned-url?name=soak.pdf")
                    if status != 200:
                        record("upload", status, first)
                        continue
                    target = urllib.parse.urlparse(answer["presignedUrl"])
                    put_status, _, second = client.call("PUT", target.path + "?" + target.query, pdf_bytes,
                                                        {"Content-Type": "application/pdf"}, raw=True)
                    record("upload", put_status, first + second)

            def text_jobs():
                client = Client(base)
                while not stop.is_set():
                    status, _, seconds = client.call("POST", "/v1/pdf/convert/to/text", {"url": url})
                    record("to/text (sync)", status, seconds)

            def png_jobs():
                client = Client(base)
                while not stop.is_set():
                    start = time.perf_counter()
                    status, answer, _ = client.call("POST", "/v1/pdf/convert/to/png", {"url": url, "async": True})
                    if status != 200:
                        record("to/png (async)", status, 0)
                        continue
                    while not stop.is_set():
                        time.sleep(0.1)
                        _, check, _ = client.call("GET", f"/v1/job/check?jobid={answer['jobId']}")
                        if check.get("status") != "working":
                            record("to/png (async)", 200 if check.get("status") == "success" else 500, time.perf_counter() - start)
                            break

            def polling():
                client = Client(base)
                _, answer, _ = client.call("POST", "/v1/pdf/convert/to/text", {"url": url, "async": True})
                while not stop.is_set():
                    status, _, seconds = client.call("GET", f"/v1/job/check?jobid={answer['jobId']}")
                    record("job/check", status, seconds)

            threads = [threading.Thread(target=target) for target in
                       [uploads, uploads, text_jobs, text_jobs, text_jobs, text_jobs, png_jobs, png_jobs, polling]]
            for thread in threads:
                thread.start()
            started, samples = time.perf_counter(), []
            print("  t (s) | requests/s | errors | server RSS MB | of which SQLite MB | cached answers (MB) | hosts RSS MB (n)")
            last_total = 0
            while time.perf_counter() - started < arguments.minutes * 60:
                time.sleep(10)
                with lock:
                    total = sum(entry["ok"] + entry["errors"] for entry in counts.values())
                    errors = sum(entry["errors"] for entry in counts.values())
                server_mb, hosts_mb, hosts = process_rss(server.pid)
                samples.append((server_mb, hosts_mb))
                sqlite, answers, answers_mb = gauges(base)
                print(f"  {time.perf_counter() - started:5.0f} | {(total - last_total) / 10:10.0f} | {errors:6d} | "
                      f"{server_mb:13.0f} | {sqlite:18.1f} | {answers:10.0f} ({answers_mb:5.1f}) | {hosts_mb:8.0f} ({hosts})",
                      flush=True)
                last_total = total
            stop.set()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait()
        # Before the temporary folder goes: removing its 100 000 files takes minutes.
        print(f"\n{arguments.minutes} minutes of mixed traffic:")
        print("| kind | requests | per s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|")
        for kind, entry in sorted(counts.items()):
            latencies = entry["latencies"]
            print(f"| {kind} | {entry['ok'] + entry['errors']} | {(entry['ok'] + entry['errors']) / elapsed:.1f} | "
                  f"{percentile(latencies, 0.5) * 1000:.1f} | {percentile(latencies, 0.99) * 1000:.1f} | {entry['errors']} |")
        warm = samples[len(samples) // 5:] or samples
        print(f"server RSS after warm-up: min {min(s[0] for s in warm):.0f} MB, max {max(s[0] for s in warm):.0f} MB; "
              f"engine hosts: min {min(s[1] for s in warm):.0f} MB, max {max(s[1] for s in warm):.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["jobs", "soak"])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quire", help="the quire binary (default: the release build)")
    arguments = parser.parse_args()
    (run_jobs if arguments.mode == "jobs" else run_soak)(arguments)


if __name__ == "__main__":
    main()
