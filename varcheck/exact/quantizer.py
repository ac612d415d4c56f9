"""The ReLU quantizer Q_η over Q (docs/theory.md §4, claim P2).

Per entry, with δ = 1/G and 0 < η ≤ δ,

    Q_η(t) = Σ_{g=1}^{G−1} δ·r_g(t),   r_g(t) = ReLU((t − gδ)/η + 1) − ReLU((t − gδ)/η).

Argument. r_g is a clamped ramp: 0 for t ≤ gδ − η, (t − gδ)/η + 1 in between, 1 for t ≥ gδ. Outside the open
slab (gδ − η, gδ) it is therefore the indicator [t ≥ gδ], and off every slab Q_η(t) = δ·#{g ≤ G−1 : gδ ≤ t},
which is the clipped grid quantizer q(t) = δ·min(max(⌊t/δ⌋, 0), G−1). For η ≤ δ the slabs are disjoint,
so the bad set in [0, 1] has length exactly (G−1)η, Q_η is piecewise linear with kinks only at the
breakpoints gδ − η and gδ, and its largest slope is δ/η (one ramp at a time).

Because Q_η is piecewise linear between consecutive breakpoints and q is constant between them on the
good set, agreement at both ends of every good piece proves agreement on the whole piece: the exact
check at every breakpoint is a proof for the instance (:func:`verify_against_grid`).

The quantizer is a one-hidden-layer ReLU network (row convention, token x ∈ R^d quantized entrywise):
``ReLU(x W₁ + b₁) W₂ + b₂`` with 2(G−1)d hidden units; :meth:`ReluQuantizer.weights` gives the exact
weights, plain or residual (docs/theory.md §3.1: FF(X) = X + ReLU(X W₁ + 1b₁ᵀ)W₂ + 1b₂ᵀ, where two more
units per entry cancel the skip connection: ReLU(−x) − ReLU(x) = −x).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

from ..errors import VarcheckError, require_int, require_rational_text

__all__ = ["ReluQuantizer", "relu_quantizer", "grid_quantize", "relu_forward_exact", "exact_rational"]


def exact_rational(name: str, value) -> Fraction:
    """An exact rational from an int, Fraction, flint fmpq, rational str or finite float (taken exactly)."""
    if isinstance(value, bool):
        raise VarcheckError(f"{name} must be a rational number, got {value!r}.")
    try:
        if isinstance(value, (Rational, float)):
            out = Fraction(value)
        else:
            out = Fraction(require_rational_text(name, str(value)))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise VarcheckError(f"{name} must be a finite rational number, got {value!r}.") from None
    return out


def grid_quantize(t, G: int) -> Fraction:
    """The clipped grid quantizer q(t) = δ·min(max(⌊tG⌋, 0), G−1), exact (docs/theory.md §4)."""
    G = require_int("G", G, minimum=1)
    t = exact_rational("t", t)
    g = min(max((t * G).__floor__(), 0), G - 1)
    return Fraction(g, G)


def relu_forward_exact(x, w1, b1, w2, b2, *, residual=False) -> list:
    """ReLU(x W₁ + b₁) W₂ + b₂ (+ x when residual) for one token x, over Q (lists of Fractions)."""
    hidden = [
        max(Fraction(0), sum((xi * w1[i][j] for i, xi in enumerate(x)), Fraction(0)) + b1[j]) for j in range(len(b1))
    ]
    out = [sum((h * w2[j][k] for j, h in enumerate(hidden) if h), Fraction(0)) + b2[k] for k in range(len(b2))]
    if residual:
        out = [o + xi for o, xi in zip(out, x)]
    return out


#: Largest grid an exact quantizer is built for (its pieces, slabs and weights are listed one by one), and the
#: largest exact W₁ (d × 2(G−1)d entries) it writes out.
MAX_QUANTIZER_GRID = 2**16
MAX_QUANTIZER_WEIGHTS = 2**22


@dataclass(frozen=True)
class ReluQuantizer:
    """Q_η for grid G (δ = 1/G) and ramp width η with 0 < η ≤ δ; ``centre`` adds δ/2 (cell centres)."""

    G: int
    eta: Fraction
    centre: bool = False

    def __post_init__(self):
        G = require_int("G", self.G, minimum=1, maximum=MAX_QUANTIZER_GRID)
        eta = exact_rational("eta", self.eta)
        if not 0 < eta <= Fraction(1, G):
            raise VarcheckError(f"eta must satisfy 0 < eta ≤ δ = 1/{G} (disjoint ramps), got {eta}.")
        if not isinstance(self.centre, bool):
            raise VarcheckError(f"centre must be True or False, got {self.centre!r}.")
        object.__setattr__(self, "G", G)
        object.__setattr__(self, "eta", eta)

    @property
    def delta(self) -> Fraction:
        return Fraction(1, self.G)

    @property
    def offset(self) -> Fraction:
        """δ/2 when the quantizer returns cell centres, else 0."""
        return self.delta / 2 if self.centre else Fraction(0)

    def ramp(self, g: int, t) -> Fraction:
        """r_g(t) = ReLU((t − gδ)/η + 1) − ReLU((t − gδ)/η)."""
        z = (exact_rational("t", t) - g * self.delta) / self.eta
        return max(z + 1, Fraction(0)) - max(z, Fraction(0))

    def __call__(self, t) -> Fraction:
        """Q_η(t) (+ δ/2 with ``centre``), evaluated term by term."""
        t = exact_rational("t", t)
        return sum((self.delta * self.ramp(g, t) for g in range(1, self.G)), Fraction(0)) + self.offset

    def reference(self, t) -> Fraction:
        """What Q_η must equal off the bad set: q(t) (+ δ/2)."""
        return grid_quantize(t, self.G) + self.offset

    def breakpoints(self) -> tuple:
        """The kinks gδ − η and gδ, g = 1..G−1, in increasing order."""
        pts = set()
        for g in range(1, self.G):
            pts.update((g * self.delta - self.eta, g * self.delta))
        return tuple(sorted(pts))

    def bad_set(self) -> tuple:
        """The open slabs (gδ − η, gδ) where Q_η ≠ q."""
        return tuple((g * self.delta - self.eta, g * self.delta) for g in range(1, self.G))

    def in_bad_set(self, t) -> bool:
        t = exact_rational("t", t)
        return any(a < t < b for a, b in self.bad_set())

    def bad_set_length(self) -> Fraction:
        """Exact length of the union of the slabs inside [0, 1] (merging overlaps, clipping at 0 and 1)."""
        total, reach = Fraction(0), Fraction(0)
        for a, b in sorted(self.bad_set()):
            a, b = max(a, reach, Fraction(0)), min(b, Fraction(1))
            if b > a:
                total += b - a
                reach = b
        return total

    def bad_set_measure(self, entries: int = 1) -> Fraction:
        """μ(B) in [0,1]^entries, B = {X : some entry in a slab}: exactly 1 − (1 − length)^entries."""
        entries = require_int("entries", entries, minimum=1)
        return 1 - (1 - self.bad_set_length()) ** entries

    def pieces(self) -> tuple:
        """(a, b, slope) of every linear piece of Q_η on [0, 1] between consecutive breakpoints."""
        pts = [Fraction(0)] + [x for x in self.breakpoints() if 0 < x < 1] + [Fraction(1)]
        values = self._values_increasing(pts)
        return tuple(
            (a, b, (vb - va) / (b - a)) for (a, va), (b, vb) in zip(zip(pts, values), zip(pts[1:], values[1:])) if b > a
        )

    def _values_increasing(self, xs) -> list:
        """Q_η at increasing points in O(G + len(xs)) instead of O(G) each (pieces of a G = 2¹⁶ quantizer).

        η ≤ δ makes the ramps disjoint: at x every ramp g with gδ ≤ x is saturated (r_g = 1), every ramp with
        gδ − η ≥ x is 0, and only the next one, g = #saturated + 1, can be partial — evaluated exactly by ramp().
        """
        out, full = [], 0
        for x in xs:
            while full + 1 <= self.G - 1 and (full + 1) * self.delta <= x:
                full += 1
            value = full * self.delta
            if full + 1 <= self.G - 1:
                value += self.delta * self.ramp(full + 1, x)
            out.append(value + self.offset)
        return out

    def lipschitz(self) -> Fraction:
        """The exact Lipschitz constant on R: the largest |slope| of a piece (Q_η is constant outside [0, 1])."""
        return max((abs(s) for _, _, s in self.pieces()), default=Fraction(0))

    def weights(self, d: int = 1, *, residual: bool = False) -> tuple:
        """Exact (W₁, b₁, W₂, b₂) as nested lists of Fractions (row convention, token dimension d).

        Hidden units per entry i and level g: (x_i − gδ)/η + 1 and (x_i − gδ)/η, read out with +δ and −δ.
        ``residual``: two more units per entry, ReLU(x_i) (read out −1) and ReLU(−x_i) (+1), cancel the skip.
        """
        d = require_int("d", d, minimum=1)
        if self.width(d, residual=residual) * d > MAX_QUANTIZER_WEIGHTS:
            raise VarcheckError(f"the quantizer's W₁ would be d × width = {d} × {self.width(d, residual=residual)}, "
                                f"above the limit of {MAX_QUANTIZER_WEIGHTS} entries (lower G or d).")
        per_entry = []
        for g in range(1, self.G):
            c = -g * self.delta / self.eta
            per_entry += [(1 / self.eta, c + 1, self.delta), (1 / self.eta, c, -self.delta)]
        if residual:
            per_entry += [(Fraction(1), Fraction(0), Fraction(-1)), (Fraction(-1), Fraction(0), Fraction(1))]
        if not per_entry:  # G = 1, plain: Q ≡ 0 (+ δ/2); one inert unit, since a layer has width ≥ 1
            per_entry = [(Fraction(0), Fraction(0), Fraction(0))]
        width = len(per_entry) * d
        w1 = [[Fraction(0)] * width for _ in range(d)]
        w2 = [[Fraction(0)] * d for _ in range(width)]
        b1 = [Fraction(0)] * width
        for i in range(d):
            for k, (slope, bias, out) in enumerate(per_entry):
                j = i * len(per_entry) + k
                w1[i][j], b1[j], w2[j][i] = slope, bias, out
        b2 = [self.offset] * d
        return w1, b1, w2, b2

    def width(self, d: int = 1, *, residual: bool = False) -> int:
        """Hidden width 2(G−1)d (+2d residual; one inert unit per entry for G = 1 plain)."""
        return max(1, 2 * (self.G - 1) + (2 if residual else 0)) * require_int("d", d, minimum=1)


def relu_quantizer(G: int, eta, *, centre: bool = False) -> ReluQuantizer:
    """The exact ReLU quantizer Q_η for grid G and ramp width η (0 < η ≤ 1/G)."""
    return ReluQuantizer(G, eta, centre)
