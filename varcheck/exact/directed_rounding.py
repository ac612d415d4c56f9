"""Decimal rounding in a stated direction, so that a printed bound is still a bound.

A certified lower bound γ ≥ 4.20025…·10⁻¹⁰ printed to five digits *to nearest* reads 4.2003·10⁻¹⁰, a
number larger than γ: the printed statement "γ ≥ 4.2003·10⁻¹⁰" is false. Every number varcheck exports
therefore declares its **side** — which rounding keeps its statement true — and is rounded that way:

``"lower"``     a lower bound: printed values are rounded down (towards −∞); for a ball, from its lower end;
``"upper"``     an upper bound: rounded up (towards +∞); for a ball, from its upper end;
``"exact"``     an exact value that bounds nothing (a count, a chosen parameter): printed exactly where it
                can be, and any shorter approximation is rounded to nearest and marked approximate;
``"estimate"``  a value with no guarantee (a ball midpoint, a measured float): rounded to nearest.

A value without a side is refused (:func:`require_side` raises): guessing a direction is how the wrong one
gets printed. All arithmetic here is exact (rationals; arb endpoints are dyadic, read through
``man_exp``), so the rounding holds at any exponent (γ's of the paper construction are below 10⁻¹⁰⁰⁰⁰).
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Integral

from ..errors import VarcheckError, require_int

__all__ = [
    "working_precision",
    "SIDES",
    "DIRECTIONS",
    "require_side",
    "direction_of",
    "to_fraction",
    "ball_endpoint",
    "round_decimal",
    "format_decimal",
    "format_bound",
    "float_toward",
    "ball_string",
    "log10_bound",
]

SIDES = ("lower", "upper", "exact", "estimate")
DIRECTIONS = ("down", "up", "nearest")
_DIRECTION = {"lower": "down", "upper": "up", "exact": "nearest", "estimate": "nearest"}
_LOG10_2 = math.log10(2)


def require_side(side, what: str = "a bound") -> str:
    """Return ``side`` if it is one of :data:`SIDES`; else raise (a bound without a direction is refused)."""
    if not isinstance(side, str) or side not in SIDES:
        raise VarcheckError(f"{what} has no safe side declared: side must be one of "
                            f"{', '.join(repr(s) for s in SIDES)}, got {side!r}.")
    return side


def direction_of(side) -> str:
    """The rounding direction that keeps a value of this side safe: ``down``, ``up`` or ``nearest``."""
    return _DIRECTION[require_side(side)]


def _is_arb(x) -> bool:
    return type(x).__name__ == "arb" and type(x).__module__.startswith("flint")


def _arb_point(x) -> Fraction:
    """The exact dyadic value of an exact arb point (an endpoint or a midpoint)."""
    if not x.is_finite():
        raise VarcheckError(f"ball endpoint must be finite, got {x.str(5, radius=True)}.")
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


def to_fraction(x) -> Fraction:
    """The exact rational value of an int, Fraction, finite float, or exact arb point."""
    if isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, (Integral, Fraction)):
        return Fraction(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise VarcheckError(f"value must be finite to be rounded, got {x!r}.")
        return Fraction(x)
    if _is_arb(x):
        if not x.is_exact():
            raise VarcheckError("an arb ball is not one number: name the end to use (ball_endpoint).")
        return _arb_point(x)
    raise VarcheckError(f"value must be an int, Fraction, float or arb point, got {type(x).__name__}.")


def ball_endpoint(ball, side) -> Fraction:
    """The end of an arb ball that is safe for ``side``: lower end (lower), upper end (upper), else the midpoint."""
    side = require_side(side, "a ball")
    if not _is_arb(ball):
        raise VarcheckError(f"ball must be a python-flint arb, got {type(ball).__name__}.")
    if not ball.is_finite():
        raise VarcheckError(f"ball must be finite, got {ball.str(5, radius=True)}.")
    end = ball.lower() if side == "lower" else ball.upper() if side == "upper" else ball.mid()
    return _arb_point(end)


def _floor_log10(a: Fraction) -> int:
    """⌊log10 a⌋ for a rational a > 0, exactly (an estimate from bit lengths, then corrected)."""
    k = math.floor((a.numerator.bit_length() - a.denominator.bit_length()) * _LOG10_2)
    while _pow10(k) > a:
        k -= 1
    while _pow10(k + 1) <= a:
        k += 1
    return k


def _pow10(k: int) -> Fraction:
    return Fraction(10**k) if k >= 0 else Fraction(1, 10**-k)


def round_decimal(q, digits: int, direction: str) -> tuple:
    """``(M, E)`` with M·10^E the ``digits``-significant-digit decimal next to q in ``direction``.

    ``down``: the largest such decimal ≤ q; ``up``: the smallest ≥ q; ``nearest``: the closest (ties away
    from zero). ``|M|`` has exactly ``digits`` digits, or M = 0 when q = 0.
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise VarcheckError(f"digits must be an integer ≥ 1, got {digits!r}.")
    if direction not in DIRECTIONS:
        raise VarcheckError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}.")
    q = to_fraction(q)
    if q == 0:
        return 0, 0
    a = abs(q)
    E = _floor_log10(a) - (digits - 1)
    scaled = a / _pow10(E)  # in [10^(digits−1), 10^digits)
    away = (direction == "up") == (q > 0)  # rounding |q| away from zero?
    if direction == "nearest":
        M = math.floor(scaled + Fraction(1, 2))
    else:
        M = math.ceil(scaled) if away else math.floor(scaled)
    if M == 10**digits:  # 9.9999… rounded up to 10.000: one more digit of exponent, same value
        M, E = 10 ** (digits - 1), E + 1
    return (M if q > 0 else -M), E


