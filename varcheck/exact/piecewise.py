"""Exact piecewise polynomials over Q: integrals, L_p distances, composition and push-forward densities.

The composition claims C3/C4 (docs/theory.md §5) compare L_p distances of composed maps on D = [0, 1]. In one
dimension every map involved (grid and ReLU quantizers, tent bumps, piecewise-linear layers) is piecewise
linear with rational breakpoints, and their p-th powers are piecewise polynomials, so every quantity is an
exact rational:

* ∫_a^b c(x) dx for a polynomial c is its antiderivative difference (exact over Q);
* |f|^p for integer p and piecewise-linear f: each linear piece is split at its (rational) zero, where its
  sign is constant, and ∫ (±ℓ)^p is the integral of a polynomial; for even p no split is needed and any
  degree is allowed;
* f∘g for piecewise-linear g: on a piece x ↦ α + βx of g the outer breakpoints y_j pull back to the
  rational points (y_j − α)/β, and between them f∘g is the outer polynomial composed with a linear map;
  a constant piece (β = 0) of g maps the whole piece to one point y₀ and f∘g = f(y₀) there — which is how
  a quantizer's atoms enter;
* the push-forward of Lebesgue measure on [a, b] under piecewise-linear g: a piece with slope β ≠ 0 has
  density 1/|β| on its image (change of variables), a constant piece is an atom of mass equal to its length.
  The density of g#λ is the sum over pieces; its supremum is finite iff g has no constant piece.

A :class:`PiecewisePolynomial` on [a, b] has breakpoints a = x₀ < … < x_n = b and one polynomial per piece
[x_i, x_{i+1}) (the last piece closed), with coefficients in the global variable x, low degree first.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction

from ..errors import VarcheckError, require_int
from .quantizer import exact_rational

__all__ = ["PiecewisePolynomial", "PushForward", "compose", "push_forward", "lp_distance_power"]


# --------------------------------------------------------------------------- polynomials (tuples, low degree first)


def _trim(c) -> tuple:
    c = list(c)
    while len(c) > 1 and c[-1] == 0:
        c.pop()
    return tuple(c) if c else (Fraction(0),)


def _padd(a, b) -> tuple:
    n = max(len(a), len(b))
    return _trim([(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)])


def _pscale(a, s) -> tuple:
    return _trim([s * v for v in a])


def _pmul(a, b) -> tuple:
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, u in enumerate(a):
        if u:
            for j, v in enumerate(b):
                out[i + j] += u * v
    return _trim(out)


def _ppow(a, k: int) -> tuple:
    out = (Fraction(1),)
    for _ in range(k):
        out = _pmul(out, a)
    return out


def _peval(a, x) -> Fraction:
    out = Fraction(0)
    for v in reversed(a):
        out = out * x + v
    return out


def _pcompose_linear(a, alpha, beta) -> tuple:
    """a(α + βx) as a polynomial in x (Horner)."""
    out = (Fraction(0),)
    lin = (Fraction(alpha), Fraction(beta))
    for v in reversed(a):
        out = _padd(_pmul(out, lin), (v,))
    return out


def _pintegral(a, lo, hi) -> Fraction:
    """∫_lo^hi a(x) dx, exactly."""
    return sum((v * (hi ** (i + 1) - lo ** (i + 1)) / (i + 1) for i, v in enumerate(a)), Fraction(0))


# --------------------------------------------------------------------------- the class


class PiecewisePolynomial:
    """A piecewise polynomial on [breaks[0], breaks[-1]] with exact rational breakpoints and coefficients."""

    __slots__ = ("breaks", "polys")

    def __init__(self, breaks, polys):
        breaks = tuple(exact_rational("breaks", b) for b in breaks)
        if len(breaks) < 2 or any(b <= a for a, b in zip(breaks, breaks[1:])):
            raise VarcheckError("breaks must be at least two strictly increasing rationals, got "
                                f"{[str(b) for b in breaks]}.")
        polys = tuple(_trim(tuple(exact_rational("coefficient", v) for v in p)) for p in polys)
        if len(polys) != len(breaks) - 1:
            raise VarcheckError(f"polys must hold one polynomial per piece ({len(breaks) - 1}), got {len(polys)}.")
        self.breaks, self.polys = breaks, polys

    # constructors
    @classmethod
    def linear_interpolant(cls, points) -> "PiecewisePolynomial":
        """The continuous piecewise-linear function through (x, y) points with strictly increasing x."""
        pts = [(exact_rational("x", x), exact_rational("y", y)) for x, y in points]
        if len(pts) < 2:
            raise VarcheckError(f"points must hold at least two (x, y) pairs, got {len(pts)}.")
        polys = []
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            if x1 <= x0:
                raise VarcheckError(f"points must have strictly increasing x, got {x0} then {x1}.")
            slope = (y1 - y0) / (x1 - x0)
            polys.append((y0 - slope * x0, slope))
        return cls([x for x, _ in pts], polys)

    @classmethod
    def step(cls, breaks, values) -> "PiecewisePolynomial":
        """The piecewise-constant function equal to values[i] on [breaks[i], breaks[i+1])."""
        return cls(breaks, [(exact_rational("value", v),) for v in values])

    @classmethod
    def constant(cls, value, lo=0, hi=1) -> "PiecewisePolynomial":
        return cls((lo, hi), ((exact_rational("value", value),),))

    # structure
    @property
    def domain(self) -> tuple:
        return self.breaks[0], self.breaks[-1]

    @property
    def degree(self) -> int:
        return max(len(p) - 1 for p in self.polys)

    def pieces(self):
        """(lo, hi, polynomial) for every piece."""
        return [(a, b, p) for a, b, p in zip(self.breaks, self.breaks[1:], self.polys)]

    def _index(self, x) -> int:
        lo, hi = self.domain
        if not lo <= x <= hi:
            raise VarcheckError(f"x = {x} lies outside the domain [{lo}, {hi}].")
        return min(bisect.bisect_right(self.breaks, x) - 1, len(self.polys) - 1)

    def __call__(self, x) -> Fraction:
        x = exact_rational("x", x)
        return _peval(self.polys[self._index(x)], x)

    def __repr__(self):
        lo, hi = self.domain
        return f"<PiecewisePolynomial on [{lo}, {hi}]: {len(self.polys)} pieces, degree ≤ {self.degree}>"

    def refine(self, points) -> "PiecewisePolynomial":
        """The same function with extra breakpoints (points outside the open domain are ignored)."""
        lo, hi = self.domain
        extra = sorted({exact_rational("point", p) for p in points} - set(self.breaks))
        breaks = sorted(set(self.breaks) | {p for p in extra if lo < p < hi})
        polys = [self.polys[self._index((a + b) / 2)] for a, b in zip(breaks, breaks[1:])]
        return PiecewisePolynomial(breaks, polys)

    # arithmetic on a common refinement
    def _binary(self, other, op) -> "PiecewisePolynomial":
        if not isinstance(other, PiecewisePolynomial):
            other = PiecewisePolynomial.constant(other, *self.domain)
        if other.domain != self.domain:
            raise VarcheckError(f"functions must share a domain, got {self.domain} and {other.domain}.")
        a, b = self.refine(other.breaks), other.refine(self.breaks)
        return PiecewisePolynomial(a.breaks, [op(p, q) for p, q in zip(a.polys, b.polys)])

    def __add__(self, other):
        return self._binary(other, _padd)

    __radd__ = __add__

    def __sub__(self, other):
        return self._binary(other, lambda p, q: _padd(p, _pscale(q, -1)))

    def __neg__(self):
        return PiecewisePolynomial(self.breaks, [_pscale(p, -1) for p in self.polys])

    def __mul__(self, other):
        if isinstance(other, PiecewisePolynomial):
            return self._binary(other, _pmul)
        s = exact_rational("factor", other)
        return PiecewisePolynomial(self.breaks, [_pscale(p, s) for p in self.polys])

    __rmul__ = __mul__

    def power(self, k: int) -> "PiecewisePolynomial":
        k = require_int("k", k, minimum=0)
        return PiecewisePolynomial(self.breaks, [_ppow(p, k) for p in self.polys])

    # integrals
    def integral(self) -> Fraction:
        """∫ f over the domain, exactly."""
        return sum((_pintegral(p, a, b) for a, b, p in self.pieces()), Fraction(0))

    def lp_power(self, p: int) -> Fraction:
        """∫ |f|^p over the domain for an integer p ≥ 1, exactly (odd p: piecewise-linear f only)."""
        p = require_int("p", p, minimum=1)
        if p % 2 == 0:
            return self.power(p).integral()
        if self.degree > 1:
            raise VarcheckError(f"odd p needs a piecewise-linear function (degree ≤ 1), got degree {self.degree}.")
        total = Fraction(0)
        for a, b, c in self.pieces():
            c0, c1 = c[0], (c[1] if len(c) > 1 else Fraction(0))
            cuts = [a, b]
            if c1 != 0 and a < -c0 / c1 < b:
                cuts = [a, -c0 / c1, b]
            for lo, hi in zip(cuts, cuts[1:]):
                sign = 1 if _peval(c, (lo + hi) / 2) >= 0 else -1
                total += _pintegral(_ppow(_pscale(c, sign), p), lo, hi)
        return total

    # piecewise-linear facts
    def _require_linear(self, what):
        if self.degree > 1:
            raise VarcheckError(f"{what} needs a piecewise-linear function (degree ≤ 1), got degree {self.degree}.")

    def slopes(self) -> tuple:
        self._require_linear("slopes")
        return tuple(p[1] if len(p) > 1 else Fraction(0) for p in self.polys)

    def lipschitz(self) -> Fraction:
        """The exact Lipschitz constant of a continuous piecewise-linear function (max |slope|)."""
        self._require_linear("lipschitz")
        for x in self.breaks[1:-1]:
            left = _peval(self.polys[self._index(x) - 1], x)
            if left != self(x):
                raise VarcheckError(f"lipschitz needs a continuous function; it jumps at x = {x}.")
        return max(abs(s) for s in self.slopes())

    def extreme_values(self) -> tuple:
        """(min, max) of a piecewise-linear function (attained at breakpoints or as one-sided limits)."""
        self._require_linear("extreme_values")
        values = [_peval(p, x) for a, b, p in self.pieces() for x in (a, b)]
        return min(values), max(values)

    def sup_abs(self) -> Fraction:
        lo, hi = self.extreme_values()
        return max(abs(lo), abs(hi))


def compose(outer: PiecewisePolynomial, inner: PiecewisePolynomial) -> PiecewisePolynomial:
    """outer ∘ inner for a piecewise-linear ``inner`` whose values lie in outer's domain (see module doc)."""
    if not isinstance(outer, PiecewisePolynomial) or not isinstance(inner, PiecewisePolynomial):
        raise VarcheckError("compose needs two PiecewisePolynomial functions.")
    inner._require_linear("compose (inner function)")
    lo, hi = inner.extreme_values()
    o_lo, o_hi = outer.domain
    if lo < o_lo or hi > o_hi:
        raise VarcheckError(f"inner values [{lo}, {hi}] must lie in the outer domain [{o_lo}, {o_hi}].")
    breaks, polys = [inner.breaks[0]], []
    for a, b, c in inner.pieces():
        alpha, beta = c[0], (c[1] if len(c) > 1 else Fraction(0))
        if beta == 0:
            breaks.append(b)
            polys.append((outer(alpha),))
            continue
        ya, yb = alpha + beta * a, alpha + beta * b
        inside = [y for y in outer.breaks if min(ya, yb) < y < max(ya, yb)]
        cuts = sorted({a, b} | {(y - alpha) / beta for y in inside})
        for x0, x1 in zip(cuts, cuts[1:]):
            mid = alpha + beta * (x0 + x1) / 2
            polys.append(_pcompose_linear(outer.polys[outer._index(mid)], alpha, beta))
            breaks.append(x1)
    return PiecewisePolynomial(breaks, polys)


