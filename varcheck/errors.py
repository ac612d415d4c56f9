"""The single domain exception of varcheck.

Every public function validates its arguments up front and raises :class:`VarcheckError` with one
sentence that names the argument and the values it accepts (the einops/Hypothesis habit).
"""

from __future__ import annotations

import math
from numbers import Integral, Real

__all__ = ["VarcheckError", "require_int", "require_choice", "require_finite"]


class VarcheckError(ValueError):
    """Bad input to a varcheck function; the message says what is allowed."""


def require_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise naming ``name`` and the allowed range."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise VarcheckError(f"{name} must be an integer, got {value!r}.")
    value = int(value)
    if minimum is not None and value < minimum:
        upper = f" and ≤ {maximum}" if maximum is not None else ""
        raise VarcheckError(f"{name} must be an integer ≥ {minimum}{upper}, got {value}.")
    if maximum is not None and value > maximum:
        raise VarcheckError(f"{name} must be an integer ≤ {maximum}, got {value}.")
    return value


def require_choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices``, else raise listing them."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise VarcheckError(f"{name} must be one of {allowed}, got {value!r}.")
    return value


def require_finite(name: str, value) -> None:
    """Raise if a real scalar is NaN or infinite."""
    if not isinstance(value, Real) or isinstance(value, bool):
        raise VarcheckError(f"{name} must be a real number, got {value!r}.")
    if isinstance(value, float) and not math.isfinite(value):
        raise VarcheckError(f"{name} must be finite, got {value!r}.")
