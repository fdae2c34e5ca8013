"""Runs a quick start as a reader would: writes each ```LANG file=NAME block to NAME, runs the ```sh
blocks in order as one bash script (so variables carry over), and checks that the ```text blocks'
lines appear in its output in order ("..." alone skips, a line ending in "..." matches its start).
Usage: run_quickstart.py DOC WORKDIR (environment passes through)."""

import pathlib
import re
import subprocess
import sys

doc, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
blocks = re.findall(r"^```([^\n]*)\n(.*?)^```$", doc.read_text(), flags=re.M | re.S)
script, expected = ["set -euo pipefail"], []
for info, body in blocks:
    words = info.split()
    target = next((w[5:] for w in words if w.startswith("file=")), None)
    if target:
        (work / target).write_text(body)
    elif words[:1] == ["sh"]:
        script.append(body)
    elif words[:1] == ["text"]:
        expected += body.splitlines()
if len(script) == 1:
    sys.exit(f"{doc}: no sh blocks to run")
run = subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, capture_output=True, text=True)
print(run.stdout)
print(run.stderr, file=sys.stderr)
if run.returncode != 0:
    sys.exit(f"{doc}: the commands failed (exit {run.returncode})")
lines, at = run.stdout.splitlines(), 0
for want in expected:
    if want == "...":
        continue
    match = (lambda got: got.startswith(want[:-3])) if want.endswith("...") else (lambda got: got == want)
    while at < len(lines) and not match(lines[at]):
        at += 1
    if at == len(lines):
        sys.exit(f"{doc}: expected a line {want!r} (in order) in the output")
    at += 1
print(f"{doc.name}: every command ran and printed what the page says")
