"""The single domain exception of varcheck.

Every public function validates its arguments up front and raises :class:`VarcheckError` with one
sentence that names the argument and the values it accepts (the einops/Hypothesis habit).
"""

from __future__ import annotations

import math
import os
import re
from fractions import Fraction
from numbers import Integral, Rational, Real
from pathlib import Path

__all__ = ["VarcheckError", "require_int", "require_choice", "require_finite", "shown", "require_rational_text",
           "require_positive_rational", "require_exponent", "MAX_TEXT_EXPONENT", "closest", "approximate_count",
           "power_text", "require_output_directory"]

#: Largest decimal exponent accepted in a number written as text: ``Fraction("1e999999999")`` would build a
#: 10⁹-digit integer (minutes and gigabytes); 4300 is Python's own limit on integer digits in text.
MAX_TEXT_EXPONENT = 4300


class VarcheckError(ValueError):
    """Bad input to a varcheck function; the message says what is allowed."""


def shown(value) -> str:
    """``repr(value)`` for a message, shortened: an enormous integer (whose decimal form Python refuses to
    build beyond 4300 digits) is described by its size, any other long repr is cut at 80 characters."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"an integer of {value.bit_length()} bits"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a repr that fails must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def require_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise naming ``name`` and the allowed range."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise VarcheckError(f"{name} must be an integer, got {shown(value)}.")
    value = int(value)
    if minimum is not None and value < minimum:
        upper = f" and ≤ {maximum}" if maximum is not None else ""
        raise VarcheckError(f"{name} must be an integer ≥ {minimum}{upper}, got {shown(value)}.")
    if maximum is not None and value > maximum:
        raise VarcheckError(f"{name} must be an integer ≤ {maximum}, got {shown(value)}.")
    return value


def require_choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices``, else raise listing them."""
    try:
        known = any(isinstance(value, type(c)) and bool(value == c) for c in choices)
    except (TypeError, ValueError):  # e.g. an array, whose == is elementwise
        known = False
    if not known:
        allowed = ", ".join(repr(c) for c in choices)
        raise VarcheckError(f"{name} must be one of {allowed}, got {shown(value)}.")
    return value


def require_finite(name: str, value) -> None:
    """Raise if a real scalar is NaN or infinite."""
    if not isinstance(value, Real) or isinstance(value, bool):
        raise VarcheckError(f"{name} must be a real number, got {shown(value)}.")
    if isinstance(value, float) and not math.isfinite(value):
        raise VarcheckError(f"{name} must be finite, got {value!r}.")


_EXPONENT = re.compile(r"[eE]\s*[+-]?\s*(\d+)")


def require_rational_text(name: str, text: str) -> str:
    """Return ``text`` if its decimal exponent and length are within :data:`MAX_TEXT_EXPONENT`, else raise."""
    match = _EXPONENT.search(text)
    huge_exponent = match and (len(match.group(1)) > 5 or int(match.group(1)) > MAX_TEXT_EXPONENT)
    if len(text) > MAX_TEXT_EXPONENT or huge_exponent:
        raise VarcheckError(f"{name} must be a number with a decimal exponent of at most {MAX_TEXT_EXPONENT} in "
                            f"magnitude, got {shown(text)}.")
    return text


def _from_sympy(value) -> bool:
    return type(value).__module__.partition(".")[0] == "sympy"


def require_positive_rational(name: str, value) -> Fraction:
    """``value`` as an exact Fraction > 0 — an int, Fraction, finite float (taken exactly) or rational text such as
    ``"1/100"`` or ``"1e-2"`` — or raise naming ``name`` (the one check of ε, L and the other positive budgets)."""
    message = f"{name} must be a finite number > 0 (a rational such as 0.01, 1e-2 or 1/100), got {shown(value)}."
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise VarcheckError(message)
    try:
        if isinstance(value, (Rational, float)):
            exact = Fraction(value)
        else:
            exact = Fraction(require_rational_text(name, value.strip() if isinstance(value, str) else str(value)))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise VarcheckError(message) from None
    if exact <= 0:
        raise VarcheckError(message)
    return exact


def require_exponent(name: str, value, *, minimum: int = 1):
    """A norm exponent (p, α, β): ``math.inf`` for ∞ (``math.inf``, ``"inf"``, ``"∞"``, ``sympy.oo``), else an
    exact Fraction ≥ ``minimum`` (from a number or rational text), or raise naming ``name``."""
    message = f"{name} must be a number ≥ {minimum} or inf, got {shown(value)}."
    if isinstance(value, str) and value.strip().lower() in ("inf", "infinity", "∞"):
        return math.inf
    if (isinstance(value, float) and value == math.inf) or (_from_sympy(value) and value.is_infinite and value > 0):
        return math.inf
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise VarcheckError(message)
    try:
        if isinstance(value, (Rational, float)):
            exact = Fraction(value)
        elif isinstance(value, str) or (_from_sympy(value) and value.is_Rational):
            exact = Fraction(require_rational_text(name, str(value).strip()))
        else:
            raise TypeError
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise VarcheckError(message) from None
    if exact < minimum:
        raise VarcheckError(message)
    return exact
def closest(name: str, choices) -> str | None:
    """The choice nearest to a misspelled ``name`` (difflib's ratio ≥ 0.6), or None (also for a name of over 200
    characters, which is no misspelling)."""
    import difflib

    if len(str(name)) > 200:
        return None

    match = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return match[0] if match else None


def _log10(value: int) -> float:
    shift = max(value.bit_length() - 64, 0)
    return math.log10(value >> shift) + shift * math.log10(2)


def _scientific(log10: float) -> str:
    exponent = math.floor(log10)
    mantissa = 10 ** (log10 - exponent)
    if mantissa >= 9.995:  # 9.996·10^e would print as 10.00·10^e
        mantissa, exponent = 1.0, exponent + 1
    return f"≈ {mantissa:.2f}·10^{exponent}"


def approximate_count(value: int) -> str:
    """A non-negative integer for a message: exact up to 12 digits, else ``≈ m.mm·10^e`` (never thousands of digits)."""
    value = int(value)
    return str(value) if value < 10**12 else _scientific(_log10(value))


def power_text(symbol: str, base: int, exponent: int) -> str:
    """``symbol = base^exponent = value`` for a message, or with an enormous base or value
    ``symbol ≈ m.mm·10^e (base ≈ …, exponent n)``, computed from logarithms (the power itself is never built)."""
    base, exponent = int(base), int(exponent)
    if base < 2 or _log10(base) * exponent < 12:
        return f"{symbol} = {base}^{exponent} = {base ** exponent}"
    return f"{symbol} {_scientific(_log10(base) * exponent)} (base {approximate_count(base)}, exponent {exponent})"


def require_output_directory(out_dir, force: bool = False):
    """``out_dir`` (a ``--out`` argument) as a created, writable directory (missing parents are made); a file in the
    way is refused, and so is a non-empty directory unless ``force``: nothing a user wrote is overwritten silently."""
    path = Path(out_dir)
    if path.exists() and not path.is_dir():
        raise VarcheckError(f"--out {str(path)!r} exists and is not a directory.")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise VarcheckError(f"--out {str(path)!r} is not empty; choose another directory or pass --force to overwrite.")
    # missing parents are created (nothing existing is touched); a file in the way is refused
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise VarcheckError(f"--out {str(path)!r} lies under {str(parent)!r}, which is a file, not a "
                                    "directory.")
            break
    path.mkdir(parents=True, exist_ok=True)
    if not os.access(path, os.W_OK):
        raise VarcheckError(f"--out {str(path)!r} is not writable.")
    return path
