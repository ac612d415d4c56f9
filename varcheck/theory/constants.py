"""The plain records the claim families declare for reports: derived constants and built-network rows.

A family builds :class:`Constant` objects from varcheck's exact layer (never copied from prose); the report layer
renders them as TeX macros or JSON (varcheck.report.constants). A :class:`NetworkRow` names one built approximator
of the main theorem beside the size of the theory's construction; the report layer measures and renders it
(docs/networks.md).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Constant", "NetworkRow"]


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
