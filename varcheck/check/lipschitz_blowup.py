"""Evidence for P5 (Lipschitz blow-up): the constructed networks' Lipschitz constant grows like δ/η → ∞.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from ..exact.quantizer import ReluQuantizer
from ..spec import partition as sp_part
from ..spec.registry import Context, EvidenceResult
from .properties import single_threaded
from .bad_sets import _pipeline_1d

__all__ = ['symbolic_blowup', 'exact_blowup_sequence', 'torch_blowup_slope']


def symbolic_blowup(ctx: Context) -> EvidenceResult:
    """δ/η* = nd(G−1)/G·(M/ε₂)^p → ∞ as ε₂ → 0⁺, and (δ/η*)·ε₂ = nd(G−1)/G·M^p ε₂^{1−p} does not tend to 0 for any p ≥ 1:
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
    return EvidenceResult("proved", f"δ/η* = {lip}; with nd = 6, G = 5, M = 3/2: lim_{{ε₂→0}} δ/η* = ∞ for p = 1, 3/2, 2, and "
                                    f"lim ε₂·δ/η* = {limits['1'][1]} (p = 1), ∞ (p = 3/2, 2): never 0.")


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
            f, L, G, M, eta, Q, V = _pipeline_1d([Fraction(0), Fraction(1, 3), Fraction(1)],
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
                return EvidenceResult("refuted", f"Lip(V∘Q) = {lip_g} > Lip V · Lip Q", counterexample={"eps": eps, "lip_g": lip_g})
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

    from ..runtime.feedforward import FeedForward

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
            return EvidenceResult("refuted", f"G = {G}, η = δ/{k}: runtime slope off by {float(dev)!r} > rounding bound",
                                  counterexample={"G": G, "eta": eta, "deviation": dev})
        slope = (y[1] - y[0]) / (b - a)
        lines.append(f"G = {G}, η = δ/{k}: slope {slope:.6g} (δ/η = {k})")
    return EvidenceResult("passed", "; ".join(lines), observed=lines[-1])
