"""Evidence for P3 (value mapping): token-wise ReLU networks that map finitely many keys to prescribed values exactly,
their
width and Lipschitz constant.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ...exact.directed_rounding import format_bound
from ...exact.value_mapping import GridValueMap, ScalarValueMap
from ...theory.mutants import Check, Mutant
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ..properties import UNBOUNDED_RATIO, run_property, single_threaded
from .bad_sets import exact_bad_set_accounting

_STEP = ("arXiv:2502.06167, Lipschitz partitioning step of the universal-approximation proof (as restated in "
         "docs/theory.md "
         "§4)")

__all__ = ['CLAIMS', 'MUTANTS']




def symbolic_value_map(ctx: Context) -> EvidenceResult:
    """With keys k₁ < … < k_m written k_{i+1} = k_i + g_i (g_i > 0) and free values, V(k_j) − v_j cancels to 0 and
    the slope on (k_j, k_{j+1}) telescopes to s_j, as rational-function identities (m = 1..6)."""
    for m in range(1, ctx.pick(6, 8) + 1):
        k1 = sp.Symbol("k1", real=True)
        gaps = sp.symbols(f"g1:{m}", positive=True) if m > 1 else ()
        vals = sp.symbols(f"v1:{m + 1}", real=True)
        keys = [k1 + sum(gaps[:i], sp.Integer(0)) for i in range(m)]
        slopes = [(vals[i + 1] - vals[i]) / gaps[i] for i in range(m - 1)]
        s = [sp.Integer(0)] + slopes + [sp.Integer(0)]
        coef = [s[i + 1] - s[i] for i in range(m)]

        def V(t):
            return vals[0] + sum(c * sp.Max(0, t - k) for c, k in zip(coef, keys))

        for j in range(m):
            expr = V(keys[j]) - vals[j]
            if expr.has(sp.Max) or sp.cancel(sp.together(expr)) != 0:
                return EvidenceResult("undecided", f"m = {m}: V(k_{j + 1}) − v_{j + 1} = {expr}")
        for j in range(m - 1):
            slope = sum(coef[: j + 1], sp.Integer(0))
            if sp.cancel(slope - slopes[j]) != 0:
                return EvidenceResult("undecided", f"m = {m}: slope on segment {j + 1} is {slope}")
    return EvidenceResult("proved", "V(t) = v₁ + Σ(s_i − s_{i−1})ReLU(t − k_i): every ReLU argument at a key has a "
                                    "known sign (a sum of positive gaps), V(k_j) = v_j and the slope Σ_{i≤j}(s_i − "
                                    f"s_{{i−1}}) = s_j cancel exactly for m = 1..{ctx.pick(6, 8)}; hence Lip V = "
                                    "max|s_j| ≤ max|Δv|/g_min.")


def _random_rationals(rng, size, den=64, low=-64, high=65):
    return [Fraction(int(v), den) for v in rng.integers(low, high, size=size)]


def exact_value_map_keys(ctx: Context) -> EvidenceResult:
    """Random scalar maps (m ≤ 24 keys, d_out ≤ 3) and grid maps (all G^d lattice centres as keys, base-G digits):
    exact at every key through the weights, constant beyond the key range; Lipschitz max|s| ≤ max|Δv|/g_min."""
    rng = np.random.default_rng([ctx.seed, 3])
    lines, worst_tightness = [], Fraction(1)
    for trial in range(ctx.pick(20, 200)):
        m, d_out = int(rng.integers(1, 25)), int(rng.integers(1, 4))
        keys = sorted(set(_random_rationals(rng, 3 * m, den=97, low=-500, high=500)))[:m]
        values = [tuple(_random_rationals(rng, d_out)) for _ in keys]
        V = ScalarValueMap(keys, values)
        for k, v in zip(keys, values):
            if V(k) != v:
                return EvidenceResult("refuted", f"scalar map {trial}: V({k}) = {V(k)} ≠ {v}",
                                      counterexample={"keys": keys, "key": k, "V": V(k), "value": v})
        if V(keys[0] - 1) != values[0] or V(keys[-1] + 1) != values[-1]:
            return EvidenceResult("refuted", f"scalar map {trial}: not constant outside the keys",
                                  counterexample={"keys": keys, "below": V(keys[0] - 1), "above": V(keys[-1] + 1)})
        if V.lipschitz() > V.lipschitz_bound():
            return EvidenceResult("refuted", f"scalar map {trial}: Lip {V.lipschitz()} > bound {V.lipschitz_bound()}",
                                  counterexample={"keys": keys, "values": values})
        if V.lipschitz_bound() > 0:
            worst_tightness = min(worst_tightness, V.lipschitz() / V.lipschitz_bound())
    for G, d in ctx.pick(((2, 1), (3, 2), (4, 2), (2, 3)), ((2, 1), (3, 2), (4, 2), (2, 3), (5, 2), (3, 3), (8, 2))):
        lattice = [tuple(Fraction(2 * gi + 1, 2 * G) for gi in idx) for idx in np.ndindex(*(G,) * d)]
        values = [tuple(_random_rationals(rng, 2)) for _ in lattice]
        V = GridValueMap(G, lattice, values)
        projected = sorted(V.project(t) for t in lattice)
        if projected != list(range(G**d)):
            return EvidenceResult("refuted", f"G = {G}, d = {d}: digit keys are {projected[:6]}…, not 0..G^d−1",
                                  counterexample={"G": G, "d": d, "keys": projected[:8]})
        for tok, v in zip(lattice, values):
            if V(tok) != v:
                return EvidenceResult("refuted", f"grid map G = {G}, d = {d}: V({tok}) ≠ {v}",
                                      counterexample={"G": G, "d": d, "token": tok, "V": V(tok), "value": v})
        lines.append(f"G={G}, d={d}: {G**d} keys, width {len(V.scalar)}, Lip∞ ≤ {V.lipschitz()}")
    return EvidenceResult("passed", f"{ctx.pick(20, 200)} scalar maps exact at every key (Lip/bound ≥ "
                                    f"{format_bound(worst_tightness, 'lower', 3)}: the theory bound max|Δv|/g_min is "
                                    "not tight in general); grid maps: " + "; ".join(lines),
                          observed=float(worst_tightness), bound=1)


@single_threaded
def torch_value_map(ctx: Context) -> EvidenceResult:
    """The plain FeedForward from the exact value-map weights, at the float keys: |runtime − V(x̃)| ≤ rounding bound."""
    import torch

    from ...runtime.feedforward import FeedForward

    def prop(example):
        G, d, s = example
        rng = np.random.default_rng(s)
        lattice = [tuple(Fraction(2 * gi + 1, 2 * G) for gi in idx) for idx in np.ndindex(*(G,) * d)]
        V = GridValueMap(G, lattice, [tuple(_random_rationals(rng, 3)) for _ in lattice])
        ff = FeedForward(*V.weights(), residual=False)
        x = torch.tensor([[float(v) for v in tok] for tok in lattice], dtype=torch.float64)
        got, bound = ff(x).tolist(), ff.error_bound(x).tolist()
        worst = 0.0
        for row, y, b in zip(x.tolist(), got, bound):
            exact = V([Fraction(v) for v in row])
            for yi, ei, bi in zip(y, exact, b):
                dev = abs(Fraction(yi) - ei)
                if dev:
                    worst = max(worst, float(dev) / bi if bi > 0 else UNBOUNDED_RATIO)
        return worst, f"G = {G}, d = {d}, Lip ≤ {V.lipschitz()}"

    strategy = st.tuples(st.integers(1, 6), st.integers(1, 2), st.integers(0, 2**32 - 1))
    return run_property(prop, strategy, ctx, quick=10, full=100, label="|FF_torch − V| / rounding bound")


# --------------------------------------------------------------------------- mutants


def _value_key_off_by_one(p) -> None:
    from ...exact import value_mapping

    original = value_mapping.ScalarValueMap.weights

    def weights(self):
        w1, b1, w2, b2 = original(self)
        if len(b1) >= 2:
            b1 = list(b1)
            b1[1] = b1[0]  # the second unit reads the first key: key index off by one
        return w1, b1, w2, b2

    p.setattr(value_mapping.ScalarValueMap, "weights", weights)


# --------------------------------------------------------------------------- claims


CLAIMS = (
    Claim(
        id="partition.value-mapping",
        label="P3",
        title="A token-wise ReLU network maps finitely many keys to prescribed values exactly",
        statement=(
            "For scalar keys k₁ < … < k_m and values v_i ∈ Q^{d_out}, V(t) = v₁ + Σ_{i=1}^{m} (s_i − s_{i−1})·ReLU(t − "
            "k_i) (s_i = Δv_i/Δk_i, s₀ = s_m = 0) has width m, equals v_i at every k_i, is constant outside [k₁, k_m] "
            "and has Lipschitz constant exactly max_i ‖s_i‖_∞ ≤ max_i ‖Δv_i‖_∞ / g_min (docs/theory.md's constant is "
            "this "
            "upper bound, attained only when the largest jump sits on the smallest gap). Lattice tokens (entries (g + "
            "½)/G) go through the exact injective base-G digit projection κ(x) = Σ_i G^{d−1−i}(G x_i − ½) (integer "
            "keys 0..G^d − 1) inside the same single hidden layer; Lip ≤ max‖s_i‖_∞ · Σ_i G^{d−i}."
        ),
        paper_ref=_STEP,
        expected="holds",
        hypotheses=("keys strictly increasing (scalar) or distinct lattice tokens (vector)",),
        constants=(
            ("WIDTH_V", "m", "one ReLU unit per key (the paired-ramp form would need 2(m−1))"),
            ("LIP_V", "max_i ‖s_i‖_∞", "slope of the interpolant on each segment; ≤ max‖Δv‖_∞/g_min"),
        ),
        evidence=(
            E("symbolic", symbolic_value_map, "V(k_j) − v_j and the segment slopes cancel exactly with symbolic keys "
                                              "k_{i+1} = k_i + g_i (g_i > 0), m ≤ 6"),
            E("construction", exact_value_map_keys, "random scalar maps and full-lattice grid maps evaluated through "
                                                    "the exact weights at every key; Lipschitz constants reported"),
            E("numeric", torch_value_map, "the torch FeedForward from the exact weights at the float keys, within its "
                                          "rounding bound"),
        ),
    ),
)


MUTANTS = (
    Mutant("partition.value-key-off-by-one", ("partition.value-mapping", "partition.bad-set-accounting"),
           "the value map's second unit reads the first key",
           _value_key_off_by_one,
           (Check(exact_value_map_keys), Check(exact_bad_set_accounting))),
)
