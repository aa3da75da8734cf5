#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks deploy/ against the real binary: every quire command line in the Dockerfile, the
compose file and the systemd units names a subcommand and flags that exist (`quire X --help`),
and every QUIRE_* variable they set is one Quire reads (its --help or the README table).
Docker cannot run here, so this is what keeps those files true.

usage: check_deploy_files.py QUIRE_BINARY REPOSITORY_ROOT
"""
import json
import os
import re
import shlex
import subprocess
import sys

import yaml

binary, root = sys.argv[1], sys.argv[2]
deploy = os.path.join(root, "deploy")
problems = []
helps = {}


def help_text(subcommand):
    if subcommand not in helps:
        run = subprocess.run([binary, subcommand, "--help"], capture_output=True, text=True)
        helps[subcommand] = run.stdout + run.stderr if run.returncode == 0 else None
    return helps[subcommand]


def check_command(where, words):
    """`words` is a quire command line without the binary: subcommand then arguments."""
    if not words:
        return problems.append(f"{where}: no subcommand")
    text = help_text(words[0])
    if text is None:
        return problems.append(f"{where}: `quire {words[0]}` is not a subcommand")
    for word in words[1:]:
        if word.startswith("--"):
            flag = word.split("=", 1)[0]
            if not re.search(re.escape(flag) + r"\b", text):
                problems.append(f"{where}: `quire {words[0]}` has no flag {flag}")


readme = open(os.path.join(root, "README.md")).read()
known_variables = " ".join(filter(None, [help_text("serve"), help_text("worker"), readme]))


def check_variables(where, names):
    for name in names:
        if name.startswith("QUIRE_") and name not in known_variables:
            problems.append(f"{where}: {name} is read by nothing (not in --help or README)")


# Compose: services built from the quire image.
compose = yaml.safe_load(open(os.path.join(deploy, "docker-compose.yml")))
quire_services = 0
for name, service in compose["services"].items():
    if service.get("image") != "quire":
        continue
    quire_services += 1
    command = service.get("command", ["serve"])
    check_command(f"docker-compose.yml {name}", command if isinstance(command, list) else shlex.split(command))
    check_variables(f"docker-compose.yml {name}", (service.get("environment") or {}).keys())
roles = {s["command"][0] + (" --no-worker" if "--no-worker" in s["command"] else "")
         for s in compose["services"].values() if s.get("image") == "quire"}
if quire_services < 3 or roles != {"serve --no-worker", "worker"}:
    problems.append(f"docker-compose.yml: expected API nodes and workers, found {sorted(roles)}")
for needed in ("postgres", "s3", "proxy"):
    if needed not in compose["services"]:
        problems.append(f"docker-compose.yml: no {needed} service")

# Dockerfile: ENTRYPOINT is the binary, CMD a subcommand, ENV names real variables.
dockerfile = open(os.path.join(deploy, "Dockerfile")).read()
cmd = re.search(r"^CMD (\[.*\])", dockerfile, re.M)
if not cmd or not re.search(r'^ENTRYPOINT \["/usr/local/bin/quire"\]', dockerfile, re.M):
    problems.append("Dockerfile: ENTRYPOINT must be the quire binary and CMD its subcommand")
else:
    check_command("Dockerfile CMD", json.loads(cmd.group(1)))
for line in re.findall(r"^ENV (.*)$", dockerfile, re.M):
    check_variables("Dockerfile ENV", [pair.split("=", 1)[0] for pair in shlex.split(line)])

# systemd units.
units = os.path.join(deploy, "systemd")
for unit in sorted(os.listdir(units)):
    for line in open(os.path.join(units, unit)):
        if line.startswith("ExecStart="):
            words = shlex.split(line.split("=", 1)[1])
            if not words[0].endswith("/quire"):
                problems.append(f"{unit}: ExecStart does not run quire")
            check_command(unit, words[1:])

print("\n".join(problems) if problems else f"deploy files name only real commands, flags and variables ({quire_services} quire services)")
sys.exit(1 if problems else 0)
