"""What a sweep's construction is: its parameters (:class:`Param`: name, kind, default, range), its measures (named
groups of typed result columns), its memory estimate and run function (:class:`Construction`), and the registry
the construction modules (varcheck.sweep.contextual, varcheck.sweep.universality) fill when imported.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import VarcheckError

__all__ = ["Param", "Construction", "CONSTRUCTIONS", "STATUSES", "COLUMN_TYPES", "canonical_json", "parse_pyramid",
           "_register"]

#: What a finished point can be: measured, or refused by the construction with its reason.
STATUSES = ("ok", "refused")
_REQUIRED = object()
#: Python types of the result columns (the table's schema is built from them).
COLUMN_TYPES = (int, float, bool, str)


def canonical_json(value) -> str:
    """The canonical JSON text of a JSON-ready value (sorted keys, no spaces, ASCII)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


# --------------------------------------------------------------------------- parameter kinds


def parse_pyramid(value):
    """A pyramid from a spec value: a preset name, sides ``"1-2-4"`` (``"1x2-2x4"`` for h×w scales), or a list."""
    from ..theory.pyramid import Pyramid

    if isinstance(value, str):
        return Pyramid.parse(value)
    if isinstance(value, (list, tuple)):
        return Pyramid([tuple(v) if isinstance(v, list) else v for v in value])
    raise VarcheckError(f"pyramid must be a preset name, a string like '1-2-4', or a list of sides, got {value!r}.")


def _positive_rational(name, value) -> str:
    """A positive rational from a spec number or string ("1/100"), as its exact canonical string."""
    if isinstance(value, bool):
        raise VarcheckError(f"{name} must be a positive number, got {value!r}.")
    try:
        q = Fraction(str(value)) if isinstance(value, (int, float, str)) else None
    except (ValueError, ZeroDivisionError):
        q = None
    if q is None or (isinstance(value, float) and not math.isfinite(value)):
        raise VarcheckError(f"{name} must be a positive number (e.g. 0.01 or '1/100'), got {value!r}.")
    if q <= 0:
        raise VarcheckError(f"{name} must be > 0, got {value!r}.")
    return str(q)


@dataclass(frozen=True)
class Param:
    """One parameter of a construction: ``kind`` is int, choice, bool, rational (> 0), exponent (≥ 1) or pyramid."""

    name: str
    kind: str
    default: object = _REQUIRED
    minimum: int | None = None
    choices: tuple = ()
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def normalize(self, value):
        """The canonical JSON-ready form of a spec value, or a VarcheckError naming the parameter."""
        name = self.name
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise VarcheckError(f"{name} must be an integer, got {value!r}.")
            if self.minimum is not None and value < self.minimum:
                raise VarcheckError(f"{name} must be an integer ≥ {self.minimum}, got {value}.")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise VarcheckError(f"{name} must be one of {', '.join(map(repr, self.choices))}, got {value!r}.")
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise VarcheckError(f"{name} must be true or false, got {value!r}.")
            return value
        if self.kind == "rational":
            return _positive_rational(name, value)
        if self.kind == "exponent":
            if value in ("inf", math.inf):
                raise VarcheckError(f"{name} must be a finite number ≥ 1 (the bad-set accounting needs p < ∞), "
                                    f"got {value!r}.")
            q = Fraction(_positive_rational(name, value))
            if q < 1:
                raise VarcheckError(f"{name} must be a number ≥ 1, got {value!r}.")
            return int(q) if q.denominator == 1 else str(q)
        if self.kind == "pyramid":
            return parse_pyramid(value).label
        raise AssertionError(f"unknown parameter kind {self.kind}")  # pragma: no cover


@dataclass
class Construction:
    """A construction a sweep can measure; see the module docstring."""

    name: str
    summary: str
    params: tuple
    measures: dict  # measure name → tuple of (column, type, meaning)
    default_measures: tuple
    check: object  # (params, measures) → None; raises VarcheckError for an instance refused up front
    memory_bytes: object  # (params, measures) → int, an upper estimate of the point's own allocations
    work: object  # (params) → float, a rough cost used only to submit the largest points first
    run: object  # (params, measures) → dict of column values
    columns: dict = field(init=False)

    def __post_init__(self):
        self.columns = {}
        for group in self.measures.values():
            for column, kind, _ in group:
                if kind not in COLUMN_TYPES:  # pragma: no cover - a programming error
                    raise AssertionError(f"column {column} has type {kind}")
                self.columns[column] = kind

    def param(self, name) -> Param:
        return next(p for p in self.params if p.name == name)

    def normalize(self, raw: dict, seed: int) -> dict:
        """Every parameter in canonical form, defaults filled (``seed`` defaults to the spec's seed)."""
        known = {p.name for p in self.params}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise VarcheckError(f"{self.name} has no parameter {unknown[0]!r}; its parameters are "
                                f"{', '.join(sorted(known))}.")
        out = {}
        for p in self.params:
            if p.name in raw:
                out[p.name] = p.normalize(raw[p.name])
            elif p.name == "seed":
                out[p.name] = seed
            elif p.required:
                raise VarcheckError(f"{self.name} needs the parameter {p.name!r} ({p.doc}).")
            else:
                out[p.name] = p.default
        return out

    def measure_columns(self, measures) -> dict:
        return {c: t for m in measures for c, t, _ in self.measures[m]}


#: name → Construction, filled by :mod:`varcheck.sweep.contextual` and :mod:`varcheck.sweep.universality`.
CONSTRUCTIONS: dict = {}


def _register(c: Construction) -> Construction:
    CONSTRUCTIONS[c.name] = c
    return c
