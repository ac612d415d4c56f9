"""The word-to-image construction of THEORY.md §6.2 (T2): plan, constants and error ledger.

Input x ∈ [0,1]^{1×d} (one token). Φ_up copies it to every pyramid token (I2: the 1×1 start is
constant, and the exact pyramid matrix P is a column of ones), E appends the token's position t, FF₁
quantizes each coordinate into a digit k_i = Q_η(x_i)/δ ∈ [0, G−1] (P2), SA is the identity (W_O = 0)
or the contextual layer writing into a channel nobody reads (F9), and FF₂ is a lookup: hats
h_{i,g} = ReLU(k_i−g+1) − 2ReLU(k_i−g) + ReLU(k_i−g−1), position hats e_t likewise, then units
ReLU(Σ_i h_{i,g_i} + e_t − d) per (cell g⃗, position t) read out the table f(c_g⃗)_t.

Ledger (per-entry distance d̄_p on x uniform in [0,1]^d), each term from its inequality:
* partition (P1): off the bad set the network equals f̄ = f(cell centre), |f − f̄| ≤ L_f·δ/2 (α = ∞);
* bad set (P4): the ramps cover μ(B) ≤ d(G−1)η; there at most 2^d lookup units are non-zero, each
  ≤ 1, so |g| ≤ 2^d·T (T = max |table|) and |f| ≤ T + L_f δ/2: M = (2^d + 1)T + L_f δ/2;
* table: the float64 table values f̃(c) differ from f(c) by at most the target's rounding bound;
* rounding: the float64 evaluation of the network, :func:`network_rounding_bound`.
d̄_p ≤ (partition + table) + M·μ(B)^{1/p} + rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..errors import VarcheckError, require_int
from .floating_point import UNIT_ROUNDOFF, gamma

__all__ = ["WordToImagePlan", "plan_word_to_image", "network_rounding_bound", "BUDGET_SHARES"]

#: Shares of ε given to the partition, the bad sets, and table + float64 rounding; they sum to 1.
BUDGET_SHARES = (Fraction(3, 5), Fraction(1, 5), Fraction(1, 5))


def network_rounding_bound(G: int, eta: Fraction, d: int, L: int, table_max: float) -> float:
    """Sup bound on |float64 network − exact network| for inputs in [0, 1].

    Step units: a = fl((x − gδ)/η) has |a| ≤ A = 1/η + 1 and error ≤ 3u·A (subtraction, division, and
    the rounded weights); fl(a + 1) adds u(A+1); ReLU(a+1) − ReLU(a) then differs from its exact value
    by ≤ e_s = 2·(3uA + u(A + 1)). A digit sums G−1 units: e_k = (G−1)e_s + γ_{G}·G. A hat combines
    three ReLUs of k − g ± 1 (|·| ≤ G + 1): e_h = 4(e_k + u(G + 1)) + γ_3·4(G + 1). A lookup unit adds d
    hats and one position hat (exact: positions are integers): e_a = d·e_h + γ_{d+1}(d + 1). The runtime
    evaluates only the 2^d units of the cells adjacent to the digits (every other unit is exactly 0 in exact
    arithmetic and is not computed), so the output moves by ≤ 2^d·e_a·T plus the final sum's γ_{2^d}·2^d·T;
    e_h < 1/(2d) keeps the floor of a digit within one cell of its exact value.
    """
    u = UNIT_ROUNDOFF
    A = 1 / float(eta) + 1
    e_s = 2 * (3 * u * A + u * (A + 1))
    e_k = (G - 1) * e_s + gamma(G) * G
    e_h = 4 * (e_k + u * (G + 1)) + gamma(3) * 4 * (G + 1)
    if e_h >= 1 / (2 * d):
        return math.inf
    e_a = d * e_h + gamma(d + 1) * (d + 1)
    return (2**d * e_a + gamma(2**d) * 2**d) * table_max


@dataclass
class WordToImagePlan:
    """Every constant of the construction, exact where rational."""

    d: int
    L: int
    channels: int
    p: object
    eps: Fraction
    lipschitz: Fraction
    G: int
    eta: Fraction
    table_max: float = 0.0
    table_error: float = 0.0

    @property
    def delta(self) -> Fraction:
        return Fraction(1, self.G)

    @property
    def partition_term(self) -> Fraction:
        return self.lipschitz * self.delta / 2

    @property
    def bad_set_measure(self) -> Fraction:
        return min(Fraction(1), self.d * (self.G - 1) * self.eta)

    @property
    def M(self) -> float:
        return (2**self.d + 1) * self.table_max + float(self.partition_term)

    def widths(self) -> dict:
        """Hidden widths of the layers (dense counts; FF₂'s lookup is block-sparse by position)."""
        return {"FF1_hidden": 2 * (self.G - 1) * self.d, "FF2_hat_hidden": 3 * (self.G * self.d + self.L),
                "FF2_lookup_hidden": self.G**self.d * self.L}

    def parameter_count(self) -> int:
        """Non-zero weights and biases of FF₁ and FF₂ (SA identity has none)."""
        w = self.widths()
        ff1 = w["FF1_hidden"] * 2 + w["FF1_hidden"] + self.d  # in-weights, out-weights, biases
        hats = w["FF2_hat_hidden"] * 3
        lookup = w["FF2_lookup_hidden"] * (self.d + 1 + 1 + self.channels)
        return ff1 + hats + lookup

    def ledger(self, rounding: float) -> dict:
        """The per-entry error budget, term by term (floats rounded up where they bound)."""
        p = self.p
        mu = float(self.bad_set_measure)
        bad = self.M * (mu ** (1 / p) if p != math.inf else (1.0 if mu > 0 else 0.0))
        terms = {"partition": float(self.partition_term), "table": self.table_error, "bad_sets": bad,
                 "rounding": rounding}
        terms["total"] = math.fsum(terms.values()) * (1 + 8 * UNIT_ROUNDOFF)
        return terms


def plan_word_to_image(*, d: int, L: int, channels: int, lipschitz, eps, p=2) -> WordToImagePlan:
    """Choose G and η from the budget: G = ⌈L_f/(2ε₁)⌉ (P1, α = ∞, per entry) and η from the bad-set share."""
    d = require_int("d", d, minimum=1)
    L = require_int("L", L, minimum=1)
    eps = Fraction(eps)
    if eps <= 0:
        raise VarcheckError(f"eps must be > 0, got {float(eps)!r}.")
    if p != math.inf and (isinstance(p, bool) or not isinstance(p, (int, float, Fraction)) or p < 1):
        raise VarcheckError(f"p must be a number ≥ 1 or math.inf, got {p!r}.")
    lip = Fraction(lipschitz)
    G = max(1, math.ceil(lip / (2 * eps * BUDGET_SHARES[0])))  # L_f·δ/2 ≤ ε·share₀
    return WordToImagePlan(d, L, channels, p, eps, lip, G, Fraction(0))


def choose_eta(plan: WordToImagePlan) -> Fraction:
    """η with M·(d(G−1)η)^{1/p} ≤ ε·share₂: η = (ε₂/M)^p/(d(G−1)), rounded down to a dyadic (p finite)."""
    if plan.G == 1:
        return Fraction(1, 2)  # no thresholds, no bad set
    if plan.p == math.inf:
        raise VarcheckError("p must be finite for the bad-set accounting (P4): with p = ∞, μ(B)^{1/p} = 1.")
    eps2 = float(plan.eps * BUDGET_SHARES[1])
    target = (eps2 / plan.M) ** float(plan.p) / (plan.d * (plan.G - 1))
    k = math.floor(math.log2(target)) - 1  # a power of two at most half the target: covers float error in target
    eta = Fraction(1, 2 ** (-k)) if k < 0 else Fraction(2**k)
    return min(eta, plan.delta / 2)
