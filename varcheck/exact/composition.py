"""Exact one-dimensional instances of the composition claims C3 and C4 (docs/theory.md §5), over Q.

**C3's counterexample.** D = [0, 1] with Lebesgue measure. f₁ = g₁ = an inner map whose push-forward has
atoms: the grid quantizer q (varcheck.exact.quantizer.grid_quantize, values g/G) or the ReLU quantizer Q_η
of P2 (equal to q off slabs of total length (G−1)η). f₂ = 0 and g₂ = Σ_g H·tent((y − g/G)/w), tents of
height H and half-width w ≤ 1/(2G) at the grid values. Then

    d_p(f₂, g₂)^p = H^p·(2G − 1)·w/(p + 1)   (G − 1 full tents and the half tent at y = 0),
    d_p(f₂∘f₁, g₂∘g₁)^p = H^p                (q maps every X onto a tent's peak),

while Lip(f₂)·d_p(f₁, g₁) = 0. The "naive" bound H((2G − 1)w/(p + 1))^{1/p} is below H for every admissible
w (≤ 1/(2G)), and tends to 0 as w → 0. Every number is computed by the exact piecewise integrator
(varcheck.exact.piecewise), independently of the closed form, which the symbolic evidence derives.

**The interpolation-layer variant.** Up-sampling a single token copies it: X ↦ (X, X) ∈ [0,1]². A ridge
g₂(y₁, y₂) = H·max(0, 1 − |y₁ − y₂|/w) has ∫∫|g₂|^p = H^p·∫_{−1}^{1} tent_w(s)^p (1 − |s|) ds → 0, while
g₂(X, X) = H for every X. The push-forward of the copy map is singular (it lives on the diagonal).

**C4's instances.** For piecewise-linear g₁ without constant pieces, g₁#λ has the exact piecewise-constant
density ρ(y) = Σ 1/|slope| over the pieces whose image contains y (varcheck.exact.piecewise.push_forward);
everything else is an exact L_p integral of a piecewise polynomial.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import VarcheckError, require_int
from ..theory.composition import lp_bound_holds, lp_bound_ratio
from .piecewise import PiecewisePolynomial, compose, lp_distance_power, push_forward
from .quantizer import ReluQuantizer, exact_rational

__all__ = [
    "grid_quantizer_function",
    "relu_quantizer_function",
    "tent_bumps",
    "NaiveLpInstance",
    "naive_lp_instance",
    "ridge_instance",
    "LpCompositionInstance",
    "lp_composition_instance",
    "random_piecewise_linear",
    "tight_density_instance",
]

_ZERO, _ONE = Fraction(0), Fraction(1)


def grid_quantizer_function(G: int) -> PiecewisePolynomial:
    """q(t) = min(⌊tG⌋, G−1)/G on [0, 1] (docs/theory.md §4's clipped grid quantizer) as a step function."""
    G = require_int("G", G, minimum=1)
    return PiecewisePolynomial.step([Fraction(g, G) for g in range(G + 1)], [Fraction(g, G) for g in range(G)])


def relu_quantizer_function(G: int, eta) -> PiecewisePolynomial:
    """The ReLU quantizer Q_η of P2 on [0, 1], continuous piecewise linear through its breakpoints."""
    Q = ReluQuantizer(G, eta)
    pts = sorted({_ZERO, _ONE} | {x for x in Q.breakpoints() if 0 < x < 1})
    return PiecewisePolynomial.linear_interpolant([(x, Q(x)) for x in pts])


def tent_bumps(centres, half_width, height, lo=0, hi=1) -> PiecewisePolynomial:
    """Σ_c H·max(0, 1 − |y − c|/w) on [lo, hi]; tents must not overlap (centres ≥ 2w apart)."""
    w, H = exact_rational("half_width", half_width), exact_rational("height", height)
    lo, hi = exact_rational("lo", lo), exact_rational("hi", hi)
    if w <= 0:
        raise VarcheckError(f"half_width must be positive, got {w}.")
    cs = sorted(exact_rational("centre", c) for c in centres)
    if any(not lo <= c <= hi for c in cs):
        raise VarcheckError(f"centres must lie in [{lo}, {hi}], got {[str(c) for c in cs]}.")
    if any(b - a < 2 * w for a, b in zip(cs, cs[1:])):
        raise VarcheckError(f"tents of half_width {w} overlap: centres must be at least {2 * w} apart.")

    def value(y):
        return sum((H * max(_ZERO, 1 - abs(y - c) / w) for c in cs), _ZERO)

    pts = sorted({lo, hi} | {p for c in cs for p in (c - w, c, c + w) if lo < p < hi})
    return PiecewisePolynomial.linear_interpolant([(y, value(y)) for y in pts])


@dataclass(frozen=True)
class NaiveLpInstance:
    """One exact instance of C3: the naive bound's p-th power vs the composed error's p-th power."""

    G: int
    half_width: Fraction
    height: Fraction
    p: int
    inner: str
    eta: Fraction | None
    outer_error_power: Fraction  # d_p(f₂, g₂)^p
    inner_error_power: Fraction  # d_p(f₁, g₁)^p (= 0: f₁ = g₁)
    composed_power: Fraction  # d_p(f₂∘f₁, g₂∘g₁)^p
    lipschitz_f2: Fraction  # Lip(f₂) (= 0: f₂ = 0)

    @property
    def naive_bound_holds(self) -> bool:
        """Does d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + d_p(f₂, g₂) hold (decided exactly)?"""
        return lp_bound_holds(self.composed_power, self.inner_error_power, self.outer_error_power,
                              self.lipschitz_f2, 1, self.p)

    @property
    def ratio_power(self) -> Fraction:
        """(composed / naive bound)^p, exact when the Lipschitz term vanishes."""
        if self.lipschitz_f2 * self.inner_error_power != 0:
            raise VarcheckError("ratio_power is exact only when Lip(f₂)·d_p(f₁, g₁) = 0.")
        return self.composed_power / self.outer_error_power

    def counterexample(self) -> dict:
        return {"G": self.G, "inner": self.inner, "eta": self.eta, "p": self.p, "H": self.height, "w": self.half_width,
                "d_p(f2,g2)^p": self.outer_error_power, "d_p(f1,g1)^p": self.inner_error_power,
                "Lip(f2)": self.lipschitz_f2, "d_p(f2∘f1,g2∘g1)^p": self.composed_power,
                "(LHS/naive bound)^p": self.ratio_power}


def naive_lp_instance(
    G: int, half_width, height, p: int, *, inner: str = "grid", eta=None, centres=None
) -> NaiveLpInstance:
    """C3's instance with f₁ = g₁ = q (``inner='grid'``) or Q_η (``'relu'``), f₂ = 0, tents at ``centres``
    (default the grid values g/G, where the quantizer lands)."""
    G = require_int("G", G, minimum=1)
    p = require_int("p", p, minimum=1)
    if inner == "grid":
        g1 = grid_quantizer_function(G)
    elif inner == "relu":
        if eta is None:
            raise VarcheckError("inner='relu' needs the ramp width eta.")
        g1 = relu_quantizer_function(G, eta)
        eta = exact_rational("eta", eta)
    else:
        raise VarcheckError(f"inner must be 'grid' or 'relu', got {inner!r}.")
    centres = [Fraction(g, G) for g in range(G)] if centres is None else centres
    g2 = tent_bumps(centres, half_width, height)
    f2 = PiecewisePolynomial.constant(0)
    f1 = g1
    return NaiveLpInstance(
        G, exact_rational("half_width", half_width), exact_rational("height", height), p, inner,
        eta if inner == "relu" else None,
        outer_error_power=lp_distance_power(f2, g2, p),
        inner_error_power=lp_distance_power(f1, g1, p),
        composed_power=lp_distance_power(compose(f2, f1), compose(g2, g1), p),
        lipschitz_f2=f2.lipschitz(),
    )


def ridge_instance(half_width, height, p: int) -> tuple:
    """(d_p(f₂, g₂)^p over [0,1]², d_p(f₂∘Φ, g₂∘Φ)^p over [0,1]) for the copy Φ(X) = (X, X), f₂ = 0 and the
    diagonal ridge of half-width w < 1: ∫∫ = H^p ∫_{−1}^{1} tent_w(s)^p (1 − |s|) ds (s = y₁ − y₂), and H^p."""
    w, H = exact_rational("half_width", half_width), exact_rational("height", height)
    p = require_int("p", p, minimum=1)
    if not 0 < w < 1:
        raise VarcheckError(f"half_width must lie in (0, 1), got {w}.")
    tent = PiecewisePolynomial.linear_interpolant([(-1, 0), (-w, 0), (0, H), (w, 0), (1, 0)])
    weight = PiecewisePolynomial.linear_interpolant([(-1, 0), (0, 1), (1, 0)])
    outer = (tent.power(p) * weight).integral()
    on_diagonal = tent(0) ** p  # g₂(X, X) = H for every X ∈ [0, 1]
    return outer, on_diagonal


# --------------------------------------------------------------------------- C4


@dataclass(frozen=True)
class LpCompositionInstance:
    """A C4 instance: exact p-th powers A = d_p(f₂∘f₁, g₂∘g₁)^p, B = d_p(f₁, g₁)^p, C = d_p(f₂, g₂)^p,
    L = Lip(f₂) and the density bound ρ of g₁#λ."""

    p: int
    A: Fraction
    B: Fraction
    C: Fraction
    L: Fraction
    rho: Fraction
    label: str = ""

    @property
    def holds(self) -> bool:
        return lp_bound_holds(self.A, self.B, self.C, self.L, self.rho, self.p)

    @property
    def ratio(self) -> float:
        return lp_bound_ratio(self.A, self.B, self.C, self.L, self.rho, self.p)

    def as_dict(self) -> dict:
        return {"label": self.label, "p": self.p, "A=d_p(f2∘f1,g2∘g1)^p": self.A, "B=d_p(f1,g1)^p": self.B,
                "C=d_p(f2,g2)^p": self.C, "Lip(f2)": self.L, "rho": self.rho}


def lp_composition_instance(f1, g1, f2, g2, p: int, *, rho=None, label: str = "") -> LpCompositionInstance:
    """Evaluate C4's terms exactly; ρ defaults to the exact max density of g₁#λ (VarcheckError if it has atoms)."""
    p = require_int("p", p, minimum=1)
    if rho is None:
        rho = push_forward(g1).max_density
        if rho is None:
            raise VarcheckError("g1 has constant pieces: its push-forward has atoms and no finite density bound rho.")
    rho = exact_rational("rho", rho)
    return LpCompositionInstance(
        p,
        A=lp_distance_power(compose(f2, f1), compose(g2, g1), p),
        B=lp_distance_power(f1, g1, p),
        C=lp_distance_power(f2, g2, p),
        L=f2.lipschitz(),
        rho=rho,
        label=label,
    )


def random_piecewise_linear(rng: np.random.Generator, pieces: int, *, lo=0, hi=1, den: int = 64,
                            no_flat: bool = False) -> PiecewisePolynomial:
    """A continuous piecewise-linear map [0, 1] → [lo, hi] with ``pieces`` pieces (rational, denominator den);
    ``no_flat`` forces distinct consecutive values (no constant piece: no atoms in the push-forward)."""
    pieces = require_int("pieces", pieces, minimum=1)
    lo, hi = exact_rational("lo", lo), exact_rational("hi", hi)
    inner = sorted({Fraction(int(v), den) for v in rng.integers(1, den, size=pieces - 1)})
    xs = [_ZERO] + inner + [_ONE]
    ys = []
    for _ in xs:
        y = lo + (hi - lo) * Fraction(int(rng.integers(0, den + 1)), den)
        while no_flat and ys and y == ys[-1]:
            y = lo + (hi - lo) * Fraction(int(rng.integers(0, den + 1)), den)
        ys.append(y)
    return PiecewisePolynomial.linear_interpolant(list(zip(xs, ys)))


def tight_density_instance(g1: PiecewisePolynomial, f2: PiecewisePolynomial, height, p: int, label: str = "tight"):
    """f₁ = g₁ and g₂ = f₂ + a tent inside an interval where g₁#λ has its maximal density ρ: then
    A = ∫|tent(g₁(x))|^p dx = ρ·∫|tent|^p = ρ·C exactly, so C4 holds with equality (ratio exactly 1)."""
    pf = push_forward(g1)
    rho = pf.max_density
    if rho is None:
        raise VarcheckError("g1 must have no constant piece (its push-forward would have atoms).")
    a, b, _ = next(piece for piece in pf.density.pieces() if piece[2][0] == rho)
    bump = tent_bumps([(a + b) / 2], (b - a) / 2, height, *f2.domain)
    return lp_composition_instance(g1, g1, f2, f2 + bump, p, label=label)
