"""Fuzz suite set-up: a scratch working directory per test, example counts scaled by ``--varcheck-profile``,
and the number of distinct inputs tried, printed at the end of the run."""

from __future__ import annotations

import pytest

from tests.fuzz import harness


@pytest.fixture
def fuzz_dir(tmp_path, monkeypatch):
    """An empty working directory holding one file a user wrote, so that a change on disk shows."""
    (tmp_path / "user-notes.txt").write_text("written by the user\n", encoding="utf-8")
    (tmp_path / "existing-dir").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def examples(request):
    """``examples(quick)``: Hypothesis examples for this test (×10 with ``--varcheck-profile full``)."""
    full = request.config.getoption("--varcheck-profile") == "full"
    return lambda quick: quick * 10 if full else quick


def pytest_terminal_summary(terminalreporter):
    if harness.TRIED:
        per = ", ".join(f"{k} {v}" for k, v in sorted(harness.PER_ENTRY.items()))
        terminalreporter.write_line(f"fuzz: {len(harness.TRIED)} distinct inputs tried over "
                                    f"{len(harness.PER_ENTRY)} entry points ({per})")
