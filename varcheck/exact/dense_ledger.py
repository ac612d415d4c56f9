"""The ledger shared by the dense constructions (docs/theory.md P1 in L_p, P2 with dyadic thresholds, P4).

Both dense approximators (word-to-image T2, image-to-image T1 with uniform attention) quantize ``quantized``
input coordinates with ramps of width η = 2^{−k} at dyadic thresholds t_g ≈ g/G, and end with the cell value map.
With f̄(x) = f(c(x)) (c(x) the centre of the cell of x), x uniform in [0,1]^q and g̃ the float network:

    d̄_p(f, g̃) ≤ d̄_p(f, f̄) + d̄_p(f̄, g̃)
              ≤ L_f((δ/2 + τ)(q/(q + p))^{1/p} + τ)  +  (table + rounding)  +  M·μ(B)^{1/p},

* partition: ‖x − c(x)‖_∞ ≤ (δ/2 + τ)·max_i U_i + τ (U uniform in [0,1]^q, τ = max|t_g − g/G|) and
  E[max_i U_i^p] = q/(q + p) (the maximum of q uniforms has density q m^{q−1});
* off the bad set B = {x : some x_i ∈ [t_g − η − ϑ, t_g + ϑ)} (ϑ the perturbation of the tokens the quantizer
  sees) every step saturates and |f̄ − g̃| ≤ table + rounding (the value map's ``interior`` bound);
* on B, |f̄ − g̃| ≤ M = max|f(c)| + sup|g̃|, and μ(B) ≤ q(G − 1)(η + 2ϑ).
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..errors import VarcheckError
from .ball_attention import arb_of
from .cell_value_map import MarginError
from .directed_rounding import ball_endpoint, float_toward
from .floating_point import FORMATS, round_up

__all__ = ["upper_float", "QuantizedPlan", "THRESHOLD_BITS", "representable",
           "LEDGER_TERMS", "BUDGET_SHARES", "partition_factor", "grid_for"]

#: Shares of ε given to the partition, the bad sets, and table + rounding; they sum to 1. The exact quantizer
#: leaves the last share almost unused (rounding ≈ 10⁻¹⁴), so most of ε goes to the partition.
BUDGET_SHARES = (Fraction(3, 4), Fraction(1, 5), Fraction(1, 20))

#: Binary digits of the thresholds t_g ≈ g/G: 2^k t_g and 2^k t_g − 1 must be exact in the format (k < mantissa − 4).
THRESHOLD_BITS = {"float64": 48, "float32": 19, "bfloat16": 5, "float16": 8}
LEDGER_TERMS = ("partition", "table", "bad_sets", "rounding")


def upper_float(ball) -> float:
    """The smallest float64 ≥ every point of an arb ball (an upper bound stays one when printed as a float)."""
    return float_toward(ball_endpoint(ball, "upper"), "up")


def representable(q: Fraction, fmt) -> bool:
    """Whether the rational q is exactly a finite value of the format (normal or zero)."""
    q = Fraction(q)
    if q == 0:
        return True
    if abs(q) > fmt.max_finite:
        return False
    num, den = abs(q.numerator), q.denominator
    if den & (den - 1):
        return False  # not dyadic
    odd = num >> ((num & -num).bit_length() - 1)
    return odd.bit_length() <= fmt.mantissa


def partition_factor(d: int, p) -> float:
    """(d/(d + p))^{1/p} rounded up to a float (1 for p = ∞): the L_p mean of ‖x − c‖_∞ over a cell, in half-widths."""
    if p == math.inf:
        return 1.0
    return math.nextafter((d / (d + float(p))) ** (1 / float(p)), math.inf) * (1 + 2**-50)


def grid_for(lipschitz, q: int, p, eps) -> int:
    """G = ⌈L_f·(q/(q+p))^{1/p}/(2·ε·share₁)⌉: the partition term L_f(δ/2)(q/(q+p))^{1/p} fits ε·share₁."""
    budget = Fraction(eps) * BUDGET_SHARES[0]
    try:
        G = float(lipschitz) * partition_factor(q, p) / (2 * float(budget))
    except (ZeroDivisionError, OverflowError):  # an ε below float64's range (1e-4000): the same quotient over Q
        G = math.inf
    if not math.isfinite(G):
        G = Fraction(lipschitz) * Fraction(partition_factor(q, p)) / (2 * budget)
    return max(1, math.ceil(G))


class QuantizedPlan:
    """Mixin of the dense plans. Subclasses define G, p, eps, lipschitz, fmt, k, perturbation, table_max,
    table_error, value_map, ``quantized`` (the number of quantized coordinates) and ``rounding()``."""

    budget_shares = BUDGET_SHARES

    @property
    def format(self):
        return FORMATS[self.fmt]

    def finalize(self, table_max, table_error):
        """Fix the table bound, the value map and the largest dyadic η = 2^{−k} whose bad-set term fits ε·share₂."""
        self.table_max, self.table_error = Fraction(table_max), Fraction(table_error)
        self.value_map = self._value_map(self.table_max)
        self.choose_eta(self.eps * BUDGET_SHARES[1])
        return self

    @property
    def delta(self) -> Fraction:
        return Fraction(1, self.G)

    @property
    def thresholds(self) -> tuple:
        """t_1, …, t_{G−1}: g/G rounded to THRESHOLD_BITS binary digits."""
        m = THRESHOLD_BITS[self.fmt]
        return tuple(Fraction(round(Fraction(g * 2**m, self.G)), 2**m) for g in range(1, self.G))

    @property
    def tau(self) -> Fraction:
        return max((abs(t - Fraction(g + 1, self.G)) for g, t in enumerate(self.thresholds)), default=Fraction(0))

    @property
    def eta(self) -> Fraction:
        return Fraction(1, 2**self.k) if self.k >= 0 else Fraction(2 ** (-self.k))

    @property
    def slope(self) -> Fraction:
        return 1 / self.eta

    @property
    def bad_set_measure(self) -> Fraction:
        if self.G == 1:
            return Fraction(0)
        return min(Fraction(1), self.quantized * (self.G - 1) * (self.eta + 2 * self.perturbation))

    @property
    def M(self) -> Fraction:
        """Bound on |f̄ − g̃| on the bad set: max|f(c)| + sup|g̃|."""
        return self.table_max + self.table_error + self.rounding()["output_max"]

    def check_representable(self) -> None:
        """Raise MarginError unless the ramp weights 2^k, −2^k t_g, 1 − 2^k t_g are exact in the format."""
        fmt = self.format
        if not representable(self.slope, fmt):
            raise MarginError(f"the ramp slope 2^{self.k} overflows {fmt.name}")
        for t in self.thresholds:
            for b in (-self.slope * t, 1 - self.slope * t):
                if not representable(b, fmt):
                    raise MarginError(f"the ramp bias {float(b):.6g} (threshold {t}) is not exact in {fmt.name}: it "
                                      f"needs more than {fmt.mantissa} bits at η = 2^-{self.k}")

    # ------------------------------------------------------------------ the ledger, in ball arithmetic
    def partition_ball(self):
        """L_f((δ/2 + τ)(q/(q+p))^{1/p} + τ) as an arb ball."""
        from flint import arb

        q = self.quantized
        kappa = arb(1) if self.p == math.inf else (arb_of(Fraction(q)) / arb_of(q + Fraction(self.p))) ** (
            1 / arb_of(Fraction(self.p)))
        return arb_of(self.lipschitz) * (arb_of(self.delta / 2 + self.tau) * kappa + arb_of(self.tau))

    def bad_ball(self):
        from flint import arb

        if self.bad_set_measure == 0:
            return arb(0)
        if self.p == math.inf:
            return arb_of(self.M)
        return arb_of(self.M) * arb_of(self.bad_set_measure) ** (1 / arb_of(Fraction(self.p)))

    def total_ball(self):
        return self.partition_ball() + arb_of(self.table_error) + arb_of(self.rounding()["interior"]) + self.bad_ball()

    def certified(self) -> bool:
        return bool(self.total_ball().upper() <= arb_of(self.eps))

    def ledger(self) -> dict:
        """The per-entry error budget, term by term (upper bounds rounded up to floats)."""
        terms = {"partition": upper_float(self.partition_ball()), "table": round_up(self.table_error),
                 "bad_sets": upper_float(self.bad_ball()), "rounding": round_up(self.rounding()["interior"])}
        terms["total"] = upper_float(self.total_ball())
        return terms

    def binding_term(self) -> str:
        """The ledger term furthest over its share of ε (the largest term relative to its budget)."""
        led = self.ledger()
        shares = dict(zip(("partition", "bad_sets", "table"), self.budget_shares))
        shares["rounding"] = shares["table"]
        worst = max(LEDGER_TERMS, key=lambda k: led[k] / float(shares[k] * self.eps))
        return f"{worst} = {led[worst]:.3g} (its share of ε: {float(shares[worst] * self.eps):.3g})"

    # ------------------------------------------------------------------ choosing η
    def choose_eta(self, share: Fraction) -> None:
        """The largest dyadic η = 2^{−k} whose bad-set term M·μ(B)^{1/p} fits ``share`` (and η + 2ϑ ≤ δ/4)."""
        if self.G == 1:
            self.k = 1  # no thresholds, no bad set
            return
        if self.p == math.inf:
            raise VarcheckError("p must be finite for the bad-set accounting (P4): with p = ∞, μ(B)^{1/p} = 1.")
        floor = Fraction(self.quantized * (self.G - 1)) * 2 * self.perturbation  # μ(B) as η → 0
        if floor > 0 and (arb_of(floor) ** (1 / arb_of(Fraction(self.p))) * arb_of(self.table_max)).lower() > arb_of(
            Fraction(share)
        ):
            raise MarginError(f"the input perturbation ϑ = {float(self.perturbation):.3g} of the tokens (input "
                              f"rounding and the interpolation layer in {self.fmt}) alone makes the bad-set term "
                              f"exceed its budget {float(share):.3g}")
        k = max(2, math.ceil(math.log2(4 * self.G)))  # ramps of adjacent thresholds never overlap
        estimate = float(2 * self.table_max + self.table_error + 1)
        ratio = (float(share) / estimate) ** float(self.p) / (self.quantized * (self.G - 1))
        k = max(k, math.ceil(-math.log2(max(ratio, 1e-300))))
        for _ in range(64):
            self.k = k
            if self.eta + 2 * self.perturbation <= self.delta / 4 and self.bad_ball().upper() <= arb_of(
                Fraction(share)
            ):
                return
            k += 1
        raise MarginError(f"no ramp width η ≥ 2^-{k} fits the bad-set budget {float(share):.3g}.")
