#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""PDF optimisation: Quire's /pdf/optimize beside Ghostscript, qpdf and mutool on the same files
in the same run; prints one Markdown table per file.

  python3 bench/optimize.py [--runs 3] [--profiles JSON] [--files photos20,scan10,report] [--inputs DIR]

Inputs come from DIR (default /tmp/quire-bench-optimize); missing ones are made first by
bench/make_optimize_inputs.py (about a minute). The tools:
  quire             sync POST /pdf/optimize through the API (`quire serve` from the release build,
                    make release); only the POST is timed, upload and download excluded, after one
                    untimed warm-up call. With --profiles, a second row sends the profiles string.
                    An error answer (501 while optimize is not built) becomes an "error:" row.
  gs /ebook         gs -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook ...
  qpdf              qpdf --object-streams=generate --recompress-flate --compression-level=9
  mutool clean      mutool clean -gggz
The command-line tools are timed as whole processes, no warm-up. Time is the median of --runs.
Fidelity: every page of the input and of each output is rendered with `mutool draw -r 100`;
PSNR is over the RGB pixels (a page rendered identically counts as 100 dB), SSIM is the mean
over all 7x7 windows of the grayscale render (uniform window, K1=0.01, K2=0.03, population
variances: scikit-image's default up to its sample variances). Both are the mean over pages,
with the worst page beside it. At 100 DPI, images downsampled to 150 DPI still score high.
"""
import argparse, glob, json, os, shlex, statistics, subprocess, sys, tempfile, time, urllib.error

import numpy as np
from PIL import Image

from quire_api import ROOT, http, start_server, upload

COMMANDS = {
    "gs /ebook": "gs -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook -dNOPAUSE -dBATCH -dQUIET -sOutputFile={out} {in}",
    "qpdf": "qpdf --object-streams=generate --recompress-flate --compression-level=9 {in} {out}",
    "mutool clean": "mutool clean -gggz {in} {out}",
}
QUIRE = os.path.join(ROOT, ".build/release/quire")
DEFAULT_FILES = "photos20,scan10,report"


def median_ms(run, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def render(pdf):
    """Every page at 100 DPI, as RGB arrays."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["mutool", "draw", "-q", "-r", "100", "-o", os.path.join(folder, "page%d.png"), pdf],
                       check=True, stderr=subprocess.DEVNULL)
        files = sorted(glob.glob(os.path.join(folder, "page*.png")), key=lambda f: int(f.rsplit("page", 1)[1][:-4]))
        return [np.asarray(Image.open(f).convert("RGB")) for f in files]


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b) ** 2)
    return 100.0 if mse == 0 else min(100.0, 10 * np.log10(255 ** 2 / mse))


def box(x, r=7):
    """Means over every r x r window (valid windows only), through an integral image."""
    c = np.pad(x, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (c[r:, r:] - c[:-r, r:] - c[r:, :-r] + c[:-r, :-r]) / (r * r)


def ssim(a, b):
    x, y = (np.asarray(Image.fromarray(p).convert("L"), np.float64) for p in (a, b))
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = box(x), box(y)
    vx, vy, cxy = box(x * x) - mx * mx, box(y * y) - my * my, box(x * y) - mx * my
    return float(np.mean((2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2))))


def fidelity(reference, pages):
    if len(pages) != len(reference):
        raise RuntimeError(f"{len(pages)} pages rendered, the input has {len(reference)}")
    scores = []
    for a, b in zip(reference, pages):
        h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])  # a 1-px rounding of the page size
        scores.append((psnr(a[:h, :w], b[:h, :w]), ssim(a[:h, :w], b[:h, :w])))
    p, s = zip(*scores)
    return statistics.mean(p), min(p), statistics.mean(s), min(s)


class Quire:
    """One `quire serve` for the whole run; when it cannot start, .error says why and every Quire row shows it."""

    def __init__(self, work):
        self.server, self.error = None, None
        if not os.path.exists(QUIRE):
            self.error = "no .build/release/quire (make release)"
            return
        newest = max(os.path.getmtime(f) for f in glob.glob(os.path.join(ROOT, "Sources/**/*.swift"), recursive=True))
        if newest > os.path.getmtime(QUIRE):
            print("note: .build/release/quire is older than Sources/ (make release for current numbers)\n")
        try:
            self.server, self.base = start_server(work)
        except RuntimeError as e:
            self.error = str(e)

    def optimize(self, url, profiles):
        body = {"url": url, "async": False, "name": "out.pdf"}
        if profiles is not None:
            body["profiles"] = profiles
        try:
            answer = json.loads(http("POST", self.base + "/pdf/optimize", json.dumps(body).encode(), {"Content-Type": "application/json"}))
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                raw = json.loads(raw).get("message", raw)
            except ValueError:
                pass
            raise RuntimeError(f"{e.code} {raw if isinstance(raw, str) else repr(raw[:300])}")
        if answer.get("error"):
            raise RuntimeError(f"{answer.get('status')} {answer.get('message')}")
        return answer

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)