@dataclass(frozen=True)
class PushForward:
    """The push-forward g#λ of Lebesgue measure on g's domain: atoms (value, mass) and a density on [lo, hi].

    ``density`` is a piecewise-constant :class:`PiecewisePolynomial` (None when g is constant everywhere);
    ``max_density`` is its supremum, or None when there are atoms (no finite density bound ρ exists).
    """

    atoms: tuple
    density: PiecewisePolynomial | None

    @property
    def max_density(self) -> Fraction | None:
        if self.atoms or self.density is None:
            return None
        return max(p[0] for p in self.density.polys)

    @property
    def atom_mass(self) -> Fraction:
        return sum((m for _, m in self.atoms), Fraction(0))


def push_forward(g: PiecewisePolynomial) -> PushForward:
    """Atoms and density of g#λ for piecewise-linear g: ρ(y) = Σ_{pieces with y in the image} 1/|slope|."""
    g._require_linear("push_forward")
    atoms: dict = {}
    images = []
    for a, b, c in g.pieces():
        alpha, beta = c[0], (c[1] if len(c) > 1 else Fraction(0))
        if beta == 0:
            atoms[alpha] = atoms.get(alpha, Fraction(0)) + (b - a)
        else:
            ya, yb = alpha + beta * a, alpha + beta * b
            images.append((min(ya, yb), max(ya, yb), 1 / abs(beta)))
    density = None
    if images:
        ends = sorted({y for lo, hi, _ in images for y in (lo, hi)})
        values = []
        for y0, y1 in zip(ends, ends[1:]):
            mid = (y0 + y1) / 2
            values.append(sum((w for lo, hi, w in images if lo < mid < hi), Fraction(0)))
        density = PiecewisePolynomial.step(ends, values) if len(ends) > 1 else None
    return PushForward(tuple(sorted(atoms.items())), density)


def lp_distance_power(f: PiecewisePolynomial, g: PiecewisePolynomial, p: int) -> Fraction:
    """d_p(f, g)^p = ∫ |f − g|^p over the common domain, exactly."""
    return (f - g).lp_power(p)
