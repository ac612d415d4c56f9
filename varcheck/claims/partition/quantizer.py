"""Evidence for P2 (the ReLU quantizer Q_η): equality with δ⌊t/δ⌋ off the bad set, exactly at every breakpoint, and the
torch feed-forward layer built from its exact weights.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ...exact.quantizer import ReluQuantizer, relu_forward_exact
from ...theory import partition as sp_part
from ...theory.mutants import Check, Mutant
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ..properties import UNBOUNDED_RATIO, run_property, single_threaded
from .bad_sets import pipeline_1d

_STEP = ("arXiv:2502.06167, Lipschitz partitioning step of the universal-approximation proof (as restated in "
         "docs/theory.md "
         "§4)")
_VAR = "varcheck formalisation"

__all__ = ['CLAIMS', 'MUTANTS']




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
        "ReLU(z+1) − ReLU(z) = 1 (z ≥ 0), 0 (z ≤ −1), z + 1 (−1 < z < 0) by substitution with a positive w; with z = "
        "(t − gδ)/η the ramp is the step [t ≥ gδ] off (gδ − η, gδ), so Q_η = δ·#{1 ≤ g ≤ G−1 : gδ ≤ t} = δ·min(⌊t/δ⌋, "
        f"G−1) there; on a slab dQ/dt = {slope}; consecutive slabs are {gap} apart (disjoint iff η ≤ δ), each of "
        "length η inside [δ − η, 1 − δ] ⊂ [0, 1], so the bad set has length (G−1)η per entry and μ(B) = 1 − (1 − "
        "(G−1)η)^{nd} ≤ nd(G−1)η.",
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
                        return EvidenceResult("refuted", f"G = {G}, η = {eta}: network gives {value} at t = {x}, q(t) "
                                                         f"= {ref}"
                                              + (" (bad set)" if bad else ""),
                                              counterexample={"G": G, "eta": eta,
                                                              "t": x, "Q": value, "q": ref, "residual": res})
                checked += 1
        length, want_len = Q.bad_set_length(), (G - 1) * eta
        lip, want_lip = Q.lipschitz(), sp_part.quantizer_lipschitz(G, eta)
        if length != want_len or lip != want_lip:
            return EvidenceResult("refuted", f"G = {G}, η = {eta}: bad-set length {length} (want {want_len}), Lip "
                                             f"{lip} (want {want_lip})",
                                  counterexample={"G": G, "eta": eta, "length": length, "lipschitz": lip})
        if Q.bad_set_measure(6) != 1 - (1 - want_len) ** 6 or Q.bad_set_measure(6) > 6 * want_len:
            return EvidenceResult("refuted", f"G = {G}, η = {eta}: measure in [0,1]^6 {Q.bad_set_measure(6)}",
                                  counterexample={"G": G, "eta": eta, "measure": Q.bad_set_measure(6)})
    cases = len(list(_quantizer_cases(ctx)))
    return EvidenceResult("passed", f"{cases} (G, η) instances, {checked} exact token evaluations (plain and residual "
                                    "weights): equal to q off the bad set at every breakpoint and between; bad-set "
                                    "length (G−1)η and Lipschitz δ/η exactly", observed=checked)


@single_threaded
def torch_quantizer(ctx: Context) -> EvidenceResult:
    """The torch FeedForward (residual and plain) built from the exact weights: |runtime − Q_η(x̃)| ≤ the proved
    rounding bound at the float breakpoints, their neighbours and random floats (Q_η(x̃) exact at the float x̃)."""
    import torch

    from ...runtime.feedforward import FeedForward

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
                worst = max(worst, float(dev) / bi if bi > 0 else UNBOUNDED_RATIO)
        return worst, f"G = {G}, η = δ/{k}, residual = {residual}"

    strategy = st.tuples(
        st.integers(1, 24), st.sampled_from((1, 2, 3, 10, 1000, 10**6)), st.booleans(), st.integers(0, 2**32 - 1)
    )
    return run_property(prop, strategy, ctx, quick=15, full=150, label="|FF_torch − Q_η| / rounding bound")


# --------------------------------------------------------------------------- P5 Lipschitz blow-up



def symbolic_blowup(ctx: Context) -> EvidenceResult:
    """δ/η* = nd(G−1)/G·(M/ε₂)^p → ∞ as ε₂ → 0⁺, and (δ/η*)·ε₂ = nd(G−1)/G·M^p ε₂^{1−p} does not tend to 0 for any p ≥
    1:
    a bound multiplying an O(ε) error by Lip(Q_η) does not vanish."""
    s = sp_part.symbols()
    lip = sp_part.symbolic_blowup()
    expected = s["n"] * s["d"] * (s["G"] - 1) / s["G"] * (s["M"] / s["epsilon_2"]) ** s["p"]
    if sp.expand(lip - expected) != 0:
        return EvidenceResult("undecided", f"δ/η* = {lip}")
    concrete = {s["n"]: 2, s["d"]: 3, s["G"]: 5, s["M"]: sp.Rational(3, 2)}
    limits = {}
    for p in (1, 2, sp.Rational(3, 2)):
        lp = lip.subs(concrete).subs(s["p"], p)
        limits[str(p)] = (sp.limit(lp, s["epsilon_2"], 0, "+"), sp.limit(lp * s["epsilon_2"], s["epsilon_2"], 0, "+"))
    if any(a != sp.oo for a, _ in limits.values()) or limits["1"][1] in (0, sp.oo) or limits["2"][1] != sp.oo:
        return EvidenceResult("undecided", f"limits {limits}")
    return EvidenceResult("proved", f"δ/η* = {lip}; with nd = 6, G = 5, M = 3/2: lim_{{ε₂→0}} δ/η* = ∞ for p = 1, 3/2, "
                                    f"2, and lim ε₂·δ/η* = {limits['1'][1]} (p = 1), ∞ (p = 3/2, 2): never 0.")


def exact_blowup_sequence(ctx: Context) -> EvidenceResult:
    """ε = 2⁻ᵏ (ε₁ = ε₂ = ε/2): the built quantizer's exact Lipschitz constant (max slope) equals δ/η, grows
    strictly, and for the 1-D pipeline g = V∘Q the exact Lip(g) = Lip(V)·δ/η on a slab; the fitted exponent of
    Lip(Q_η) against 1/ε approaches p."""
    ks = range(1, ctx.pick(7, 9))  # ε down to 1/64 (quick) or 1/256 (full): G ≤ 384, exact O(G²) evaluation
    report = []
    for p in (1, 2):
        lips, eps_list = [], []
        for k in ks:
            eps = Fraction(1, 2**k)
            f, L, G, M, eta, Q, V = pipeline_1d([Fraction(0), Fraction(1, 3), Fraction(1)],
                                                 [Fraction(0), Fraction(1, 2), Fraction(1, 4)], eps / 2, eps / 2, p)
            lip_q = Q.lipschitz()
            if lip_q != Q.delta / eta:
                return EvidenceResult("refuted", f"p = {p}, ε = {eps}: max slope {lip_q} ≠ δ/η = {Q.delta / eta}",
                                      counterexample={"eps": eps, "G": G, "eta": eta, "lip": lip_q})
            # slope of g on a slab: V's slope between the two centres it interpolates times δ/η
            slabs = Q.bad_set()
            slabs = slabs[:: max(1, len(slabs) // 16)]  # every slab behaves alike; 16 spread over [0, 1] suffice
            slab_slopes = [(V(Q(b))[0] - V(Q(a))[0]) / (b - a) for a, b in slabs]
            lip_g = max((abs(v) for v in slab_slopes), default=Fraction(0))
            if lip_g > V.lipschitz() * lip_q:
                return EvidenceResult("refuted", f"Lip(V∘Q) = {lip_g} > Lip V · Lip "
                                                 "Q", counterexample={"eps": eps, "lip_g": lip_g})
            lips.append(lip_q)
            eps_list.append(eps)
        if any(b <= a for a, b in zip(lips[2:], lips[3:])):
            return EvidenceResult("failed", f"p = {p}: Lip(Q_η) not increasing: {[str(v) for v in lips]}")
        xs = np.log([float(1 / e) for e in eps_list])[len(lips) // 2:]
        ys = np.log([float(v) for v in lips])[len(lips) // 2:]
        exponent = float(np.polyfit(xs, ys, 1)[0])
        floor = min(float(v * e) for v, e in zip(lips[len(lips) // 2:], eps_list[len(lips) // 2:]))
        report.append(f"p = {p}: Lip(Q_η) = {float(lips[0]):.3g} → {float(lips[-1]):.3g} as ε = 1/2 → {eps_list[-1]}, "
                      f"fitted exponent {exponent:.3f} (theory {p}), min ε·Lip over the finer half {floor:.3g} (> 0)")
        if abs(exponent - p) > 0.5 or floor <= 0:
            return EvidenceResult("failed", "; ".join(report))
    return EvidenceResult("passed", "; ".join(report))


@single_threaded
def torch_blowup_slope(ctx: Context) -> EvidenceResult:
    """The torch quantizer really has slope δ/η: across the middle of a ramp the runtime difference quotient equals
    δ/η within the proved rounding bounds of the two evaluations, for η down to δ/10⁶."""
    import torch

    from ...runtime.feedforward import FeedForward

    lines = []
    for G, k in ((4, 10), (16, 1000), (64, 10**6)):
        eta = Fraction(1, G * k)
        Q = ReluQuantizer(G, eta)
        ff = FeedForward(*Q.weights(1), residual=False)
        g = G // 2
        a, b = float(Fraction(g, G) - 3 * eta / 4), float(Fraction(g, G) - eta / 4)
        x = torch.tensor([[a], [b]], dtype=torch.float64)
        y, e = ff(x).reshape(-1).tolist(), ff.error_bound(x).reshape(-1).tolist()
        exact_diff = (Q.delta / eta) * (Fraction(b) - Fraction(a))  # Q is linear on the ramp
        dev = abs(Fraction(y[1]) - Fraction(y[0]) - exact_diff)
        if dev > Fraction(e[0]) + Fraction(e[1]):
            return EvidenceResult("refuted", f"G = {G}, η = δ/{k}: runtime slope off by {float(dev)!r} > rounding "
                                             "bound",
                                  counterexample={"G": G, "eta": eta, "deviation": dev})
        slope = (y[1] - y[0]) / (b - a)
        lines.append(f"G = {G}, η = δ/{k}: slope {slope:.6g} (δ/η = {k})")
    return EvidenceResult("passed", "; ".join(lines), observed=lines[-1])


# --------------------------------------------------------------------------- mutants


def _quantizer_term_dropped(which: str):
    def apply(p) -> None:
        from ...exact import quantizer

        original = quantizer.ReluQuantizer.weights

        def weights(self, d=1, *, residual=False):
            w1, b1, w2, b2 = original(self, d, residual=residual)
            if self.G < 2:
                return w1, b1, w2, b2
            # zero the read-out of hidden units of entry 0: the last level's pair, or the +δ half of level 1
            units = (2 * (self.G - 1) - 2, 2 * (self.G - 1) - 1) if which == "last level" else (0,)
            for j in units:
                w2[j] = [Fraction(0)] * len(w2[j])
            return w1, b1, w2, b2

        p.setattr(quantizer.ReluQuantizer, "weights", weights)

    return apply


def _ramp_twice_as_steep(p) -> None:
    from ...exact import quantizer

    original = quantizer.ReluQuantizer.weights

    def weights(self, d=1, *, residual=False):
        w1, b1, w2, b2 = original(self, d, residual=residual)
        return [[2 * v for v in row] for row in w1], b1, w2, b2

    p.setattr(quantizer.ReluQuantizer, "weights", weights)


# --------------------------------------------------------------------------- claims


CLAIMS = (
    Claim(
        id="partition.relu-quantizer",
        label="P2",
        title="The ReLU quantizer equals the grid quantizer off a bad set of length (G−1)η",
        statement=(
            "Per entry, Q_η(t) = Σ_{g=1}^{G−1} δ·[ReLU((t − gδ)/η + 1) − ReLU((t − gδ)/η)] equals the clipped grid "
            "quantizer q(t) = δ·min(⌊t/δ⌋, G−1) for every t ∈ [0, 1] outside B_η = ∪_g (gδ − η, gδ) (docs/theory.md "
            "writes the "
            "half-open [gδ − η, gδ); Q_η = q at gδ − η), and lies in [q(t), q(t) + δ] on it. For 0 < η ≤ δ the slabs "
            "are disjoint: B_η has length (G−1)η per entry, μ(B) = 1 − (1 − (G−1)η)^{nd} ≤ nd(G−1)η in [0,1]^{n×d}, "
            "and Lip(Q_η) = δ/η. It is one token-wise ReLU layer of width 2(G−1)d (residual form: 2d more units cancel "
            "the skip connection)."
        ),
        paper_ref=_STEP,
        expected="holds",
        hypotheses=("G ≥ 1 an integer, δ = "
                    "1/G", "0 < η ≤ δ (η > δ makes ramps overlap: length < (G−1)η and slopes add)"),
        constants=(
            ("LIP_Q", "δ/η", "one ramp of height δ over width η at a time (disjoint for η ≤ δ)"),
            ("WIDTH_Q", "2(G−1)d (+2d "
                        "residual)", "two ReLU units per level and entry; ReLU(−x) − ReLU(x) = −x cancels the skip"),
        ),
        evidence=(
            E("symbolic", symbolic_quantizer, "ReLU(z+1) − ReLU(z) on its three pieces by positive substitutions; "
                                              "slab, slope and disjointness algebra"),
            E("construction", exact_quantizer_breakpoints, "the exact weights (plain and residual) over Q at every "
                                                           "breakpoint, between breakpoints and at random rationals; "
                                                           "exact bad-set length and max slope"),
            E("numeric", torch_quantizer, "the torch FeedForward from the exact weights matches Q_η(x̃) within its "
                                          "proved rounding bound"),
        ),
    ),
    Claim(
        id="partition.lipschitz-blowup",
        label="P5",
        title="The partition network's Lipschitz constant blows up like δ/η",
        statement=(
            "With G from ε₁ (P1) and η = η* from ε₂ (P4), Lip(Q_η) = δ/η = nd·(G−1)/G·(M/ε₂)^p → ∞ as ε₂ → 0, and "
            "ε₂·Lip(Q_η) does not tend to 0 for any p ≥ 1 (a positive constant for p = 1, ∞ for p > 1): a composition "
            "bound that multiplies an O(ε) error by Lip(g) of the constructed network is vacuous."
        ),
        paper_ref=_VAR,
        expected="holds",
        depends_on=("partition.relu-quantizer", "partition.bad-set-accounting"),
        hypotheses=("η = η* (uncapped), 1 ≤ p < ∞",),
        constants=(("LIP_BLOWUP", "nd(G−1)/G·(M/ε₂)^p", "δ/η* with δ = 1/G"),),
        evidence=(
            E("symbolic", symbolic_blowup, "δ/η* in closed form; sympy limits ε₂ → 0⁺ of δ/η* and ε₂·δ/η* for p = 1, "
                                           "3/2, 2"),
            E("construction", exact_blowup_sequence, "ε = 2⁻ᵏ: exact max slope of the built Q_η equals δ/η, grows "
                                                     "strictly, fitted exponent ≈ p; Lip of the 1-D pipeline on slabs"),
            E("numeric", torch_blowup_slope, "the torch quantizer's difference quotient across a ramp equals δ/η "
                                             "within rounding bounds, up to δ/η = 10⁶"),
        ),
    ),
)


MUTANTS = (
    Mutant("partition.quantizer-last-level-dropped", ("partition.relu-quantizer",),
           "the ReLU quantizer's last level (both units) read out with weight 0",
           _quantizer_term_dropped("last level"),
           (Check(exact_quantizer_breakpoints), Check(torch_quantizer))),
    Mutant("partition.quantizer-first-ramp-dropped", ("partition.relu-quantizer",),
           "the +δ unit of the quantizer's first level read out with weight 0",
           _quantizer_term_dropped("first ramp half"),
           (Check(exact_quantizer_breakpoints), Check(torch_quantizer))),
    Mutant("partition.ramp-twice-as-steep", ("partition.lipschitz-blowup",),
           "quantizer ramps twice as steep as constructed (η halved in the weights only)",
           _ramp_twice_as_steep, (Check(torch_blowup_slope),)),
)