def format_decimal(q, digits: int, direction: str) -> str:
    """q rounded by :func:`round_decimal`, written as ``%g`` would (``4.2002e-10``, ``0.0084954``, ``0``).

    Fixed notation for decimal exponents −4 ≤ e < ``digits``, else ``d.ddde±E``; trailing zeros dropped.
    The text denotes M·10^E exactly (``Fraction(text)`` recovers it).
    """
    return _format_from_digits(round_decimal(q, digits, direction), digits)


def _format_from_digits(rounded: tuple, digits: int) -> str:
    M, E = rounded
    if M == 0:
        return "0"
    sign, text = ("-" if M < 0 else ""), str(abs(M))
    exponent = E + len(text) - 1  # of the leading digit
    if -4 <= exponent < digits:
        if E >= 0:
            body = text + "0" * E
        else:
            body = text.rjust(-E + 1, "0")
            body = body[:E] + "." + body[E:]
            body = body.rstrip("0").rstrip(".")
        return sign + body
    mantissa = (text[0] + "." + text[1:]).rstrip("0").rstrip(".")
    return f"{sign}{mantissa}e{exponent}"


#: Binary exponents beyond which an arb endpoint is rounded in ball arithmetic instead of exact rationals (the
#: rational 10^E of a γ ≈ 10^-300000 costs big-integer divisions of a million digits).
_EXACT_EXPONENT_LIMIT = 4096


class working_precision:
    """Context manager setting flint's working precision (bits), restoring it afterwards."""

    def __init__(self, bits: int):
        self.bits = require_int("precision", bits, minimum=2)

    def __enter__(self):
        from flint import ctx

        self._old = ctx.prec
        ctx.prec = self.bits
        return self

    def __exit__(self, *exc):
        from flint import ctx

        ctx.prec = self._old


