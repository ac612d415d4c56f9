"""The claim registry's mechanism: claims, their evidence, the context evidence runs in, and the resolver.

Every statement of the theory is a :class:`Claim` with its evidence: an :class:`EvidenceSpec` binds an evidence
function (a callable taking a :class:`Context` and returning an :class:`EvidenceResult`). varcheck's own claims
bind their functions by reference (varcheck.claims); a claim module outside varcheck may instead name one by a
``"module:function"`` string, which :func:`resolve` imports when the evidence is run.

The registry of every claim (varcheck's families, then every module named in the environment variable
``VARCHECK_CLAIM_MODULES``: comma-separated importable module names, each with a ``CLAIMS`` tuple) is built by
:func:`varcheck.claims.catalog.registry`; that is how a follow-up paper registers its own lemmas without editing
varcheck (docs/tutorial-add-a-lemma.md).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import Callable

from ..errors import VarcheckError

__all__ = [
    "KINDS",
    "VERDICTS",
    "PROFILES",
    "Context",
    "EvidenceSpec",
    "EvidenceResult",
    "Claim",
    "Registry",
    "resolve",
    "function_path",
    "extra_claim_modules",
    "load_claim_module",
    "CLAIM_MODULES_ENV",
]

#: Evidence kinds, from weakest to strongest (docs/design.md: the status of a claim is the highest one
#: whose evidence passed).
KINDS = ("symbolic", "construction", "numeric", "certified")
#: Verdicts an evidence function may return ("error" is assigned by the runner only).
VERDICTS = ("proved", "refuted", "undecided", "passed", "failed", "error")
PROFILES = ("quick", "full")
EXPECTED = ("holds", "refuted")
#: Environment variable naming extra claim modules (comma-separated), loaded after varcheck's own.
CLAIM_MODULES_ENV = "VARCHECK_CLAIM_MODULES"


@dataclass(frozen=True)
class Context:
    """How to run evidence: the profile sets instance sizes and example counts, the seed all randomness."""

    profile: str = "quick"
    seed: int = 0

    def __post_init__(self):
        if self.profile not in PROFILES:
            raise VarcheckError(f"profile must be one of {', '.join(PROFILES)}, got {self.profile!r}.")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise VarcheckError(f"seed must be a non-negative integer, got {self.seed!r}.")

    @property
    def full(self) -> bool:
        return self.profile == "full"

    def pick(self, quick, full):
        """The quick-profile value or the full-profile value."""
        return full if self.full else quick


def _is_reference(value) -> bool:
    """A callable, or a ``"module:attribute"`` string naming one."""
    return callable(value) or (isinstance(value, str) and ":" in value)


def function_path(reference) -> str:
    """``"module:name"`` of a bound function (or the string itself): how reports and docs name it."""
    if isinstance(reference, str):
        return reference
    name = getattr(reference, "__qualname__", None) or getattr(reference, "__name__", None) or repr(reference)
    return f"{getattr(reference, '__module__', '?')}:{name}"


@dataclass(frozen=True)
class EvidenceSpec:
    """One piece of evidence: its kind, its function (a callable, or a ``"module:function"`` string) and what it
    checks."""

    kind: str
    function: object
    description: str

    def __post_init__(self):
        if self.kind not in KINDS:
            raise VarcheckError(f"evidence kind must be one of {', '.join(KINDS)}, got {self.kind!r}.")
        if not _is_reference(self.function):
            raise VarcheckError("evidence function must be a callable or a 'module:attribute' string, got "
                                f"{self.function!r:.80}.")
        if not isinstance(self.description, str):
            raise VarcheckError(f"evidence description must be a string, got {type(self.description).__name__}.")

    @property
    def path(self) -> str:
        """``"module:function"`` of the evidence function."""
        return function_path(self.function)


@dataclass
class EvidenceResult:
    """What an evidence function found.

    ``verdict``: ``proved``/``refuted``/``undecided`` (symbolic) or ``passed``/``failed`` (others);
    an evidence that exhibits a counterexample to its claim returns ``refuted`` with
    ``counterexample`` (exact values as strings). ``observed`` and ``bound`` are the measured quantity
    and what it was compared with (exact strings where exact).
    """

    verdict: str
    detail: str
    observed: object = None
    bound: object = None
    counterexample: dict | None = None
    kind: str = ""
    seconds: float = 0.0

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise VarcheckError(f"verdict must be one of {', '.join(VERDICTS)}, got {self.verdict!r}.")
        if not isinstance(self.detail, str):
            raise VarcheckError(f"detail must be a string, got {type(self.detail).__name__}.")
        if not isinstance(self.kind, str):
            raise VarcheckError(f"kind must be a string, got {type(self.kind).__name__}.")
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, (int, float)) or not self.seconds >= 0:
            raise VarcheckError(f"seconds must be a number ≥ 0, got {self.seconds!r}.")
        if self.counterexample is not None and not isinstance(self.counterexample, dict):
            raise VarcheckError("counterexample must be a dict of exact values or None, got "
                                f"{type(self.counterexample).__name__}.")
        if self.verdict == "refuted" and not self.counterexample:
            raise VarcheckError("a refuted verdict must carry an exact counterexample.")
        if self.counterexample is not None:
            self.counterexample = {str(k): str(v) for k, v in self.counterexample.items()}

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "verdict": self.verdict,
            "detail": self.detail,
            "observed": _jsonable(self.observed),
            "bound": _jsonable(self.bound),
            "seconds": round(self.seconds, 4),
            "counterexample": self.counterexample,
        }


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    return str(value)


@dataclass(frozen=True)
class Claim:
    """A statement of docs/theory.md with its provenance, hypotheses, dependencies and evidence."""

    id: str
    label: str
    title: str
    statement: str
    paper_ref: str
    expected: str
    evidence: tuple
    hypotheses: tuple = ()
    depends_on: tuple = ()
    constants: tuple = ()  # (name, value, derivation) triples
    finding: str | None = None
    corrected: str | None = None  # the corrected statement, for a refuted paper claim
    #: (title, function) pairs, function(ctx) -> (header, rows), shown by `varcheck explain`; the function is a
    #: callable or a "module:function" string.
    tables: tuple = ()
    #: The builder of the standalone snippet of ``varcheck repro`` from this claim's result (function(claim_result)
    #: -> str; a callable or a "module:function" string); without it varcheck writes a generic snippet that replays
    #: the refuting evidence and asserts its exact counterexample.
    repro: object = None
    family: str = field(default="")

    def __post_init__(self):
        for name in ("id", "label", "title", "statement", "paper_ref"):
            if not isinstance(getattr(self, name), str):
                raise VarcheckError(f"claim {name} must be a string, got {type(getattr(self, name)).__name__}.")
        if not self.id.strip():
            raise VarcheckError("claim id must be a non-empty string like 'family.name'.")
        for name in ("finding", "corrected"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise VarcheckError(f"claim {self.id!r}: {name} must be a string or None, got "
                                    f"{type(getattr(self, name)).__name__}.")
        for name in ("evidence", "hypotheses", "depends_on", "constants", "tables"):
            if not isinstance(getattr(self, name), (tuple, list)):
                raise VarcheckError(f"claim {self.id!r}: {name} must be a tuple, got "
                                    f"{type(getattr(self, name)).__name__}.")
        if self.expected not in EXPECTED:
            raise VarcheckError(f"claim {self.id!r}: expected must be 'holds' or 'refuted'.")
        if not self.evidence:
            raise VarcheckError(f"claim {self.id!r}: at least one evidence is required.")
        if not all(isinstance(e, EvidenceSpec) for e in self.evidence):
            raise VarcheckError(f"claim {self.id!r}: evidence must be a tuple of varcheck.EvidenceSpec.")
        if self.expected == "refuted" and not self.corrected:
            raise VarcheckError(f"claim {self.id!r}: a refuted claim must state its corrected version.")
        if self.repro is not None and not _is_reference(self.repro):
            raise VarcheckError(f"claim {self.id!r}: repro must be a callable or 'module:function', got "
                                f"{self.repro!r}.")
        object.__setattr__(self, "family", self.id.split(".")[0])

    @property
    def kinds(self) -> tuple:
        return tuple(k for k in KINDS if any(e.kind == k for e in self.evidence))


class Registry:
    """An ordered collection of claims with unique ids and dependencies that exist."""

    def __init__(self):
        self._claims: dict[str, Claim] = {}

    def register(self, claim: Claim) -> Claim:
        if claim.id in self._claims:
            raise VarcheckError(f"claim id {claim.id!r} is registered twice.")
        self._claims[claim.id] = claim
        return claim

    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self):
        return len(self._claims)

    def __contains__(self, claim_id):
        return claim_id in self._claims

    def ids(self) -> list:
        return list(self._claims)

    def get(self, claim_id: str) -> Claim:
        if not isinstance(claim_id, str):
            raise VarcheckError(f"claim id must be a string, got {type(claim_id).__name__}.")
        try:
            return self._claims[claim_id]
        except KeyError:
            known = ", ".join(self._claims)
            raise VarcheckError(f"unknown claim id {claim_id!r}; known ids: {known}.") from None

    def check_dependencies(self) -> None:
        for claim in self:
            for dep in claim.depends_on:
                if dep not in self._claims:
                    raise VarcheckError(f"claim {claim.id} depends on unknown claim {dep!r}.")


def extra_claim_modules() -> tuple:
    """The module names listed in ``VARCHECK_CLAIM_MODULES`` (comma-separated; blanks ignored)."""
    value = os.environ.get(CLAIM_MODULES_ENV, "")
    return tuple(name.strip() for name in value.split(",") if name.strip())


def load_claim_module(name: str):
    """Import a claim module named in ``VARCHECK_CLAIM_MODULES``; it must define ``CLAIMS``, a tuple of Claims."""
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise VarcheckError(f"claim module {name!r} cannot be imported ({exc}); check {CLAIM_MODULES_ENV} "
                            "and that the module is on the Python path.") from None
    claims = getattr(module, "CLAIMS", None)
    if not isinstance(claims, (tuple, list)) or not all(isinstance(c, Claim) for c in claims):
        raise VarcheckError(f"claim module {name!r} must define CLAIMS, a tuple of varcheck Claim objects.")
    return module


def resolve(reference, what: str = "evidence function") -> Callable:
    """The function a reference names: a callable is itself; a ``"module:attribute"`` string is imported (an
    :class:`EvidenceSpec` resolves its function). The one resolver of claims, tables, repro builders and mutants."""
    if isinstance(reference, EvidenceSpec):
        reference = reference.function
    if callable(reference):
        return reference
    if not isinstance(reference, str) or ":" not in reference:
        raise VarcheckError(f"{what} must be a callable or a 'module:attribute' string, got {reference!r:.80}.")
    module_name, _, attr = reference.partition(":")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise VarcheckError(f"{what} {reference!r} does not exist.") from None
