"""CITATION.cff: valid Citation File Format 1.2.0, the paper under ``references``, consistent versions;
and the README's "How to cite" section."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import varcheck

yaml = pytest.importorskip("yaml", reason="PyYAML is a dev extra (pip install varcheck[dev])")

REPO = Path(__file__).resolve().parents[1]
CFF = REPO / "CITATION.cff"

#: Top-level keys of CFF 1.2.0 (https://citation-file-format.github.io/, schema.json).
CFF_KEYS = {"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
            "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
            "repository-artifact", "repository-code", "title", "type", "url", "version"}
#: Keys of a CFF 1.2.0 reference (definitions/reference).
REFERENCE_KEYS = {"abbreviation", "abstract", "authors", "collection-doi", "collection-title", "collection-type",
                  "commit", "conference", "contact", "copyright", "data-type", "database", "database-provider",
                  "date-accessed", "date-downloaded", "date-published", "date-released", "department", "doi",
                  "edition", "editors", "editors-series", "end", "entry", "filename", "format", "identifiers",
                  "institution", "isbn", "issn", "issue", "issue-date", "issue-title", "journal", "keywords",
                  "languages", "license", "license-url", "loc-end", "loc-start", "location", "medium", "month",
                  "nihmsid", "notes", "number", "number-volumes", "pages", "patent-states", "pmcid", "publisher",
                  "recipients", "repository", "repository-artifact", "repository-code", "scope", "section",
                  "senders", "start", "status", "term", "thesis-type", "title", "translators", "type", "url",
                  "version", "volume", "volume-title", "year", "year-original"}
PERSON_KEYS = {"family-names", "given-names", "name-particle", "name-suffix", "affiliation", "address", "city",
               "country", "email", "orcid", "website", "alias", "region", "post-code", "tel", "fax"}
DOI = re.compile(r"^10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-.()\[\]\\]+$")
DATE = re.compile(r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")
PAPER_AUTHORS = [("Chen", "Yifang"), ("Li", "Xiaoyu"), ("Liang", "Yingyu"), ("Shi", "Zhenmei"), ("Song", "Zhao")]


def _load() -> dict:
    # YAML would turn an unquoted date into a datetime.date; CFF tools cast it back to a string
    data = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _check_authors(authors):
    assert isinstance(authors, list) and authors
    for a in authors:
        if "name" in a:  # an entity
            assert isinstance(a["name"], str) and a["name"].strip()
        else:  # a person
            assert set(a) <= PERSON_KEYS, set(a) - PERSON_KEYS
            assert a.get("family-names") and a.get("given-names")


def test_citation_cff_is_valid_cff_1_2():
    data = _load()
    assert set(data) <= CFF_KEYS, f"unknown CFF keys: {set(data) - CFF_KEYS}"
    assert data["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert data.get(key), f"CFF requires {key}"
    assert data["type"] in ("software", "dataset")
    _check_authors(data["authors"])
    assert isinstance(data["version"], str) and re.fullmatch(r"\d+\.\d+\.\d+\S*", data["version"])
    released = data["date-released"]
    released = released.isoformat() if isinstance(released, date) else released
    assert DATE.match(released)
    assert data["license"] == "MIT"  # as pyproject.toml
    assert all(isinstance(k, str) and k for k in data.get("keywords", []))


def test_version_matches_the_package():
    data = _load()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{data["version"]}"' in pyproject
    assert data["version"] == varcheck.__version__


def test_the_paper_is_referenced():
    refs = _load()["references"]
    assert isinstance(refs, list) and refs
    paper = refs[0]
    assert set(paper) <= REFERENCE_KEYS, set(paper) - REFERENCE_KEYS
    assert paper["type"] == "article"
    assert paper["title"] == "Universal Approximation of Visual Autoregressive Transformers"
    _check_authors(paper["authors"])
    assert [(a["family-names"], a["given-names"]) for a in paper["authors"]] == PAPER_AUTHORS
    assert paper["year"] == 2025 and 1 <= paper["month"] <= 12
    assert DOI.match(paper["doi"]) and paper["doi"] == "10.48550/arXiv.2502.06167"
    ids = {(i["type"], i["value"]) for i in paper["identifiers"]}
    assert ("doi", "10.48550/arXiv.2502.06167") in ids and ("other", "arXiv:2502.06167") in ids
    for ident in paper["identifiers"]:
        assert set(ident) <= {"type", "value", "description"} and ident["type"] in ("doi", "url", "swh", "other")
        if ident["type"] == "doi":
            assert DOI.match(ident["value"])
        if ident["type"] == "url":
            assert ident["value"].startswith("https://")
    assert "Fundamental Limits of Visual Autoregressive Transformers" in paper["notes"]
    assert paper["conference"]["name"] and paper["volume"] == 267


def test_readme_has_how_to_cite():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How to cite", 1)
    assert len(section) == 2, "README.md needs a '## How to cite' section"
    text = section[1]
    assert "CITATION.cff" in text and "2502.06167" in text and "@software{varcheck" in text
    assert "Chen, Yifang and Li, Xiaoyu and Liang, Yingyu and Shi, Zhenmei and Song, Zhao" in text
