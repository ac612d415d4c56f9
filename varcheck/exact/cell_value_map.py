"""The dense value map of the constructions (docs/theory.md §4 P2–P3, §6): ramps → cells → table slots → position.

Every dense approximator ends with the same token-wise ReLU layers; only their inputs differ (word-to-image:
the d coordinates of the word; image-to-image: the context code read out by attention).

* **Clipped ramp steps** (two residual FF layers): for a value v and a threshold, the unit ρ = ReLU(z + 1),
  z = w·v + b, is written to a ``ramp`` channel, and the next layer writes s = 1 − ReLU(1 − ρ): the step
  s = clamp(z + 1, 0, 1) of P2 (= ReLU(z + 1) − ReLU(z)), exactly 0 for z ≤ −1, exactly 1 for z ≥ 0. Unlike the
  one-layer difference of two ReLUs, whose float value carries the rounding of the large pre-activation
  (≈ u·|z|, u·2^k for a ramp of width 2^{−k}), the clipped form is EXACT off the ramp in any format: a computed
  ρ ≥ 1 gives ReLU(1 − ρ) = 0 and s = 1 exactly, a computed ρ = 0 gives s = 1 − 1 = 0 exactly; only on the ramp
  (where the bad-set budget already pays) does s̃ carry a rounding, of a few u.
* **Cell units** (hidden layer of FF₂'s first layer): with o_i(g) = s_{i,g} − s_{i,g+1} (s_{i,0} = 1 through the
  bias, s_{i,G'} = 0) the indicator of cell g along coordinate i, the unit of cell g⃗ and position group h is
  ReLU(2Σ_i o_i(g_i) + 2e_h − (2d' + 1)). Off the ramps its pre-activation is an odd integer: 1 for the token's
  own cell and group, ≤ −1 for every other unit, so exactly one unit is 1 and all others are exactly 0 (a margin
  of 1 on both sides survives the rounding). On a ramp the o's of a coordinate are non-negative and sum to 1;
  two different cells then have deficits Σ_i(1 − o_i) summing to ≥ 1, so at most one unit is positive and it is
  ≤ 1 (|output| ≤ max |table| there).
* **Table slots** (that layer's output weights): unit (g⃗, h) writes the table row f(c_g⃗) of the positions
  h·R + r into the slots (r, c), r < R.
* **Position select** (FF₂'s second layer): the unit of slot (r, c) is ReLU(slot + S + B(e^hi_{r₁} + e^lo_{r₂}) − 2B)
  with r = r₁R₂ + r₂ read from the token's two one-hot codes; with S ≥ 2·max|slot| and B = 4S it passes
  slot + S for the token's own r and is exactly 0 for every other r; the output channel subtracts S.

Rounding (any format with unit roundoff u; γ_n = nu/(1 − nu)); a layer's dot product over a stream has only a
few non-zero terms, and zero terms are exact whatever the accumulation order (a sum of k non-zero products
errs by ≤ γ_k Σ|terms| for every order, fused or not): with ξ the error of a step (0 off the ramps, see
:func:`clipped_step_error` on them), e_γ = γ_{2d'+2}(4d'(1 + ξ) + 2d' + 3) the rounding of a cell pre-activation and
e_a = 4d'ξ + e_γ its total error, off the ramps the output is within |T̃|(e_a + u(1 + e_a)) + e_pos of the table
value, anywhere within 2^{d'} e_a T + γ_{2^{d'}} U T + e_pos of the exact network at the same input (U ≤
max(1 + e_γ, 2^{d'}e_γ) bounds the sum of the float cell units: clipped steps keep every o ≥ 0), and e_pos = e_b +
u(S_max + e_b),
e_b = γ₄(S_max + 2B + |S − 2B|), S_max = U·T(1 + γ_{2^{d'}}), is the position select's rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..errors import VarcheckError
from .floating_point import FORMATS, FloatFormat, up_dyadic

__all__ = ["CellValueMap", "ramp_step_error", "clipped_step_error", "MarginError", "position_groups"]


class MarginError(VarcheckError):
    """A rounding margin of the construction fails in the requested format (the network is not resolved)."""


def ramp_step_error(z_max: Fraction, fmt: FloatFormat, *, operand_max: Fraction | None = None) -> Fraction:
    """Bound on |s̃ − s| for a step s = ReLU(z + 1) − ReLU(z), |z| ≤ z_max, wherever z lies.

    With an exact product w·v (w a power of two) each pre-activation is rounded once: error ≤ u(|z| + 1); when the
    product is rounded too (``operand_max`` ≥ |w·v| + |b| + 1 given), twice: ≤ γ₂·operand_max. ReLU is exact and
    1-Lipschitz, and the difference of the two units is rounded once more: ξ = (e₁ + e₀)(1 + u) + u. (Where z ≤ −1
    exactly, both units are exactly 0; where z ≥ 0, s̃ lies within ξ of 1; the bound holds on the ramp too.)
    """
    u = fmt.u
    if operand_max is None:
        e1, e0 = u * (z_max + 1), u * z_max
    else:
        e1 = e0 = fmt.gamma(2) * Fraction(operand_max)
    return up_dyadic((e1 + e0) * (1 + u) + u)


def clipped_step_error(fmt: FloatFormat, ramp_error: Fraction | None = None) -> Fraction:
    """Bound on |s̃ − s| for the clipped step s = 1 − ReLU(1 − ReLU(z + 1)) wherever z lies (s̃ = s off the ramp).

    ``ramp_error`` bounds the rounding e₁ of the pre-activation z + 1 on the ramp (default u: |z + 1| < 1 there and
    w·v is exact); then |h̃ − h| ≤ e₁ + u(1 + e₁) for h = ReLU(1 − ρ) and |s̃ − s| ≤ |h̃ − h| + u(1 + |h̃ − h|).
    Off the ramp no rounding reaches s: exact z + 1 ≥ 1 gives a computed ρ ≥ 1 (rounding is monotone and 1 is a
    float) when e₁ comes from a single rounding, and a margin e₁ < 1 otherwise — the caller checks that margin.
    """
    u = fmt.u
    e1 = u if ramp_error is None else Fraction(ramp_error)
    eh = e1 + u * (1 + e1)
    return up_dyadic(eh + u * (1 + eh))


def position_groups(positions: int, cells: int, channels: int, fixed_width: int, fixed_hidden: int) -> int:
    """The number P of position groups that minimises the multiply-accumulates per token of the dense network.

    Per token the cost is 2·D·(cells·P + R·C + fixed_hidden) with R = ⌈positions/P⌉ slots per channel and
    D = fixed_width + P + R₁ + R₂ + R·C + C the stream width; P = 1 is the plain "all slots" layout.
    """
    best = None
    for P in range(1, min(positions, 64) + 1):
        R = -(-positions // P)
        r1, r2 = _row_split(R)
        D = fixed_width + P + r1 + r2 + R * channels + channels
        cost = 2 * D * (cells * P + R * channels + fixed_hidden)
        if best is None or cost < best[0]:
            best = (cost, P)
    return best[1]


def _row_split(R: int) -> tuple:
    r2 = math.isqrt(R - 1) + 1 if R > 1 else 1
    r1 = -(-R // r2)
    return r1, r2


def _power_of_two_at_least(q: Fraction) -> Fraction:
    if q <= 0:
        return Fraction(1)
    k = math.ceil(math.log2(q.numerator) - math.log2(q.denominator))
    p = Fraction(2) ** k
    while p < q:
        p *= 2
    while p / 2 >= q:
        p /= 2
    return p


@dataclass(frozen=True)
class CellValueMap:
    """FF₂ of a dense construction: ``coords`` coordinates with ``cells_per_coord`` cells each, ``positions``
    output positions in ``groups`` groups of ``rows`` slots, ``channels`` output channels, table max ``table_max``."""

    coords: int
    cells_per_coord: int
    positions: int
    channels: int
    groups: int
    table_max: Fraction
    shift: Fraction
    gate: Fraction

    @classmethod
    def plan(
        cls,
        *,
        coords: int,
        cells_per_coord: int,
        positions: int,
        channels: int,
        table_max,
        groups: int | None = None,
        fixed_width: int = 0,
        fixed_hidden: int = 0,
    ) -> "CellValueMap":
        cells = cells_per_coord**coords
        if groups is None:
            groups = position_groups(positions, cells, channels, fixed_width, fixed_hidden)
        T = Fraction(table_max)
        S = _power_of_two_at_least(2 * T) if T > 0 else Fraction(1)
        return cls(coords, cells_per_coord, positions, channels, groups, T, S, 4 * S)

    # ------------------------------------------------------------------ shapes
    @property
    def rows(self) -> int:
        return -(-self.positions // self.groups)

    @property
    def row_split(self) -> tuple:
        return _row_split(self.rows)

    @property
    def cells(self) -> int:
        return self.cells_per_coord**self.coords

    @property
    def cell_units(self) -> int:
        return self.cells * self.groups

    @property
    def select_units(self) -> int:
        return self.rows * self.channels

    def code_blocks(self) -> list:
        """The positional-code blocks this map reads (appended to E)."""
        r1, r2 = self.row_split
        return [("group", self.groups), ("row_hi", r1), ("row_lo", r2)]

    def stream_blocks(self) -> list:
        """The stream blocks this map writes."""
        return [("slot", self.rows * self.channels), ("out", self.channels)]

    def position_of(self, t: int) -> tuple:
        """(group h, high row r₁, low row r₂) of output position t."""
        h, r = divmod(t, self.rows)
        r1, r2 = divmod(r, self.row_split[1])
        return h, r1, r2

    def cell_index(self, digits) -> int:
        """Σ_i g_i G'^i, the cell's row in the table."""
        return sum(g * self.cells_per_coord**i for i, g in enumerate(digits))

    # ------------------------------------------------------------------ rounding
    def rounding(self, step_error: Fraction, fmt: FloatFormat | None = None, *, interior_step_error=None) -> dict:
        """Every rounding constant of the layers after the (clipped) steps, exact (Fractions), for steps that err by
        ≤ ``step_error`` anywhere and by ≤ ``interior_step_error`` (default: the same) off the ramps.

        Raises :class:`MarginError` naming the failing margin when the format cannot resolve the map.
        """
        fmt = fmt or FORMATS["float64"]
        u, g = fmt.u, fmt.gamma
        d, T, S, B = self.coords, self.table_max, self.shift, self.gate
        xi = up_dyadic(step_error)
        xi_int = xi if interior_step_error is None else up_dyadic(interior_step_error)
        e_gamma = up_dyadic(g(2 * d + 2) * (4 * d * (1 + xi) + 2 * d + 3))
        e_a = up_dyadic(4 * d * xi + e_gamma)
        e_a_int = up_dyadic(4 * d * xi_int + g(2 * d + 2) * (4 * d * (1 + xi_int) + 2 * d + 3))
        if e_a >= Fraction(1, 2):
            raise MarginError(f"cell units unresolved in {fmt.name}: pre-activation error {float(e_a):.3g} ≥ 1/2 "
                              f"(step error {float(xi):.3g})")
        # The steps are clipped: every float step lies in [0, 1], a saturated step is exact, and a coordinate has at
        # most one step on its ramp (the ramps are disjoint), so every float o_i(g) ≥ 0 and Σ_g o_i(g) = 1 exactly:
        # two different cells' deficits Σ_i (1 − o_i) sum to ≥ 1. A positive unit needs deficit < (1 + e_γ)/2, so with
        # e_γ < 1/3 at most 2^d units are positive (three o's above (1 − e_γ)/2 would sum past 1), and their sum is
        # ≤ 1 + e_γ for one unit, ≤ k·e_γ for k ≥ 2 (pairwise deficits ≥ 1).
        U = up_dyadic(max(1 + e_gamma, 2**d * e_gamma))
        S_max = up_dyadic(U * T * (1 + g(2**d)))
        e_b = up_dyadic(g(4) * (S_max + 2 * B + abs(S - 2 * B)))
        if not S - S_max - e_b > 0:
            raise MarginError(f"position select unresolved in {fmt.name}: shift S = {S} below the slot bound")
        if not B - S - S_max - e_b > 0:
            raise MarginError(f"position select unresolved in {fmt.name}: gate B = {B} too small")
        if 2 * B + S > fmt.max_finite:
            raise MarginError(f"position select overflows {fmt.name}: gate 2B = {2 * B} above its largest value")
        e_pos = up_dyadic(e_b + u * (S_max + e_b))
        interior = up_dyadic(T * (e_a_int + u * (1 + e_a_int)) + e_pos)
        anywhere = up_dyadic(2**d * e_a * T + g(2**d) * U * T + e_pos)
        return {"step": xi, "step_interior": xi_int, "cell_pre": e_a, "cell_pre_interior": e_a_int,
                "cell_sum": U, "slot_max": S_max, "select": e_pos,
                "interior": interior, "anywhere": anywhere, "anywhere_lookup": anywhere - e_pos,
                    "output_max": S_max + e_pos}
