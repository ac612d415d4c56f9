"""The records the claim families declare for the reports: derived constants, findings, built-network rows and
plots. The families build them (from varcheck's exact layer, never copied from prose); the report layer renders them
(varcheck.report: constants as TeX macros or JSON, the findings page, docs/networks.md, the HTML report's figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

__all__ = ["Constant", "Finding", "NetworkRow", "Plot"]


@dataclass(frozen=True)
class Constant:
    """One derived constant: its name, value (exact where possible), exactness, meaning, claim and side.

    ``side`` (``lower``/``upper``/``exact``/``estimate``) says which rounding keeps the constant true; it is
    derived for integers and booleans (exact) and must be given otherwise — the renderers refuse a constant without
    it. An inexact ``value`` is what was certified: an arb ball (printed from the end ``side`` names) or a float that
    is itself the bound.
    """

    name: str
    value: object  # int, Fraction, tuple of those, a sympy expression (exact radical), an arb ball or a float bound
    exact: bool
    description: str
    claim: str = ""
    side: str | None = None

    def __post_init__(self):
        if self.side is None and self.exact and _integral(self.value):
            object.__setattr__(self, "side", "exact")  # an integer (a count, a size) is exactly what it says


def _integral(value) -> bool:
    if isinstance(value, (tuple, list)):
        return bool(value) and all(_integral(v) for v in value)
    return isinstance(value, (bool, int))


@dataclass(frozen=True)
class NetworkRow:
    """A built approximator for docs/networks.md: its name and setting, the approximator (with ``summary()`` and
    ``certificate()``), the ε it was built for, and the size of the theory's construction at the same grid."""

    network: str
    setting: str
    approximator: object
    eps: object
    theory: str


@dataclass(frozen=True)
class Finding:
    """A finding of docs/theory.md §7: what the paper says, what docs/theory.md finds, and where it lives."""

    id: str
    title: str
    paper: str  # the statement as the paper gives it (or as docs/theory.md reconstructs it)
    theory: str  # docs/theory.md §7's finding
    corrected: str  # the corrected statement, used when the claims do not carry one
    related: tuple = ()  # claims that show the finding without carrying it
    planned: str = ""  # the claim id docs/theory.md plans for it, when none is registered yet
    figure: str = ""  # a figure of the HTML report that shows it


@dataclass(frozen=True)
class Plot:
    """A figure of the HTML report: a stable name, a caption, and ``draw(ax)`` drawing it on matplotlib axes (the
    report layer owns matplotlib and the rendering)."""

    name: str
    caption: str
    draw: Callable
