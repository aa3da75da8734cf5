# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared by the bench scripts: start the release `quire serve` on a free port, call it, upload."""
import importlib, json, os, re, subprocess, sys, tempfile, time, urllib.request

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


def ensure_packages(modules, venv_name, pip_arguments):
    """Returns when MODULES import; otherwise makes (once) a venv VENV_NAME in the temp dir, pip
    installs PIP_ARGUMENTS there and runs the calling script again with the venv's Python."""
    try:
        for module in modules:
            importlib.import_module(module)
        return
    except ImportError:
        pass
    venv = os.path.join(tempfile.gettempdir(), venv_name)
    python = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        raise SystemExit(f"packages still missing in {venv}: pip install {' '.join(pip_arguments)}")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", *pip_arguments], check=True)
    os.execv(python, [python, os.path.abspath(sys.argv[0]), *sys.argv[1:]])


def pdf_file(objects):
    """A PDF of `objects` (bodies in order, object 1 the catalog), with its xref table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
