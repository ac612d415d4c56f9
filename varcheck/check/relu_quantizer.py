"""Evidence for P2 (the ReLU quantizer Q_η): equality with δ⌊t/δ⌋ off the bad set, exactly at every breakpoint, and the
torch feed-forward layer built from its exact weights.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ..exact.quantizer import ReluQuantizer, relu_forward_exact
from ..spec import partition as sp_part
from ..spec.registry import Context, EvidenceResult
from .properties import run_property, single_threaded
from .partition_grid import _UNBOUNDED_RATIO

__all__ = ['symbolic_quantizer', 'exact_quantizer_breakpoints', 'torch_quantizer']


def symbolic_quantizer(ctx: Context) -> EvidenceResult:
    """r(z) = ReLU(z+1) − ReLU(z) is 0 on z ≤ −1, z+1 on [−1, 0], 1 on z ≥ 0 (proved by positive substitutions);
    hence off the slabs (gδ−η, gδ) Q_η(t) = δ·#{g : gδ ≤ t} = q(t), the slabs are disjoint for η ≤ δ, their total
    length is (G−1)η and the ramp slope is δ/η."""
    w = sp.Symbol("w", positive=True)

    def r(z):
        return sp.Max(0, z + 1) - sp.Max(0, z)

    cases = {
        "z = w ≥ 0": (r(w), sp.Integer(1)),
        "z = 0": (r(sp.Integer(0)), sp.Integer(1)),
        "z = −1 − w ≤ −1": (r(-1 - w), sp.Integer(0)),
        "z = −1": (r(sp.Integer(-1)), sp.Integer(0)),
        "z = −w/(1+w) ∈ (−1, 0)": (r(-w / (1 + w)), 1 - w / (1 + w)),
    }
    for name, (got, want) in cases.items():
        if got.has(sp.Max) or sp.cancel(got - want) != 0:
            return EvidenceResult("undecided", f"ramp case {name}: {got} vs {want}")
    t, g, delta, eta = sp.symbols("t g delta eta", positive=True)
    z = (t - g * delta) / eta
    slope = sp.diff(delta * (z + 1), t)
    # z ≥ 0 ⇔ t ≥ gδ; z ≤ −1 ⇔ t ≤ gδ − η (η > 0): both are the linear substitutions t = gδ + ηz
    zs = sp.Symbol("z")
    if sp.expand(z.subs(t, g * delta + eta * zs) - zs) != 0 or sp.cancel(slope - delta / eta) != 0:
        return EvidenceResult("undecided", f"slab or slope algebra failed: {slope}")
    gap = sp.expand(((g + 1) * delta - eta) - g * delta)  # next slab starts after this one ends ⇔ δ − η ≥ 0
    if gap != delta - eta:
        return EvidenceResult("undecided", f"disjointness: {gap}")
    return EvidenceResult(
        "proved",
        "ReLU(z+1) − ReLU(z) = 1 (z ≥ 0), 0 (z ≤ −1), z + 1 (−1 < z < 0) by substitution with a positive w; with z = (t − gδ)/η "
        "the ramp is the step [t ≥ gδ] off (gδ − η, gδ), so Q_η = δ·#{1 ≤ g ≤ G−1 : gδ ≤ t} = δ·min(⌊t/δ⌋, G−1) there; "
        f"on a slab dQ/dt = {slope}; consecutive slabs are {gap} apart (disjoint iff η ≤ δ), each of length η inside "
        "[δ − η, 1 − δ] ⊂ [0, 1], so the bad set has length (G−1)η per entry and μ(B) = 1 − (1 − (G−1)η)^{nd} ≤ nd(G−1)η.",
    )


def _quantizer_cases(ctx):
    grids = ctx.pick((1, 2, 3, 5, 16), (1, 2, 3, 4, 5, 7, 8, 12, 16, 31, 64))
    divisors = ctx.pick((1, 7, 1000), (1, 2, 3, 7, 10, 1000, 10**6))
    for G in grids:
        for k in divisors:
            yield G, Fraction(1, G * k)


def exact_quantizer_breakpoints(ctx: Context) -> EvidenceResult:
    """The network weights (plain and residual, token dimension 2) evaluated over Q at every breakpoint, between
    breakpoints, at 0 and 1 and at random rationals equal q off the bad set and stay in [q, q + δ] on it; the
    exact bad-set length is (G−1)η and the exact Lipschitz constant (max slope) is δ/η."""
    rng = np.random.default_rng(ctx.seed)
    checked = 0
    for G, eta in _quantizer_cases(ctx):
        Q = ReluQuantizer(G, eta)
        plain, residual = Q.weights(2), Q.weights(2, residual=True)
        bps = Q.breakpoints()
        pts = set(bps) | {Fraction(0), Fraction(1)} | {(a + b) / 2 for a, b in zip(bps, bps[1:])}
        pts |= {Fraction(int(v), 10**6) for v in rng.integers(0, 10**6 + 1, size=ctx.pick(20, 200))}
        pts = sorted(pts)
        for t, u in zip(pts, reversed(pts)):
            want = (Q.reference(t), Q.reference(u))
            for weights, res in ((plain, False), (residual, True)):
                got = tuple(relu_forward_exact([t, u], *weights, residual=res))
                for value, x, ref in zip(got, (t, u), want):
                    bad = Q.in_bad_set(x)
                    ok = (ref <= value <= ref + Q.delta) if bad else value == ref
                    if not ok:
                        return EvidenceResult("refuted", f"G = {G}, η = {eta}: network gives {value} at t = {x}, q(t) = {ref}"
                                              + (" (bad set)" if bad else ""),
                                              counterexample={"G": G, "eta": eta, "t": x, "Q": value, "q": ref, "residual": res})
                checked += 1
        length, want_len = Q.bad_set_length(), (G - 1) * eta
        lip, want_lip = Q.lipschitz(), sp_part.quantizer_lipschitz(G, eta)
        if length != want_len or lip != want_lip:
            return EvidenceResult("refuted", f"G = {G}, η = {eta}: bad-set length {length} (want {want_len}), Lip {lip} (want {want_lip})",
                                  counterexample={"G": G, "eta": eta, "length": length, "lipschitz": lip})
        if Q.bad_set_measure(6) != 1 - (1 - want_len) ** 6 or Q.bad_set_measure(6) > 6 * want_len:
            return EvidenceResult("refuted", f"G = {G}, η = {eta}: measure in [0,1]^6 {Q.bad_set_measure(6)}",
                                  counterexample={"G": G, "eta": eta, "measure": Q.bad_set_measure(6)})
    cases = len(list(_quantizer_cases(ctx)))
    return EvidenceResult("passed", f"{cases} (G, η) instances, {checked} exact token evaluations (plain and residual "
                                    "weights): equal to q off the bad set at every breakpoint and between; bad-set length "
                                    "(G−1)η and Lipschitz δ/η exactly", observed=checked)


@single_threaded
def torch_quantizer(ctx: Context) -> EvidenceResult:
    """The torch FeedForward (residual and plain) built from the exact weights: |runtime − Q_η(x̃)| ≤ the proved
    rounding bound at the float breakpoints, their neighbours and random floats (Q_η(x̃) exact at the float x̃)."""
    import torch

    from ..runtime.feedforward import FeedForward

    def prop(example):
        G, k, residual, s = example
        eta = Fraction(1, G * k)
        Q = ReluQuantizer(G, eta)
        ff = FeedForward(*Q.weights(1, residual=residual), residual=residual)
        pts = [float(b) for b in Q.breakpoints()] + [0.0, 1.0]
        pts += [math.nextafter(p, 2.0) for p in pts] + [math.nextafter(p, -1.0) for p in pts]
        pts += list(np.random.default_rng(s).random(32))
        x = torch.tensor(pts, dtype=torch.float64).reshape(-1, 1)
        got = ff(x).reshape(-1).tolist()
        bound = ff.error_bound(x).reshape(-1).tolist()
        worst = 0.0
        for xi, yi, bi in zip(pts, got, bound):
            dev = abs(Fraction(yi) - Q(Fraction(xi)))
            if dev > 0:
                worst = max(worst, float(dev) / bi if bi > 0 else _UNBOUNDED_RATIO)
        return worst, f"G = {G}, η = δ/{k}, residual = {residual}"

    strategy = st.tuples(st.integers(1, 24), st.sampled_from((1, 2, 3, 10, 1000, 10**6)), st.booleans(), st.integers(0, 2**32 - 1))
    return run_property(prop, strategy, ctx, quick=15, full=150, label="|FF_torch − Q_η| / rounding bound")
