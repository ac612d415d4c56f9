"""docs/: every generated page is up to date (findings, theory map, CLI and API references), the findings
page covers F1–F9, and the Python examples of the hand-written pages run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.jargon import jargon_in
from varcheck import documentation as generated
from varcheck.claims.catalog import registry
from varcheck.report.claims_doc import claims_doc_path
from varcheck.report.findings import FINDINGS, claims_of_finding, render_findings

DOCS = claims_doc_path().parent
REGENERATE = "run python -m varcheck.documentation"


@pytest.fixture(scope="module")
def findings_text() -> str:
    return render_findings()


@pytest.mark.parametrize("name", [n for n in generated.GENERATED_DOCS if n not in ("claims.md", "findings.md")])
def test_generated_page_is_up_to_date(name):
    path = DOCS / name
    assert path.is_file(), f"docs/{name} is missing; {REGENERATE}"
    text = generated.render_doc(name)
    assert path.read_text(encoding="utf-8") == text, f"docs/{name} is stale; {REGENERATE}"
    assert not jargon_in(text), jargon_in(text)


def test_pages_a_reader_opens_first_speak_no_project_jargon():
    pages = [Path(__file__).resolve().parents[1] / "README.md", *sorted(DOCS.glob("*.md"))]
    found = {p.name: jargon_in(p.read_text(encoding="utf-8")) for p in pages}
    assert not any(found.values()), {k: v for k, v in found.items() if v}


@pytest.mark.claim("interp.kernel-range")
def test_findings_page_is_up_to_date(findings_text):
    path = DOCS / "findings.md"
    assert path.is_file(), f"docs/findings.md is missing; {REGENERATE}"
    assert path.read_text(encoding="utf-8") == findings_text, f"docs/findings.md is stale; {REGENERATE}"


def test_findings_cover_f1_to_f9(findings_text):
    assert [f.id for f in FINDINGS] == [f"F{i}" for i in range(1, 12)]  # F10: HOFAR (docs/hofar.md), F11: dense T1
    for f in FINDINGS:
        section = findings_text.split(f"## {f.id} — ", 1)[1].split("\n## ", 1)[0]
        assert "**The paper's statement**" in section and "**docs/theory.md §7:**" in section
        assert "**Corrected statement" in section
        carried = claims_of_finding(f.id)
        if carried:
            assert "**Status:** executable" in section and "**Reproduce:**" in section
            command = re.search(r"```bash\n(\.venv/bin/varcheck (?:repro|verify) [^\n]+)\n```", section).group(1)
            assert all(c.id in command for c in carried) or command.startswith(".venv/bin/varcheck repro ")
            for claim in carried:
                assert f"`{claim.id}`" in section and "this run: as_expected" in section
        else:
            assert "**Status:** not yet executable" in section


@pytest.mark.claim("interp.kernel-range")
def test_findings_embed_exact_counterexamples(findings_text):
    f1 = findings_text.split("## F1 — ", 1)[1].split("\n## ", 1)[0]
    assert "| W(x) | -1/9 |" in f1 and "| weight | -14553/131072 |" in f1
    assert ".venv/bin/varcheck repro interp.kernel-range" in f1


def test_theory_map_places_every_claim():
    text = generated.render_theory_map()
    for claim in registry():
        assert f"[`{claim.id}`](claims.md#" in text, claim.id
    assert "| C3 | naive L_p composition (refuted) |" in text


def test_cli_reference_lists_every_command_and_option():
    from varcheck.cli import build_parser

    text = generated.render_cli_reference()
    for name, sub in generated._subparsers(build_parser()).items():
        assert f"## varcheck {name}" in text
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}`" in text, option


def test_api_reference_lists_the_public_names():
    import varcheck

    text = generated.render_api_reference()
    for name in varcheck.__all__:
        if not name.startswith("__"):
            assert f"`{name}" in text, name
    assert " at 0x" not in text


def _python_blocks(path: Path) -> list:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


@pytest.mark.claim("interp.kernel-range")
@pytest.mark.parametrize("page", ["index.md", "quickstart.md"])
def test_python_examples_of_hand_written_pages_run(page, capsys):
    blocks = _python_blocks(DOCS / page)
    assert blocks
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), {"__name__": "__docs__"})
    out = capsys.readouterr().out
    assert "as_expected" in out or "5/6" in out
