# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared by the bench scripts: start the release `quire serve` on a free port, call it, upload."""
import json, os, re, subprocess, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def http(method, url, data=None, headers=None, timeout=600):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def start_server(work, extra_arguments=(), binary=None):
    """Starts `quire serve` (BINARY, default the release build) with its data in WORK; returns (process, base URL) once healthy."""
    log = open(os.path.join(work, "log"), "w+")
    server = subprocess.Popen([binary or os.path.join(ROOT, ".build/release/quire"), "serve", "--port", "0", "--data", os.path.join(work, "data"),
                               *extra_arguments], stdout=subprocess.PIPE, stderr=log, text=True)
    line = server.stdout.readline()
    match = re.match(r"listening on .*:(\d+)", line)
    if not match:
        server.wait(timeout=10)
        log.seek(0)
        raise RuntimeError(f"quire did not start (exit {server.returncode}): {line.strip()} {log.read()[-600:]}")
    base = f"http://127.0.0.1:{match.group(1)}"
    for _ in range(600):
        try:
            http("GET", base + "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def upload(base, path):
    presign = json.loads(http("GET", f"{base}/file/upload/get-presigned-url?name={os.path.basename(path)}"))
    http("PUT", presign["presignedUrl"], open(path, "rb").read())
    return presign["url"]
