"""The machine-readable report of a verification run, and writing reports in any format.

:func:`build_report` turns claim results into a JSON-ready dict whose top-level keys are fixed
(:data:`REPORT_KEYS`); the Markdown and HTML reports render the same dict, so the three formats
never disagree. Everything that varies from run to run — the seconds each claim, evidence and mutant
took — is kept apart under :data:`TIMINGS_KEY`, so that the same seed gives a byte-identical report once
that one field is set aside (:func:`deterministic_part`). :func:`write_report` picks the format from the file
suffix and writes atomically (a temporary file in the target directory, then :func:`os.replace`), so an interrupted
run never leaves half a report behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..errors import VarcheckError
from ..theory.outcomes import summarize
from ..theory.registry import Context
from .environment import environment, varcheck_version
from .timings import TIMINGS_KEY, claim_seconds, deterministic_part, evidence_seconds, mutant_seconds  # noqa: F401

__all__ = [
    "REPORT_KEYS",
    "MUTANTS_KEY",
    "NETWORKS_KEY",
    "TIMINGS_KEY",
    "deterministic_part",
    "claim_seconds",
    "evidence_seconds",
    "mutant_seconds",
    "REPORT_SUFFIXES",
    "build_report",
    "dependencies",
    "render_json",
    "render_report",
    "check_report_path",
    "write_report",
]

#: The top-level keys of a report, in order.
REPORT_KEYS = ("varcheck_version", "profile", "seed", "environment", "claims", "summary", "timings")
#: The key a report adds after :data:`REPORT_KEYS` when mutants ran (``varcheck verify --profile full``):
#: ``{"total", "killed", "survived", "kill_rate", "results", "families_without_mutants"}``.
MUTANTS_KEY = "mutants"
#: The key a report adds (before the timings) when a claim about a built network ran: the networks' size table
#: (varcheck.report.networks), ``{"header": [...], "rows": [[...], ...]}``.
NETWORKS_KEY = "networks"
#: Claims whose runs add the networks table.
NETWORK_CLAIMS = ("ua.word-to-image", "ua.image-to-image-float64", "ua.precision-frontier", "flowar.dense-network")
#: Report formats by file suffix.
REPORT_SUFFIXES = (".json", ".md", ".html")


def build_report(results: list, ctx: Context, mutants: dict | None = None) -> dict:
    """The report of a run: version, profile, seed, environment, one dict per claim (its result, statement and, for a
    claim expected to be refuted, the corrected statement), and the counts.

    ``mutants`` (the :func:`varcheck.claims.mutation.summarize_mutants` dict of a full-profile run) is added
    under :data:`MUTANTS_KEY` after the fixed keys. The seconds of claims, evidence and mutants are moved out of
    them into :data:`TIMINGS_KEY`, so that everything else is a function of the seed.
    """
    timings = {"unit": "seconds", "claims": {}, "mutants": {}}
    claims = []
    for r in results:
        claim = r.to_dict()
        claim["statement"], claim["corrected"] = r.claim.statement, r.claim.corrected
        evidence_times = [e.pop("seconds", None) for e in claim["evidence"]]
        timings["claims"][claim["id"]] = {"total": claim.pop("seconds", None), "evidence": evidence_times}
        claims.append(claim)
    report = {
        "varcheck_version": varcheck_version(),
        "profile": ctx.profile,
        "seed": ctx.seed,
        "environment": environment(),
        "claims": claims,
        "summary": summarize(results),
    }
    if any(r.claim.id in NETWORK_CLAIMS for r in results):
        from .networks import NETWORK_HEADER, network_rows

        report[NETWORKS_KEY] = {"header": list(NETWORK_HEADER),
                                "rows": [[str(row[h]) for h in NETWORK_HEADER] for row in network_rows()]}
    report[TIMINGS_KEY] = timings
    if mutants is not None:
        original, mutants = mutants, dict(mutants)
        mutants["results"] = []
        for m in original.get("results", ()):
            m = dict(m)
            checks = [dict(c) for c in m.get("checks", ())]
            timings["mutants"][m["id"]] = {"total": m.pop("seconds", None),
                                           "checks": [c.pop("seconds", None) for c in checks]}
            m["checks"] = checks
            mutants["results"].append(m)
        report[MUTANTS_KEY] = mutants
    return report


def render_json(report: dict) -> str:
    """The report as indented JSON text (ending with a newline)."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def dependencies(results: list) -> dict:
    """``{claim id: depends_on ids}`` of the claims in ``results`` (the reports' dependency graph)."""
    return {r.claim.id: tuple(r.claim.depends_on) for r in results}


def render_report(results: list, ctx: Context, suffix: str, mutants: dict | None = None) -> str:
    """The report of ``results`` in the format named by ``suffix`` (``.json``, ``.md`` or ``.html``)."""
    report = build_report(results, ctx, mutants)
    if suffix == ".json":
        return render_json(report)
    if suffix == ".md":
        from .markdown import render_markdown

        return render_markdown(report, dependencies(results))
    if suffix == ".html":
        from .html import render_html

        return render_html(report, dependencies(results))
    raise VarcheckError(f"report path must end in .json, .md or .html, got suffix {suffix!r}.")


def check_report_path(path) -> Path:
    """Validate a report path before anything runs: its suffix, and a writable existing directory."""
    path = Path(path)
    if path.suffix not in REPORT_SUFFIXES:
        raise VarcheckError(f"report path must end in .json, .md or .html, got {str(path)!r}.")
    directory = path.parent
    if not directory.is_dir():
        raise VarcheckError(f"report directory {str(directory)!r} does not exist; create it first.")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise VarcheckError(f"report directory {str(directory)!r} is not writable.")
    if path.is_dir():
        raise VarcheckError(f"report path {str(path)!r} is a directory; name a file instead.")
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_report(results: list, ctx: Context, path, mutants: dict | None = None) -> Path:
    """Write the report of ``results`` to ``path`` (format from its suffix), replacing it atomically."""
    path = check_report_path(path)
    text = render_report(results, ctx, path.suffix, mutants)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp's 0600 would make the report private
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise VarcheckError(f"cannot write report {str(path)!r}: {exc.strerror or exc}.") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return path
