"""FlowAR's head as a network of the model class (docs/theory.md §6.3, T3): AdaLN modulation by a ReLU time MLP.

The head of T3 is v(x, t, Ŷ) = (x − Ŷ)/t = h·(1 + s(t)) with h = x − Ŷ (a linear layer [I, −I] on (x, Ŷ)) and the
AdaLN scale 1 + s(t) = 1/t. FlowAR only evaluates the head at the positive times of its grid, so the time MLP
only has to be exact there: with the positive times sorted t_0 > t_1 > … > t_{K−1} > 0 and breakpoints
μ_j ∈ (t_{j+1}, t_j), the MLP

    r(t) = 1/t_0 + Σ_j Δ_j·[ReLU(w(μ_j − t) + 1) − ReLU(w(μ_j − t))],   Δ_j = 1/t_{j+1} − 1/t_j,

(one hidden layer of 2(K − 1) ReLUs) has steps that are exactly 1 for μ_j > t and 0 for μ_j < t at every grid
time once w·δ ≥ 1, δ the smallest distance from a breakpoint to its two grid times, so r(t_i) = 1/t_0 + Σ_{j<i} Δ_j
= 1/t_i (telescoping).

**Breakpoints.** μ_j is the midpoint (t_j + t_{j+1})/2 rounded to the nearest multiple of 2^−m, the largest power of
two 2^−m ≤ (smallest gap)/8, so δ ≥ (smallest gap)·7/16; w is the smallest power of two with w·δ ≥ 1
(TIME_MLP_SLOPE). A dyadic μ_j with few digits makes the first layer's biases w·μ_j + 1 and w·μ_j float64 numbers
whatever the grid's own format (FlowAR's grids are float64 values, docs/var-facts.md §5); :func:`time_scale_plan`
checks it.

Rounding (float64; w a power of two and the biases exact): each pre-activation −w·t + (w·μ_j + 1) is rounded once, so
a step errs by ξ = ramp_step_error(w) at most; r̃ = fl(Σ_j Δ̃_j s̃_j + 1/t̃_0) with Δ̃_j, 1/t̃_0 rounded once, so
|r̃(t_i) − 1/t_i| ≤ Σ_{j<i} |Δ_j|(ξ + 2u + ξu)(1 + u) + u/t_0 + γ_K(Σ_{j<i}|Δ_j|(1 + ξ)(1 + u) + (1 + u)/t_0) =: e_i,
a relative error ρ_i = e_i·t_i. The last Euler step from x at time t to 0 then computes h̃ = fl(x − Ŷ),
ṽ = fl(h̃·r̃), w̃ = fl(−t·ṽ), x' = fl(x + w̃); with e = x − Ŷ, w̃ = −e(1 + θ), |θ| ≤ (1 + u)³(1 + ρ) − 1, so

    |x' − Ŷ| ≤ (1 + u)·θ·|x − Ŷ| + u·|Ŷ|        (entrywise, for the float values x and Ŷ of the run).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..errors import VarcheckError
from .cell_value_map import ramp_step_error
from .floating_point import FORMATS, up_dyadic

__all__ = ["TimeScalePlan", "time_scale_plan", "BREAKPOINT_UNIT_SHARE"]


@dataclass(frozen=True)
class TimeScalePlan:
    """The ReLU time MLP r(t) = 1/t at the positive grid times (exact constants)."""

    times: tuple  # positive grid times, decreasing (exact rationals of the float grid)
    slope: Fraction  # w, a power of two
    midpoints: tuple = ()  # the breakpoints μ_j ∈ (t_{j+1}, t_j), dyadic (module docstring)

    @property
    def increments(self) -> tuple:
        return tuple(1 / b - 1 / a for a, b in zip(self.times, self.times[1:]))

    @property
    def hidden(self) -> int:
        return 2 * (len(self.times) - 1)

    def relative_errors(self, fmt_name: str = "float64") -> tuple:
        """ρ_i ≥ |r̃(t_i) − 1/t_i|·t_i for every grid time (exact, rounded up)."""
        fmt = FORMATS[fmt_name]
        u, g = fmt.u, fmt.gamma
        xi = ramp_step_error(self.slope * (1 + max(self.times)), fmt)
        K = len(self.times)
        out, acc = [], Fraction(0)
        inv0 = 1 / self.times[0]
        for i, t in enumerate(self.times):
            if i:
                acc += abs(self.increments[i - 1])
            e = acc * (xi + 2 * u + xi * u) * (1 + u) + u * inv0 + g(K) * (acc * (1 + xi) * (1 + u) + (1 + u) * inv0)
            out.append(up_dyadic(e * t))
        return tuple(out)

    def last_step_theta(self, fmt_name: str = "float64") -> Fraction:
        """θ with |x' − Ŷ| ≤ (1 + u)θ|x − Ŷ| + u|Ŷ| for the last step (from the last positive time to 0)."""
        u = FORMATS[fmt_name].u
        return up_dyadic((1 + u) ** 3 * (1 + self.relative_errors(fmt_name)[-1]) - 1)


#: The breakpoints' rounding unit 2^−m is at most this fraction of the smallest gap between grid times.
BREAKPOINT_UNIT_SHARE = Fraction(1, 8)


def _largest_power_of_two_at_most(q: Fraction) -> Fraction:
    e = q.numerator.bit_length() - q.denominator.bit_length()
    while Fraction(2) ** e > q:
        e -= 1
    while Fraction(2) ** (e + 1) <= q:
        e += 1
    return Fraction(2) ** e


def time_scale_plan(grid) -> TimeScalePlan:
    """The time MLP for a FlowAR grid (a sequence of exact values decreasing to 0): dyadic breakpoints near the
    midpoints, and the smallest power-of-two slope that saturates every step at every grid time."""
    times = tuple(Fraction(t) for t in grid if Fraction(t) > 0)
    if len(times) < 1 or any(b >= a for a, b in zip(times, times[1:])):
        raise VarcheckError("the grid's positive times must decrease strictly.")
    if len(times) == 1:
        return TimeScalePlan(times, Fraction(1))
    unit = _largest_power_of_two_at_most(min(a - b for a, b in zip(times, times[1:])) * BREAKPOINT_UNIT_SHARE)
    midpoints = tuple(round((a + b) / 2 / unit) * unit for a, b in zip(times, times[1:]))
    delta = min(min(a - mu, mu - b) for a, b, mu in zip(times, times[1:], midpoints))
    w = Fraction(2) ** math.ceil(math.log2(1 / delta) - 1e-12)
    while w * delta < 1:
        w *= 2
    for mu in midpoints:
        for bias in (w * mu + 1, w * mu):
            if Fraction(float(bias)) != bias:
                raise VarcheckError(f"the time MLP's bias {float(bias)!r} is not a float64 number: the grid's gaps are "
                                    "too small for an exact first layer.")
    return TimeScalePlan(times, w, midpoints)