def _arb_round_decimal(end, digits: int, direction: str) -> tuple:
    """:func:`round_decimal` of an exact arb point with a huge binary exponent, in ball arithmetic.

    E = ⌊log10 |x|⌋ − (digits − 1) is found from an enclosure of log10 |x| (widened precision until its floor is
    decided); then |x|·10^−E lies in [10^(digits−1), 10^digits) and its floor or ceiling is read off an enclosure
    that is narrowed until it decides that integer — exact, like the rational path, for any exponent."""
    from flint import arb

    negative = end < 0
    a = -end if negative else end
    for prec in (128, 512, 2048, 8192, 32768):
        with working_precision(prec):
            lg = a.log() / arb(10).log()
            lo, hi = int(lg.lower().floor().unique_fmpz()), int(lg.upper().floor().unique_fmpz())
            if hi - lo > 1:
                continue
            E = hi - (digits - 1)
            scaled = a * arb(10) ** (-E)
            low_decade = arb(10) ** (digits - 1)
            if scaled < low_decade:  # log10 |x| < hi: the leading digit is one decade down
                E -= 1
                scaled = a * arb(10) ** (-E)
            elif not scaled >= low_decade:
                continue  # undecided at this precision
            away = (direction == "up") != negative
            if direction == "nearest":
                cand = (scaled + arb(1) / 2).floor()
            else:
                cand = scaled.ceil() if away else scaled.floor()
            if cand.is_exact() and cand.lower() == cand.upper():
                M = int(cand.unique_fmpz())
                if M == 10**digits:
                    M, E = 10 ** (digits - 1), E + 1
                return (-M if negative else M), E
    raise VarcheckError("internal: could not decide a decimal rounding of a ball endpoint")  # pragma: no cover


def format_bound(value, side, digits: int = 5) -> str:
    """A bound as a short decimal on its safe side: an arb ball from the end ``side`` names, a number as is."""
    side = require_side(side)
    if _is_arb(value):
        if not value.is_finite():
            raise VarcheckError(f"ball must be finite, got {value.str(5, radius=True)}.")
        end = value.lower() if side == "lower" else value.upper() if side == "upper" else value.mid()
        _, exp = end.man_exp() if not end.is_zero() else (0, 0)
        if abs(int(exp)) > _EXACT_EXPONENT_LIMIT:
            return _format_from_digits(_arb_round_decimal(end, digits, _DIRECTION[side]), digits)
        q = _arb_point(end)
    else:
        q = to_fraction(value)
    return format_decimal(q, digits, _DIRECTION[side])


def float_toward(q, direction: str):
    """The float64 next to the rational q in ``direction`` (``nearest``: correctly rounded); None outside
    the normal float64 range (a bound that would overflow or underflow is not approximated)."""
    if direction not in DIRECTIONS:
        raise VarcheckError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}.")
    q = to_fraction(q)
    if q == 0:
        return 0.0
    try:
        f = float(q)  # correctly rounded (int true division)
    except OverflowError:
        return None
    if not math.isfinite(f) or abs(f) < 2.2250738585072014e-308:
        return None
    if direction == "down" and Fraction(f) > q:
        f = math.nextafter(f, -math.inf)
    elif direction == "up" and Fraction(f) < q:
        f = math.nextafter(f, math.inf)
    return f if math.isfinite(f) else None


def ball_string(ball) -> str:
    """arb's own decimal enclosure ``[m +/- r]`` (the printed interval contains the ball), 20 digits."""
    return ball.str(20, radius=True)


def log10_bound(ball, side, decimals: int = 1) -> Fraction:
    """A bound on log10 of a positive ball, ``decimals`` places after the point, on ``side``'s safe side.

    ``lower``: ⌊10^decimals·log10(lower end)⌋/10^decimals ≤ log10 x for every x in the ball; ``upper``
    symmetrically; ``estimate``: the midpoint's log10 rounded to nearest. Evaluated in ball arithmetic.
    """
    from flint import arb

    side = require_side(side, "a logarithm")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise VarcheckError(f"decimals must be an integer ≥ 0, got {decimals!r}.")
    end = ball.lower() if side == "lower" else ball.upper() if side == "upper" else ball.mid()
    if not end > 0:
        raise VarcheckError("log10_bound needs a ball whose safe end is positive.")
    scale = 10**decimals
    logs = arb(end).log() / arb(10).log() * scale
    if side == "lower":
        k = int(logs.lower().floor().unique_fmpz())
    elif side == "upper":
        k = int(logs.upper().ceil().unique_fmpz())
    else:
        k = round(float(logs.mid()))
    return Fraction(k, scale)
