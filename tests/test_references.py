"""Every reference to a project document resolves inside the repository.

Scanned: every tracked or untracked-but-not-ignored text file (code, docs, notebooks, specs), the claim registry's
strings (paper references, statements, hypotheses, constants, corrected statements, evidence descriptions), and the
pages varcheck generates at run time — a Markdown and an HTML report and the atlas of a tiny sweep.

A reference is

* a document path, ``docs/NAME.md`` or ``proofs/NAME.py`` (relative to the repository root), which must be a file;
* a section, ``docs/NAME.md §6.1`` (a range ``§1–2`` names both ends), which must be a numbered heading of that file
  (``## 6. …`` or ``### 6.1 …``, outside code fences) — the syntax docs/theory.md documents at its top;
* a Markdown link in a ``.md`` file, ``[text](target#anchor)``, whose target must be a file relative to the page and
  whose anchor, on a Markdown target, must be an ``<a id=…>`` or a heading of it.

The specification files that lived outside the repository have no place in it: their names (and the bare words
that stood for them) fail the test wherever they appear.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

import varcheck
from varcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
THIS = Path(__file__).resolve()
TEXT_SUFFIXES = {".py", ".md", ".toml", ".json", ".cff", ".sh", ".txt", ".cfg", ".ini", ".yml", ".yaml", ".html",
                 ".ipynb", ".rst", ""}
#: Names of the external specification files, spelled so that this file does not contain them.
_SPEC = "THEORY"
FORBIDDEN = re.compile("|".join((
    _SPEC + r"\.md", "DESIGN" + r"\.md", "VAR_" + "FACTS",  # the files, with or without their suffix
    r"\b" + _SPEC + r"\b", r"\bDESIGN\b",  # the bare words that stood for them ("THEORY §6.1", "THEORY's")
)))
_NUMBER = r"\d+(?:\.\d+)*"
SECTION = re.compile(rf"(?<![\w/.-])(docs/[\w-]+\.md) §({_NUMBER})(?:[–-]({_NUMBER}))?")
DOC_PATH = re.compile(r"(?<![\w/.-])((?:docs|proofs)/[\w-]+(?:/[\w-]+)*\.(?:md|py))(?![\w/-])")
MD_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
NUMBERED = re.compile(rf"^({_NUMBER})\.?(?:\s|$)")
ANCHOR_ID = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")


# --------------------------------------------------------------------------- the resolver


def _lines_outside_fences(text: str):
    fence = None
    for line in text.splitlines():
        stripped = line.lstrip()
        if fence is None and (stripped.startswith("```") or stripped.startswith("~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None:
            yield line


def headings(text: str) -> list:
    """The titles of a Markdown text's headings, code fences excluded."""
    return [m.group(1) for m in map(HEADING.match, _lines_outside_fences(text)) if m]


def section_numbers(text: str) -> set:
    """The section numbers its headings carry literally ("## 6. The main theorem" → "6", "### 6.1 …" → "6.1")."""
    return {m.group(1) for m in map(NUMBERED.match, headings(text)) if m}


def slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    title = re.sub(r"<[^>]+>", "", title).replace("`", "").replace("*", "").lower()
    kept = "".join(c for c in title if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(text: str) -> set:
    return {slug(t) for t in headings(text)} | set(ANCHOR_ID.findall(text))


class Resolver:
    """Resolves references against a repository root, reading each target once."""

    def __init__(self, root: Path):
        self.root = root
        self._texts = {}

    def text(self, path: Path) -> str:
        if path not in self._texts:
            self._texts[path] = path.read_text(encoding="utf-8")
        return self._texts[path]

    def problems(self, text: str, where: str, page: Path | None = None) -> list:
        """Every dangling reference in ``text`` (``page``: the Markdown file it is, for relative links)."""
        found = [f"{where}: mentions {m.group(0)!r}, which is outside the repository"
                 for m in FORBIDDEN.finditer(text)]
        for m in DOC_PATH.finditer(text):
            if not (self.root / m.group(1)).is_file():
                found.append(f"{where}: {m.group(1)} does not exist")
        for m in SECTION.finditer(text):
            path = self.root / m.group(1)
            if not path.is_file():
                continue  # reported as a missing file above
            numbers = section_numbers(self.text(path))
            for number in filter(None, m.groups()[1:]):
                if number not in numbers:
                    found.append(f"{where}: {m.group(1)} has no section §{number} (in {m.group(0)!r})")
        if page is not None:
            found += self._link_problems(text, where, page)
        return found

    def _link_problems(self, text: str, where: str, page: Path) -> list:
        found = []
        for m in MD_LINK.finditer(text):
            target = m.group(1)
            if re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue  # a URL (http:, mailto:, data:)
            path_part, _, anchor = target.partition("#")
            path = (page.parent / path_part).resolve() if path_part else page
            if not path.is_file():
                found.append(f"{where}: link {target!r} points to a missing file")
            elif anchor and path.suffix == ".md" and anchor not in anchors(self.text(path)):
                found.append(f"{where}: link {target!r} names no heading or anchor of {path.name}")
        return found


def repository_files(root: Path) -> list:
    """Tracked and untracked-but-not-ignored files (every file of the tree when git is unavailable)."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=root,
                             capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
        paths = [root / p for p in out.split("\0") if p]
    except (OSError, subprocess.SubprocessError):
        skip = {".git", ".venv", "build", "dist", "__pycache__", ".hypothesis", ".pytest_cache"}
        paths = [p for p in root.rglob("*") if not skip & set(p.relative_to(root).parts)]
    return sorted(p for p in paths if p.is_file() and p.suffix in TEXT_SUFFIXES and p.resolve() != THIS)


RESOLVER = Resolver(ROOT)


# --------------------------------------------------------------------------- the resolver itself


def _toy_repo(tmp_path: Path) -> Resolver:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "toy.md").write_text(
        "# Toy\n\n## 1. One\n\n### 1.2 One two\n\n```text\n## 7. inside a fence\n```\n\n<a id=\"here\"></a>\n",
        encoding="utf-8")
    return Resolver(tmp_path)


def test_resolver_accepts_existing_sections_files_and_anchors(tmp_path):
    toy = _toy_repo(tmp_path)
    page = tmp_path / "docs" / "page.md"
    text = ("docs/toy.md §1, docs/toy.md §1.2's point, docs/toy.md §1–1.2 and docs/toy.md §1.2. "
            "[a](toy.md#1-one) [b](toy.md#here) [c](https://example.org/x.md)")
    assert toy.problems(text, "page", page) == []


@pytest.mark.parametrize("text, expected", [
    ("see docs/toy.md §7", "has no section §7"),  # a heading inside a code fence does not count
    ("see docs/toy.md §1.3", "has no section §1.3"),
    ("docs/toy.md §1–2", "has no section §2"),
    ("see docs/missing.md §1", "docs/missing.md does not exist"),
    ("proofs/none.py", "proofs/none.py does not exist"),
    ("[x](nothere.md)", "points to a missing file"),
    ("[x](toy.md#two)", "names no heading or anchor"),
    (_SPEC + ".md §6.1", "outside the repository"),
    ("as " + _SPEC + " §4 says", "outside the repository"),
    ("VAR_" + "FACTS", "outside the repository"),
])
def test_resolver_rejects_dangling_references(tmp_path, text, expected):
    problems = _toy_repo(tmp_path).problems(text, "page", tmp_path / "docs" / "page.md")
    assert len(problems) == 1 and expected in problems[0], problems


def test_section_numbers_and_slugs():
    text = "# T\n## 0. Conventions (fixed)\n### 2.1 Kernels and 1-D operators\n## What is a restatement\n"
    assert section_numbers(text) == {"0", "2.1"}
    assert slug("F10 — HOFAR's corollary: `hofar.*`") == "f10--hofars-corollary-hofar"


# --------------------------------------------------------------------------- the repository


def test_theory_documents_exist_with_their_sections():
    numbers = section_numbers(RESOLVER.text(ROOT / "docs" / "theory.md"))
    assert {"0", "1", "2", "2.1", "2.2", "2.3", "2.4", "3", "3.1", "3.2", "3.3", "4", "5", "6", "6.1", "6.2", "6.3",
            "6.4", "7"} <= numbers
    assert (ROOT / "docs" / "var-facts.md").is_file() and (ROOT / "docs" / "design.md").is_file()


def test_every_claim_is_in_the_theory_document():
    text = RESOLVER.text(ROOT / "docs" / "theory.md")
    missing = [c.id for c in varcheck.registry() if f"`{c.id}`" not in text]
    assert not missing, f"docs/theory.md does not state the claims {missing}"


@pytest.mark.parametrize("path", repository_files(ROOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_file_references_resolve(path):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        pytest.skip(f"{path.name} is not UTF-8 text")
    page = path if path.suffix == ".md" else None
    problems = RESOLVER.problems(text, str(path.relative_to(ROOT)), page)
    assert not problems, "\n".join(problems)


def _claim_strings(claim) -> list:
    strings = [claim.title, claim.statement, claim.paper_ref, claim.corrected or "", *claim.hypotheses]
    strings += [str(part) for constant in claim.constants for part in constant]
    strings += [e.description for e in claim.evidence]
    return strings


@pytest.mark.parametrize("claim", list(varcheck.registry()), ids=lambda c: c.id)
def test_registry_references_resolve(claim):
    problems = RESOLVER.problems("\n".join(_claim_strings(claim)), f"claim {claim.id}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- generated pages

#: A sweep whose points take seconds in all and give the atlas a row for every growth law.
TINY_SWEEP = {"name": "references", "study": [
    {"name": "cm", "construction": "contextual_mapping",
     "grid": {"variant": ["tight", "paper"], "G": [2, 3], "n": [2, 3]}},
    {"name": "t2", "construction": "word_to_image", "measures": ["size"],
     "grid": {"pyramid": "var256", "d": 1, "eps": [0.1, 0.05, 0.02]}},
    {"name": "t1", "construction": "image_to_image", "measures": ["size"],
     "grid": {"pyramid": "1-2", "eps": [0.25, 0.1, 0.05]}},
]}


@pytest.fixture(scope="module")
def generated_pages(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("references")
    pages = {}
    for suffix in ("md", "html"):
        report = out / f"report.{suffix}"
        assert main(["verify", "interp.kernel-range", "--report", str(report)]) == 0
        pages[f"report.{suffix}"] = report.read_text(encoding="utf-8")
    spec = out / "spec.json"
    spec.write_text(json.dumps(TINY_SWEEP), encoding="utf-8")
    assert main(["sweep", str(spec), "--out", str(out / "sweep"), "--executor", "serial", "--no-progress"]) == 0
    assert main(["atlas", str(out / "sweep"), "--report", str(out / "atlas.html")]) == 0
    pages["atlas.html"] = (out / "atlas.html").read_text(encoding="utf-8")
    laws = (out / "sweep" / "growth_laws.json").read_text(encoding="utf-8")
    assert {law["law"] for law in json.loads(laws)} >= {"tight-gamma", "paper-gamma", "t1-params", "t2-params"}
    pages["growth_laws.json"] = laws
    return pages


@pytest.mark.parametrize("name", ["report.md", "report.html", "atlas.html", "growth_laws.json"])
def test_generated_page_references_resolve(generated_pages, name):
    text = generated_pages[name]
    if name.endswith(".html"):
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    assert len(text) > 200, f"{name} is unexpectedly short"
    problems = RESOLVER.problems(text, name)
    assert not problems, "\n".join(problems)
