"""Symbolic facts about the Keys cubic kernel W_a (docs/theory.md §2.1, claims I2–I5).

Everything here is exact: polynomials over Q[a, t] (identities are decided by expanding to the
canonical polynomial form), extrema of piecewise polynomials found from the exact real roots of their
derivatives, and signs on intervals decided by root isolation. No floating point enters a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    "NegativeRange",
    "negative_a_range",
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


def _nonnegative_coefficients(expr, *symbols) -> bool:
    """True when ``expr`` is p/q with p, q polynomials in ``symbols`` whose coefficients are all ≥ 0 (so expr ≥ 0
    wherever the symbols are ≥ 0 and q ≠ 0)."""
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    return all(c >= 0 for part in (num, den) for c in sp.Poly(sp.expand(part), *symbols).coeffs())


@dataclass(frozen=True)
class NegativeRange:
    """The range of W_a over R for every a < 0, as sympy expressions in a (docs/theory.md §2.1).

    ``minimum`` at |x| = ``argmin`` for every a < 0; the maximum is 1 at x = 0 for ``branch`` ≤ a < 0 and
    ``maximum_below`` at |x| = ``argmax_below`` for a < ``branch``. ``steps`` names each decided step of the derivation
    with its outcome (True: decided as stated)."""

    minimum: sp.Expr
    argmin: sp.Expr
    branch: sp.Expr
    maximum_below: sp.Expr
    argmax_below: sp.Expr
    steps: tuple

    @property
    def derived(self) -> bool:
        return all(ok for _, ok in self.steps)

    def at(self, a) -> tuple:
        """(min, argmin |x|, max, argmax |x|) of W_a for a rational a < 0, from the derived formulas (Fractions)."""
        a = sp.Rational(a)
        if not a < 0:
            raise ValueError(f"a must be negative, got {a}")
        if a >= self.branch:
            top, where = sp.Integer(1), sp.Integer(0)
        else:
            top, where = self.maximum_below.subs(a_sym, a), self.argmax_below.subs(a_sym, a)
        return tuple(to_fraction(v) for v in (self.minimum.subs(a_sym, a), self.argmin, top, where))


def negative_a_range() -> NegativeRange:
    """Derive the range of W_a over R as a function of a < 0, exactly (sympy; no numeric step).

    1. Outer piece: W_a = a(|x| − 1)(|x| − 2)² on [1, 2], and (x − 1)(x − 2)² has exact range [0, 4/27] on [1, 2]
       (maximum at 4/3), so W_a ∈ [4a/27, 0] there, minimum 4a/27 at |x| = 4/3.
    2. Inner piece: W_a = (1 − x)·((1 − x)(1 + 2x) − a x²) ≥ 0 on [0, 1] for a < 0 (with x = y/(1 + y), a = −b the
       expression has non-negative coefficients in y, b ≥ 0).
    3. W_a − 1 = x²((a + 2)x − (a + 3)); for a = −3 + c, c ≥ 0 (so −3 ≤ a) the bracket is −(c + y)/(1 + y) ≤ 0 at
       x = y/(1 + y): W_a ≤ 1 on [0, 1], equal at x = 0.
    4. For a = −3 − b, b > 0: W_a' = x(3(a + 2)x − 2(a + 3)) vanishes at 0 and x* = 2(a + 3)/(3(a + 2)) = 2b/(3(1 + b))
       ∈ (0, 1); the maximum over [0, 1] is the largest of W(0) = 1, W(1) = 0 and W(x*) = 1 − 4(a + 3)³/(27(a + 2)²)
       = −a²(4a + 9)/(27(a + 2)²) = 1 + 4b³/(27(1 + b)²) > 1.
    5. W_a = 0 for |x| ≥ 2 and W_a is even: the range is [4a/27, 1] for −3 ≤ a < 0 and [4a/27, W(x*)] for a < −3.
    """
    a, x = a_sym, x_sym
    y, b, c = sp.symbols("y b c", nonnegative=True)
    bp = sp.Symbol("b", positive=True)
    inner, outer = inner_piece(a, x), outer_piece(a, x)
    steps = []
    steps.append(("outer piece = a(x − 1)(x − 2)²", sp.expand(outer - a * (x - 1) * (x - 2) ** 2) == 0))
    g_min, _, g_max, g_arg = piecewise_extrema([(sp.Poly((x - 1) * (x - 2) ** 2, x), sp.Integer(1), sp.Integer(2))])
    steps.append(("(x − 1)(x − 2)² on [1, 2] has range [0, 4/27], maximum at 4/3",
                  (g_min, g_max, g_arg) == (0, sp.Rational(4, 27), sp.Rational(4, 3))))
    factored = (1 - x) * ((1 - x) * (1 + 2 * x) - a * x**2)
    steps.append(("inner piece = (1 − x)((1 − x)(1 + 2x) − a x²)", sp.expand(inner - factored) == 0))
    on_unit = {x: y / (1 + y)}
    steps.append(("inner piece ≥ 0 on [0, 1) for a < 0 (x = y/(1+y), a = −b: non-negative coefficients)",
                  _nonnegative_coefficients(inner.subs(on_unit).subs(a, -b), y, b)))
    bracket = (a + 2) * x - (a + 3)
    steps.append(("W_a − 1 = x²((a + 2)x − (a + 3))", sp.expand(inner - 1 - x**2 * bracket) == 0))
    steps.append(("(a + 2)x − (a + 3) ≤ 0 on [0, 1) for a ≥ −3 (a = −3 + c: −bracket has non-negative coefficients)",
                  _nonnegative_coefficients(-bracket.subs(on_unit).subs(a, -3 + c), y, c)))
    critical = sp.solve(sp.diff(inner, x), x)
    x_star = 2 * (a + 3) / (3 * (a + 2))
    steps.append(("W_a' = x(3(a + 2)x − 2(a + 3)) vanishes at 0 and x* = 2(a + 3)/(3(a + 2)) only",
                  sp.expand(sp.diff(inner, x) - x * (3 * (a + 2) * x - 2 * (a + 3))) == 0
                  and {sp.cancel(r) for r in critical} == {sp.Integer(0), sp.cancel(x_star)}))
    below = {a: -3 - bp}
    x_star_b = sp.cancel(x_star.subs(below))
    steps.append(("x* ∈ (0, 1) for a < −3", bool(x_star_b.is_positive) and bool(sp.cancel(1 - x_star_b).is_positive)))
    peak = sp.factor(sp.cancel(inner.subs(x, x_star)))
    closed = -a**2 * (4 * a + 9) / (27 * (a + 2) ** 2)
    steps.append(("W(x*) = 1 − 4(a + 3)³/(27(a + 2)²) = −a²(4a + 9)/(27(a + 2)²)",
                  sp.cancel(peak - closed) == 0
                  and sp.cancel(peak - (1 - 4 * (a + 3) ** 3 / (27 * (a + 2) ** 2))) == 0))
    steps.append(("W(x*) − 1 = 4b³/(27(1 + b)²) > 0 for a = −3 − b, b > 0",
                  sp.cancel(closed.subs(below) - 1 - 4 * bp**3 / (27 * (1 + bp) ** 2)) == 0
                  and bool(sp.cancel(closed.subs(below) - 1).is_positive)))
    steps.append(("W(0) = 1, W(1) = 0, W(2) = 0 identically in a",
                  (sp.expand(inner.subs(x, 0)), sp.expand(inner.subs(x, 1)), sp.expand(outer.subs(x, 2))) == (1, 0, 0)))
    return NegativeRange(sp.Rational(4, 27) * a, sp.Rational(4, 3), sp.Integer(-3), closed, x_star, tuple(steps))


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
