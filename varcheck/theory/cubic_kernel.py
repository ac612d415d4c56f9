"""Symbolic facts about the Keys cubic kernel W_a (docs/theory.md §2.1, claims I2–I5).

Everything here is exact: polynomials over Q[a, t] (identities are decided by expanding to the
canonical polynomial form), extrema of piecewise polynomials found from the exact real roots of their
derivatives, and signs on intervals decided by root isolation. No floating point enters a verdict.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

__all__ = [
    "a_sym",
    "t_sym",
    "x_sym",
    "inner_piece",
    "outer_piece",
    "keys_value",
    "kernel_pieces",
    "piecewise_extrema",
    "sign_on_open_interval",
    "kernel_range",
    "tap_weights",
    "tap_sum_identity",
    "abs_tap_sum_maximum",
    "integer_values",
]

a_sym, t_sym, x_sym = sp.symbols("a t x", real=True)


def inner_piece(a=a_sym, x=x_sym):
    """W_a on |x| ≤ 1: (a+2)|x|³ − (a+3)|x|² + 1."""
    return (a + 2) * x**3 - (a + 3) * x**2 + 1


def outer_piece(a=a_sym, x=x_sym):
    """W_a on 1 < |x| < 2: a|x|³ − 5a|x|² + 8a|x| − 4a."""
    return a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a


def keys_value(a, x):
    """W_a(x) in the arithmetic of ``a`` and ``x`` (Fractions, sympy Rationals, arb balls, …): the inner piece on
    |x| ≤ 1, the outer piece on 1 < |x| < 2, and 0 beyond (the zero of x's type)."""
    x = abs(x)
    if x <= 1:
        return inner_piece(a, x)
    if x < 2:
        return outer_piece(a, x)
    return 0 * x


def kernel_pieces(a):
    """W_a on x ≥ 0 as (polynomial in x, lo, hi) pieces covering [0, 2]; W_a is even and 0 beyond 2."""
    a = sp.Rational(a)
    return [(sp.Poly(inner_piece(a), x_sym), sp.Integer(0), sp.Integer(1)),
            (sp.Poly(outer_piece(a), x_sym), sp.Integer(1), sp.Integer(2))]


def _candidates(poly: sp.Poly, lo, hi):
    """Endpoints and the exact real critical points inside (lo, hi)."""
    points = [lo, hi]
    derivative = poly.diff()
    if not derivative.is_zero:
        points += [r for r in sp.real_roots(derivative) if lo < r < hi]
    return points


def piecewise_extrema(pieces):
    """Exact (min, argmin, max, argmax) of a continuous piecewise polynomial over its pieces' union."""
    best_min = best_max = None
    for poly, lo, hi in pieces:
        for p in _candidates(poly, lo, hi):
            v = sp.nsimplify(poly.eval(p)) if not p.is_Rational else poly.eval(p)
            if best_min is None or v < best_min[0]:
                best_min = (v, p)
            if best_max is None or v > best_max[0]:
                best_max = (v, p)
    return best_min[0], best_min[1], best_max[0], best_max[1]


def sign_on_open_interval(poly: sp.Poly, lo, hi) -> int:
    """The constant sign (+1, −1, or 0 if identically zero) of a polynomial on (lo, hi).

    Decided exactly: no real root lies strictly inside, so the sign is the sign at the midpoint.
    Raises ValueError when a root lies inside (the sign is then not constant).
    """
    if poly.is_zero:
        return 0
    inside = [r for r in sp.real_roots(poly) if lo < r < hi]
    if inside:
        raise ValueError(f"{poly.as_expr()} changes sign at {inside[0]} in ({lo}, {hi})")
    return int(sp.sign(poly.eval((lo + hi) / 2)))


def kernel_range(a):
    """Exact range of W_a over R: (min, argmin |x|, max, argmax |x|). W_a is 0 for |x| ≥ 2."""
    pieces = kernel_pieces(a) + [(sp.Poly(0, x_sym), sp.Integer(2), sp.Integer(3))]
    return piecewise_extrema(pieces)


def tap_weights(a=a_sym, t=t_sym):
    """The four bicubic tap weights at fractional offset t ∈ [0, 1): W(t+1), W(t), W(1−t), W(2−t)."""
    return (outer_piece(a, t + 1), inner_piece(a, t), inner_piece(a, 1 - t), outer_piece(a, 2 - t))


def tap_sum_identity():
    """Σ of the four tap weights minus 1, expanded in Q[a, t]; the zero polynomial proves I2 for all a, t."""
    return sp.Poly(sp.expand(sum(tap_weights()) - 1), a_sym, t_sym)


def abs_tap_sum_maximum(a):
    """Exact max over t ∈ [0, 1] of |W(t+1)| + |W(t)| + |W(1−t)| + |W(2−t)|, with the argmax and the signs used.

    The absolute values are removed with signs proved on (0, 1): the outer pieces are ≤ 0 and the inner
    ones ≥ 0 when a < 0 (each by exact root isolation), so the sum is the polynomial
    −W(t+1) + W(t) + W(1−t) − W(2−t), maximised over [0, 1] from its exact critical points.
    """
    a = sp.Rational(a)
    weights = [sp.Poly(sp.expand(w), t_sym) for w in tap_weights(a, t_sym)]
    signs = [sign_on_open_interval(w, sp.Integer(0), sp.Integer(1)) for w in weights]
    total = sum((s * w for s, w in zip(signs, weights)), sp.Poly(0, t_sym))
    _, _, vmax, targ = piecewise_extrema([(total, sp.Integer(0), sp.Integer(1))])
    return vmax, targ, signs, total


def integer_values(a=a_sym):
    """W_a at the integer offsets −1, 0, 1, 2 used by the paper's integer-offset form (§2.2)."""
    return {m: sp.expand(inner_piece(a, abs(m)) if abs(m) <= 1 else outer_piece(a, abs(m))) for m in (-1, 0, 1, 2)}


def to_fraction(value) -> Fraction:
    """A sympy Rational as a Fraction (raises for irrationals)."""
    value = sp.Rational(value)
    return Fraction(int(value.p), int(value.q))
