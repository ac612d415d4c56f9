"""Exact value mapping by a token-wise ReLU network (docs/theory.md §4, claim P3).

**Scalar keys.** For keys k₁ < … < k_m with values v₁, …, v_m ∈ Q^{d_out}, let s_i = (v_{i+1} − v_i)/(k_{i+1} − k_i)
(s₀ = s_m = 0). The piecewise-linear interpolant, constant outside [k₁, k_m], is

    V(t) = v₁ + Σ_{i=1}^{m} (s_i − s_{i−1})·ReLU(t − k_i),

a one-hidden-layer ReLU network of width m. Argument: for k_j ≤ t ≤ k_{j+1} the active units are i ≤ j, the
sum telescopes to v₁ + Σ_{i<j} s_i(k_{i+1} − k_i) + s_j(t − k_j) = v_j + s_j(t − k_j); at t = k_j this is v_j.
Its Lipschitz constant (from |·| to ‖·‖_∞) is exactly max_i ‖s_i‖_∞, which is ≤ max_i ‖Δv_i‖_∞ / g_min
(g_min the smallest key gap): docs/theory.md's "max |Δvalue|/g_min" is this upper bound, attained only when the
largest jump sits on the smallest gap.

**Vector keys on a grid.** Tokens whose entries lie on the lattice {(g + θ)/G : g = 0..G−1} (θ = 1/2 for
cell centres) are sent to integers by the base-G digit projection κ(x) = Σ_i G^{d−1−i}·(G x_i − θ): an
affine map that is injective on the lattice (base-G representation is unique), with integer keys
0..G^d − 1, gaps ≥ 1. The ReLU units read κ directly, ReLU(κ(x) − k_i) = ReLU(x·w + c − k_i), so the
network keeps one hidden layer; its ∞ → ∞ Lipschitz constant is max‖s_i‖_∞ · ‖w‖₁ with ‖w‖₁ = Σ_i G^{d−i}.
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import VarcheckError, require_int
from .quantizer import exact_rational, relu_forward_exact

__all__ = ["ScalarValueMap", "GridValueMap", "scalar_value_map", "grid_value_map", "digit_projection"]


def _values(values, count: int, name: str = "values") -> tuple:
    """Values as a tuple of equal-length tuples of Fractions (scalars become 1-vectors)."""
    try:
        items = list(values)
    except TypeError:
        raise VarcheckError(f"{name} must be a sequence of {count} values, got {values!r}.") from None
    if len(items) != count:
        raise VarcheckError(f"{name} must hold one value per key ({count}), got {len(items)}.")
    out = []
    for k, v in enumerate(items):
        vec = (v,) if not hasattr(v, "__len__") or isinstance(v, str) else tuple(v)
        out.append(tuple(exact_rational(f"{name}[{k}]", x) for x in vec))
    if len({len(v) for v in out}) != 1 or not out[0]:
        raise VarcheckError(f"{name} must all have the same positive length.")
    return tuple(out)


class ScalarValueMap:
    """V: R → Q^{d_out}, exact at strictly increasing scalar keys, built from m ReLU units."""

    def __init__(self, keys, values):
        try:
            keys = [exact_rational(f"keys[{i}]", k) for i, k in enumerate(keys)]
        except TypeError:
            raise VarcheckError(f"keys must be a sequence of rationals, got {keys!r}.") from None
        if not keys:
            raise VarcheckError("keys must hold at least one key.")
        for i in range(1, len(keys)):
            if keys[i] <= keys[i - 1]:
                raise VarcheckError(f"keys must be strictly increasing; keys[{i}] = {keys[i]} follows {keys[i - 1]}.")
        self.keys = tuple(keys)
        self.values = _values(values, len(keys))
        self.d_out = len(self.values[0])
        m = len(keys)
        self.slopes = tuple(
            tuple((b - a) / (self.keys[i + 1] - self.keys[i]) for a, b in zip(self.values[i], self.values[i + 1]))
            for i in range(m - 1)
        )

    def __len__(self):
        return len(self.keys)

    def coefficients(self) -> tuple:
        """(s_i − s_{i−1}) for i = 1..m (s₀ = s_m = 0): the read-out of unit ReLU(t − k_i)."""
        zero = (Fraction(0),) * self.d_out
        s = (zero,) + self.slopes + (zero,)
        return tuple(tuple(b - a for a, b in zip(s[i], s[i + 1])) for i in range(len(self.keys)))

    def weights(self) -> tuple:
        """Exact (W₁, b₁, W₂, b₂): W₁ = [1 … 1] (1 × m), b₁ = −k, W₂ = coefficients (m × d_out), b₂ = v₁."""
        m = len(self.keys)
        return (
            [[Fraction(1)] * m],
            [-k for k in self.keys],
            [list(c) for c in self.coefficients()],
            list(self.values[0]),
        )

    def __call__(self, t) -> tuple:
        """V(t) through the network weights."""
        return tuple(relu_forward_exact([exact_rational("t", t)], *self.weights()))

    def lipschitz(self) -> Fraction:
        """Exact Lipschitz constant (| · | → ‖·‖_∞): max_i ‖s_i‖_∞."""
        return max((abs(x) for s in self.slopes for x in s), default=Fraction(0))

    def lipschitz_bound(self) -> Fraction:
        """docs/theory.md's max ‖Δv‖_∞ / g_min (an upper bound on :meth:`lipschitz`)."""
        if len(self.keys) < 2:
            return Fraction(0)
        jumps = max(abs(b - a) for i in range(len(self.keys) - 1) for a, b in zip(self.values[i], self.values[i + 1]))
        gap = min(b - a for a, b in zip(self.keys, self.keys[1:]))
        return jumps / gap

    def min_gap(self) -> Fraction | None:
        return min((b - a for a, b in zip(self.keys, self.keys[1:])), default=None)


