"""Mutants as declared by the claim families: a patched construction and the checks that must catch it.

A **mutant** patches one construction the evidence builds on (the temperature halved, the grid one coarser, a
dropped interpolation tap, …) for as long as it is applied, and names the **checks** that must then stop passing:
an evidence function (or a claim, or a probe with the evidence signature) run at a fixed profile and seed. A mutant
is **killed** when every one of its checks catches it:

* an evidence check catches it when its verdict is one of ``caught_if`` (by default ``failed``, ``refuted`` or
  ``undecided``: the verdicts that make a claim expected to hold unexpected); or, when the check names a
  ``predicate`` (``predicate(result) -> bool``), when that is true;
* a claim check (``claim="id"``) catches it when the claim's outcome is no longer ``as_expected``.

An evidence that raises does not count as catching the mutant unless ``"error"`` is in ``caught_if``: a check that
only crashes on a bug is not a check that finds it. Functions are bound by reference (a callable) or, for a module
outside varcheck, by a ``"module:function"`` string. Applying and running mutants is varcheck.claims.mutation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import VarcheckError, require_int, shown
from .registry import PROFILES, VERDICTS, function_path

__all__ = ["FAILING", "Check", "Mutant"]

#: Verdicts that make a claim expected to hold fail: the default ways a check catches a mutant.
FAILING = ("failed", "refuted", "undecided")


def _reference(value) -> bool:
    return callable(value) or (isinstance(value, str) and ":" in value)


@dataclass(frozen=True)
class Check:
    """What must catch a mutant: an evidence function or a whole claim.

    Exactly one of ``evidence`` (a callable or ``"module:function"``) and ``claim`` (an id) is given. The evidence
    runs at ``profile`` and ``seed`` (fixed, so that a kill rate is reproducible whatever seed ``varcheck verify``
    was given).
    """

    evidence: object = None
    profile: str = "quick"
    seed: int = 0
    caught_if: tuple = FAILING
    predicate: object = None  # predicate(EvidenceResult) -> bool: caught when true (callable or "module:function")
    claim: str | None = None

    def __post_init__(self):
        if (self.evidence is None) == (self.claim is None):
            raise VarcheckError("a mutant check names exactly one of evidence= and claim=.")
        if self.evidence is not None and not _reference(self.evidence):
            raise VarcheckError(f"check evidence must be a callable or 'module:function', got {shown(self.evidence)}.")
        if self.claim is not None and not isinstance(self.claim, str):
            raise VarcheckError(f"check claim must be a claim id (a string), got {shown(self.claim)}.")
        if self.predicate is not None and not _reference(self.predicate):
            raise VarcheckError("check predicate must be a callable or 'module:function', got "
                                f"{shown(self.predicate)}.")
        if not isinstance(self.profile, str) or self.profile not in PROFILES:
            raise VarcheckError(f"check profile must be one of {', '.join(PROFILES)}, got {shown(self.profile)}.")
        object.__setattr__(self, "seed", require_int("check seed", self.seed, minimum=0))
        if (not isinstance(self.caught_if, (tuple, list)) or not self.caught_if
                or not all(isinstance(v, str) and v in VERDICTS for v in self.caught_if)):
            raise VarcheckError(f"check caught_if must be a non-empty tuple of verdicts ({', '.join(VERDICTS)}), "
                                f"got {shown(self.caught_if)}.")
        object.__setattr__(self, "caught_if", tuple(self.caught_if))

    @property
    def target(self) -> str:
        return function_path(self.evidence) if self.evidence is not None else f"claim {self.claim}"

    @property
    def caught_when(self) -> str:
        if self.claim is not None:
            return "outcome not as_expected"
        if self.predicate is not None:
            return f"{function_path(self.predicate).rpartition(':')[2]}(result)"
        return "verdict in " + "/".join(self.caught_if)


@dataclass(frozen=True)
class Mutant:
    """A patched construction (``apply(patcher)``) and the checks that must catch it."""

    id: str
    claims: tuple
    description: str
    apply: Callable
    checks: tuple
    family: str = field(default="")

    def __post_init__(self):
        if not isinstance(self.id, str) or "." not in self.id:
            raise VarcheckError(f"mutant id must be 'family.name', got {shown(self.id)}.")
        if (not isinstance(self.claims, (tuple, list)) or not self.claims
                or not all(isinstance(c, str) for c in self.claims)):
            raise VarcheckError(f"mutant {self.id}: claims must be a non-empty tuple of claim ids, got "
                                f"{shown(self.claims)}.")
        if (
            not isinstance(self.checks, (tuple, list))
            or not self.checks
            or not all(isinstance(c, Check) for c in self.checks)
        ):
            raise VarcheckError(f"mutant {self.id}: checks must be a non-empty tuple of varcheck.Check, got "
                                f"{shown(self.checks)}.")
        if not isinstance(self.description, str):
            raise VarcheckError(f"mutant {self.id}: description must be a string, got {shown(self.description)}.")
        if not callable(self.apply):
            raise VarcheckError(f"mutant {self.id}: apply must be a function of the patcher, got {shown(self.apply)}.")
        object.__setattr__(self, "family", self.id.split(".")[0])
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "checks", tuple(self.checks))
