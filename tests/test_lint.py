"""The repository passes ruff (pyproject.toml's ``[tool.ruff]``: lines ≤ 120 characters, pycodestyle errors and
warnings, pyflakes, sorted imports), and the code blocks of README and docs keep to the same line length.

ruff comes with the ``dev`` extra (``bash scripts/setup.sh --dev``); without it the ruff check is skipped and says so.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINE_LENGTH = 120
#: Pages rendered from the code by ``python -m varcheck.documentation`` (their code blocks quote argparse's usage).
GENERATED = {"claims.md", "networks.md", "findings.md", "theory-map.md", "cli.md", "api.md"}


def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        pytest.skip("ruff is not installed (the dev extra installs it: bash scripts/setup.sh --dev)")
    return str(find_ruff_bin())


def test_ruff_finds_nothing():
    proc = subprocess.run([_ruff(), "check", "--no-cache", "--output-format", "concise", str(REPO)], cwd=REPO,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_sees_a_violation(tmp_path):
    """The check is not vacuous: the repository's configuration flags a long line and an unused import."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\nX = '" + "x" * LINE_LENGTH + "'\n", encoding="utf-8")
    proc = subprocess.run([_ruff(), "check", "--no-cache", "--config", str(REPO / "pyproject.toml"),
                           "--output-format", "concise", str(bad)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 1 and "E501" in proc.stdout and "F401" in proc.stdout, proc.stdout + proc.stderr


def test_code_blocks_of_the_docs_keep_the_line_length():
    long = []
    for page in [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md")):
        if page.name in GENERATED:
            continue
        text = page.read_text(encoding="utf-8")
        for block in re.finditer(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M):
            first = text[: block.start()].count("\n") + 2
            long += [f"{page.name}:{first + i} ({len(line)} characters)"
                     for i, line in enumerate(block.group(1).splitlines()) if len(line) > LINE_LENGTH]
    assert not long, "code lines over 120 characters: " + ", ".join(long)
