"""The findings of the theory's §7 as the claim families declare them: what the paper says, what the theory finds,
and where it lives. The findings page (docs/findings.md, varcheck.report.findings) renders them with the evidence
of the claims that carry them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding"]


@dataclass(frozen=True)
class Finding:
    """A finding of THEORY.md §7: what the paper says, what THEORY.md finds, and where it lives."""

    id: str
    title: str
    paper: str  # the statement as the paper gives it (or as THEORY.md reconstructs it)
    theory: str  # THEORY.md §7's finding
    corrected: str  # the corrected statement, used when the claims do not carry one
    related: tuple = ()  # claims that show the finding without carrying it
    planned: str = ""  # the claim id THEORY.md plans for it, when none is registered yet
    figure: str = ""  # a figure of the HTML report that shows it