def bench_file(pdf, quire, profiles, runs, work):
    """Yields table rows: (label, median ms, output bytes, ratio, psnr mean, psnr min, ssim mean, ssim min) or (label, error)."""
    size = os.path.getsize(pdf)
    reference = render(pdf)
    print(f"### {os.path.basename(pdf)}: {size:,} bytes, {len(reference)} pages\n")
    print("| tool | median ms | output bytes | size ratio | PSNR mean dB | PSNR min dB | SSIM mean | SSIM min |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    tools = [("quire", None)] + ([("quire (profiles)", profiles)] if profiles is not None else []) + [(name, None) for name in COMMANDS]
    notes = []
    for number, (label, option) in enumerate(tools):
        out = os.path.join(work, f"out{number}.pdf")
        try:
            if label.startswith("quire"):
                if quire.error:
                    raise RuntimeError(quire.error)
                url = upload(quire.base, pdf)
                answers = [quire.optimize(url, option)]  # warm-up
                ms = median_ms(lambda: answers.append(quire.optimize(url, option)), runs)
                with open(out, "wb") as f:
                    f.write(http("GET", answers[-1]["url"]))
                extra = {k: v for k, v in answers[-1].items() if k not in ("url", "error", "status", "name")}
                notes.append(f"{label} answer: {json.dumps(extra)}")
            else:
                arguments = [a.format(**{"in": pdf, "out": out}) for a in COMMANDS[label].split()]
                ms = median_ms(lambda: subprocess.run(arguments, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), runs)
            scores = fidelity(reference, render(out))
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            message = e.stderr.decode(errors="replace").strip()[-300:] if isinstance(e, subprocess.CalledProcessError) and e.stderr else str(e)
            print(f"| {label} | error: {message.replace('|', '/')} | | | | | | |", flush=True)
            continue
        out_size = os.path.getsize(out)
        print(f"| {label} | {ms:,.0f} | {out_size:,} | {out_size / size:.3f} | {scores[0]:.2f} | {scores[1]:.2f} | {scores[2]:.4f} | {scores[3]:.4f} |", flush=True)
    print("".join(f"\n{note}" for note in notes) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", help="a Quire/PDF.co profiles JSON string: adds a 'quire (profiles)' row")
    parser.add_argument("--files", default=DEFAULT_FILES, help="comma-separated names in --inputs (.pdf optional) or paths")
    parser.add_argument("--inputs", default="/tmp/quire-bench-optimize")
    options = parser.parse_args()
    if options.profiles is not None:
        json.loads(options.profiles)  # fail early on a typo; sent as the string given
    files = [f if os.sep in f else os.path.join(options.inputs, f if f.endswith(".pdf") else f + ".pdf") for f in options.files.split(",")]
    if any(not os.path.exists(f) for f in files):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/make_optimize_inputs.py"), options.inputs], check=True)

    print("command: " + shlex.join(["python3", os.path.relpath(sys.argv[0]), *sys.argv[1:]]))
    versions = [subprocess.run(arguments, capture_output=True, text=True) for arguments in (["gs", "--version"], ["qpdf", "--version"], ["mutool", "-v"])]
    print("versions: gs " + "; ".join((v.stdout or v.stderr).split("\n")[0].strip() for v in versions))
    body = '"url", "async": false, "name": "out.pdf"' + (', "profiles" (second row)' if options.profiles is not None else "")
    print(f"quire: POST /pdf/optimize {{{body}}}")
    for label, command in COMMANDS.items():
        print(f"{label}: {command.format(**{'in': 'IN.pdf', 'out': 'OUT.pdf'})}")
    print(f"runs: {options.runs} (median); fidelity: mutool draw -r 100, PSNR over RGB, SSIM 7x7 windows on grayscale\n")
    with tempfile.TemporaryDirectory() as work:
        quire = Quire(work)
        try:
            for number, pdf in enumerate(files):
                folder = os.path.join(work, f"file{number}")
                os.makedirs(folder)
                bench_file(pdf, quire, options.profiles, options.runs, folder)
        finally:
            quire.stop()


if __name__ == "__main__":
    main()
