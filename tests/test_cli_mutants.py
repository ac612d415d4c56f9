"""``varcheck verify --profile full`` runs the mutants of the verified claims after the claims, reports the
kill rate (JSON key ``mutants``, Markdown and HTML sections) and exits 1 when a mutant survives."""

from __future__ import annotations

import json

import pytest

import varcheck.claims.catalog as registry_module
import varcheck.claims.mutation as M
from tests.test_cli import make_fake_registry
from varcheck.cli import main
from varcheck.report.json_report import MUTANTS_KEY, REPORT_KEYS
from varcheck.theory.registry import EvidenceResult


class Knob:
    broken = False


def ev_knob(ctx):
    return EvidenceResult("failed" if Knob.broken else "passed", f"broken={Knob.broken}")


def _break(p):
    p.setattr(Knob, "broken", True)


def _nothing(p):
    p.setattr(Knob, "broken", False)


HERE = "tests.test_cli_mutants:ev_knob"
KILLED = M.Mutant("fake.knob-broken", ("fake.holds",), "the knob broken", _break, (M.Check(HERE),))
SURVIVOR = M.Mutant("fake.knob-untouched", ("fake.refuted",), "a mutation no check sees", _nothing, (M.Check(HERE),))


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(registry_module, "_REGISTRY", make_fake_registry())
    monkeypatch.setattr(registry_module, "_MUTANTS", (KILLED, SURVIVOR))


def test_full_profile_runs_mutants_and_reports_the_kill_rate(fake, tmp_path, capsys):
    path = tmp_path / "r.json"
    assert main(["verify", "fake.holds", "--profile", "full", "--report", str(path)]) == 0
    captured = capsys.readouterr()
    assert "[mutant 1/1] fake.knob-broken ... killed (" in captured.err
    assert "1 mutants: 1 killed, 0 survived (kill rate 100%)" in captured.out
    report = json.loads(path.read_text(encoding="utf-8"))
    assert tuple(report) == REPORT_KEYS + (MUTANTS_KEY,)
    mutants = report["mutants"]
    assert (mutants["total"], mutants["killed"], mutants["kill_rate"]) == (1, 1, 1.0)
    (result,) = mutants["results"]
    assert result["id"] == "fake.knob-broken" and result["killed"] is True
    assert result["checks"][0]["verdict"] == "failed" and result["checks"][0]["caught"] is True
    assert Knob.broken is False  # undone


def test_a_surviving_mutant_makes_verify_exit_1(fake, tmp_path, capsys):
    for suffix in (".md", ".html"):
        path = tmp_path / f"r{suffix}"
        assert main(["verify", "fake.holds", "fake.refuted", "--profile", "full", "--report", str(path)]) == 1
        out = capsys.readouterr().out
        assert "mutant fake.knob-untouched (a mutation no check sees): SURVIVED" in out
        assert "2 mutants: 1 killed, 1 survived (kill rate 50%)" in out
        text = path.read_text(encoding="utf-8")
        assert "1 of 2 mutants killed (kill rate 50%)" in text
        assert "SURVIVED" in text and "fake.knob-untouched" in text


def test_quick_profile_runs_no_mutant(fake, tmp_path, capsys):
    path = tmp_path / "r.json"
    assert main(["verify", "fake.holds", "--report", str(path)]) == 0
    assert "mutant" not in capsys.readouterr().err
    assert tuple(json.loads(path.read_text(encoding="utf-8"))) == REPORT_KEYS


def test_closed_output_pipe_exits_quietly(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    # the reader (`true`) exits at once, long before varcheck writes: the first write hits a closed pipe
    script = f"{sys.executable} -m varcheck explain interp.kernel-range | true; exit ${{PIPESTATUS[0]}}"
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=repo, timeout=120, check=False)
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr, proc.stderr
    assert proc.returncode == 141