def digit_projection(G: int, d: int, theta=Fraction(1, 2)) -> tuple:
    """(w, c) with κ(x) = x·w + c = Σ_i G^{d−1−i}(G x_i − θ): base-G digits of a lattice token."""
    G = require_int("G", G, minimum=1)
    d = require_int("d", d, minimum=1)
    theta = exact_rational("theta", theta)
    w = [Fraction(G ** (d - i)) for i in range(d)]
    c = -theta * sum(G ** (d - 1 - i) for i in range(d))
    return w, c


class GridValueMap:
    """V: R^d → Q^{d_out}, exact at lattice tokens (entries (g + θ)/G), through the digit projection κ."""

    def __init__(self, G: int, keys, values, *, theta=Fraction(1, 2)):
        self.G = require_int("G", G, minimum=1)
        self.theta = exact_rational("theta", theta)
        if not 0 <= self.theta < 1:
            raise VarcheckError(f"theta must satisfy 0 ≤ theta < 1, got {self.theta}.")
        try:
            tokens = [tuple(exact_rational(f"keys[{k}]", x) for x in key) for k, key in enumerate(keys)]
        except TypeError:
            raise VarcheckError("keys must be a sequence of tokens (sequences of rationals).") from None
        if not tokens or len({len(t) for t in tokens}) != 1 or not tokens[0]:
            raise VarcheckError("keys must be a non-empty sequence of tokens of one positive length d.")
        self.d = len(tokens[0])
        self.w, self.c = digit_projection(self.G, self.d, self.theta)
        for k, tok in enumerate(tokens):
            for x in tok:
                g = x * self.G - self.theta
                if g.denominator != 1 or not 0 <= g < self.G:
                    raise VarcheckError(f"keys[{k}] = {tuple(map(str, tok))} is not on the lattice (g + "
                                        f"{self.theta})/{self.G}, g = 0..{self.G - 1}.")
        vals = _values(values, len(tokens))
        pairs = sorted(zip((self.project(t) for t in tokens), vals, tokens))
        for (k1, _, t1), (k2, _, t2) in zip(pairs, pairs[1:]):
            if k1 == k2:
                raise VarcheckError(f"keys must be distinct; {tuple(map(str, t1))} is repeated.")
        self.tokens = tuple(t for _, _, t in pairs)
        self.scalar = ScalarValueMap([k for k, _, _ in pairs], [v for _, v, _ in pairs])
        self.d_out = self.scalar.d_out

    def project(self, x) -> Fraction:
        """κ(x) = x·w + c."""
        return sum((exact_rational("x", xi) * wi for xi, wi in zip(x, self.w)), Fraction(0)) + self.c

    def weights(self) -> tuple:
        """Exact (W₁, b₁, W₂, b₂): unit i reads ReLU(x·w + c − k_i)."""
        _, b1s, w2, b2 = self.scalar.weights()
        m = len(self.scalar)
        w1 = [[wi] * m for wi in self.w]
        b1 = [b + self.c for b in b1s]
        return w1, b1, w2, b2

    def __call__(self, x) -> tuple:
        x = [exact_rational("x", xi) for xi in x]
        if len(x) != self.d:
            raise VarcheckError(f"x must be a token of length d = {self.d}, got length {len(x)}.")
        return tuple(relu_forward_exact(x, *self.weights()))

    def lipschitz(self) -> Fraction:
        """∞ → ∞ Lipschitz constant bound max‖s_i‖_∞ · ‖w‖₁ (exact for d = 1)."""
        return self.scalar.lipschitz() * sum(abs(w) for w in self.w)


def scalar_value_map(keys, values) -> ScalarValueMap:
    """The exact ReLU interpolant through (keys[i], values[i]) (keys strictly increasing)."""
    return ScalarValueMap(keys, values)


def grid_value_map(G: int, keys, values, *, theta=Fraction(1, 2)) -> GridValueMap:
    """The exact ReLU value map through lattice tokens keys[i] ↦ values[i] (base-G digit keys)."""
    return GridValueMap(G, keys, values, theta=theta)
