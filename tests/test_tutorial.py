"""docs/tutorial-add-a-lemma.md works as written: its files are written, its commands run (`.venv/bin/varcheck`
and `.venv/bin/python` being this interpreter's virtual environment and this checkout), and the new claim shows
up in `varcheck verify` with its mutant killed."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.test_constants_repro import _shim
from tests.test_docs_commands import link_venv

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial-add-a-lemma.md"


def _blocks():
    text = TUTORIAL.read_text(encoding="utf-8")
    files = re.findall(r"<!-- file: (\S+) -->\n```python\n(.*?)```", text, re.S)
    runs = re.findall(r"<!-- run -->\n```bash\n(.*?)```", text, re.S)
    return files, runs


@pytest.mark.claim("interp.partition-of-unity")
def test_tutorial_registers_verifies_and_mutates_a_new_lemma(tmp_path):
    files, runs = _blocks()
    assert [name for name, _ in files] == ["my_lemmas.py"] and len(runs) == 2
    for name, code in files:
        (tmp_path / name).write_text(code, encoding="utf-8")
    link_venv(tmp_path)  # the commands are written for the repository root, where .venv is
    env = _shim(tmp_path)
    env.pop("VARCHECK_CLAIM_MODULES", None)
    outputs = []
    for script in runs:
        proc = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env,
                              timeout=900, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        outputs.append(proc.stdout)
    listing, full = outputs
    assert "mylemma.bilinear-convex" in listing and "L1" in listing
    assert re.search(r"mylemma\.bilinear-convex\s+holds\s+as_expected\s+numeric", listing)
    assert "2 claims: 2 as_expected, 0 unexpected, 0 error" in listing
    html = (tmp_path / "lemma.html").read_text(encoding="utf-8")
    assert 'data-claim="mylemma.bilinear-convex"' in html and 'data-claim="interp.partition-of-unity"' in html
    assert "1 mutants: 1 killed, 0 survived (kill rate 100%)" in full and "1 of 1 killed" in full
    report = json.loads((tmp_path / "lemma.json").read_text(encoding="utf-8"))
    assert report["profile"] == "full" and report["mutants"]["results"][0]["id"] == "mylemma.bilinear-as-bicubic"
