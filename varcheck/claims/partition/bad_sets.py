"""Evidence for P4 (bad-set accounting): d_p(f, g) ≤ d_p(f, f̄) + M μ(B)^{1/p}, exactly over Q on 1-D pipelines and
through
the torch quantizer; the ramp width η from the budget.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from ...exact.directed_rounding import format_bound
from ...exact.floating_point import gamma
from ...exact.quantizer import ReluQuantizer, grid_quantize
from ...exact.value_mapping import GridValueMap, ScalarValueMap
from ...theory import partition as sp_part
from ...theory.mutants import Check, Mutant
from ...theory.partition import PowerProduct
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import Constant
from ..properties import single_threaded

_STEP = ("arXiv:2502.06167, Lipschitz partitioning step of the universal-approximation proof (as restated in "
         "docs/theory.md "
         "§4)")

__all__ = ['CLAIMS', 'MUTANTS', 'PARTITION_INSTANCE', 'exact_lp_distance', 'pipeline_1d', 'partition_constants']




def symbolic_eta(ctx: Context) -> EvidenceResult:
    """η* = (ε₂/M)^p/(nd(G−1)) solves M(nd(G−1)η)^{1/p} = ε₂ (with G = 1 + h, h > 0, all symbols positive) and the
    term increases with η, so every η ≤ η* meets the budget."""
    s = sp_part.symbols()
    h = sp.Symbol("h", positive=True)
    eta_star = sp_part.symbolic_eta().subs(s["G"], 1 + h)
    term = s["M"] * (s["n"] * s["d"] * h * s["eta"]) ** (1 / s["p"])
    # with every base positive, ((ε₂/M)^p)^{1/p} = ε₂/M is sympy's automatic (valid) rewriting: no simplify needed
    at_star = term.subs(s["eta"], eta_star)
    if at_star != s["epsilon_2"]:
        return EvidenceResult("undecided", f"term at η* = {at_star}")
    derivative = sp.diff(term, s["eta"])
    if sp.expand(derivative * s["eta"] * s["p"] - term) != 0 or not derivative.is_positive:
        return EvidenceResult("undecided", f"monotonicity: d term/dη = {derivative}")
    # the sup bound M: entry ranges of an L-Lipschitz f over [0,1]^{nd} (diameter (nd)^{1/α} in ‖·‖_α)
    instances = []
    for eps2, L, n, d, G, p in (
        (Fraction(1, 10), 1, 1, 1, 5, 1),
        (Fraction(1, 100), 2, 2, 3, 40, 2),
        (Fraction(1, 3), Fraction(3, 2), 4, 4, 9, 3),
    ):
        M = sp_part.bad_set_sup_bound(L, n, d, p=p)
        eta = sp_part.eta_from_budget(eps2, M, n, d, G, p=p)
        term_q = sp_part.bad_set_term(M, eta, n, d, G, p=p)
        if not term_q <= eps2:
            return EvidenceResult("refuted", f"η = {eta} misses the budget ε₂ = {eps2}",
                                  counterexample={"eps2": eps2, "L": L, "n": n, "d": d, "G": G, "p": p, "eta": eta})
        instances.append(f"(ε₂={eps2}, L={L}, nd={n * d}, G={G}, p={p}): η = {eta}")
    return EvidenceResult("proved", "M(nd(G−1)η*)^{1/p} is ε₂ identically (positive bases) and η·p·d/dη = term > 0 (η* "
                                    f"= {sp_part.symbolic_eta()}); instances: " + "; ".join(instances))


def _pl_lp_power(pieces, p) -> Fraction:
    """∫|ℓ|^p over linear pieces ((a, b, ℓ(a), ℓ(b)) with ℓ linear), exactly, for p ∈ {1, 2}."""
    total = Fraction(0)
    for a, b, la, lb in pieces:
        w = b - a
        if p == 2:
            total += w * (la * la + la * lb + lb * lb) / 3
        elif la * lb >= 0:
            total += w * (abs(la) + abs(lb)) / 2
        else:
            total += w * (la * la + lb * lb) / (2 * (abs(la) + abs(lb)))
    return total


def exact_lp_distance(f, g, cuts, p) -> Fraction:
    """d_p(f, g)^p on [0, 1] for scalar functions linear between consecutive ``cuts`` (left limits taken inside)."""
    pts = sorted(set(cuts) | {Fraction(0), Fraction(1)})
    pieces = []
    for a, b in zip(pts, pts[1:]):
        # evaluate just inside the piece: values at the ends by linearity from two interior points
        x1, x2 = a + (b - a) / 3, a + 2 * (b - a) / 3
        d1, d2 = f(x1) - g(x1), f(x2) - g(x2)
        slope = (d2 - d1) / (x2 - x1)
        pieces.append((a, b, d1 - slope * (x1 - a), d2 + slope * (b - x2)))
    return _pl_lp_power(pieces, p)


def pipeline_1d(L_keys, L_vals, eps1, eps2, p, eta_scale=1):
    """f (piecewise linear, exact) and the partition network g = V ∘ (Q_η + δ/2) with G, η from the budgets."""
    f = ScalarValueMap(L_keys, L_vals)
    L = max(f.lipschitz(), Fraction(1, 10**6))
    G = max(2, sp_part.grid_size(eps1, L, 1, 1, p=p))
    M = sp_part.bad_set_sup_bound(L, 1, 1, p=p)
    eta = sp_part.eta_from_budget(eps2, M, 1, 1, G, p=p) * eta_scale
    Q = ReluQuantizer(G, eta, centre=True)
    centres = [Fraction(2 * g + 1, 2 * G) for g in range(G)]
    V = ScalarValueMap(centres, [f(c) for c in centres])
    return f, L, G, M, eta, Q, V


def exact_bad_set_accounting(ctx: Context) -> EvidenceResult:
    """1-D instances end to end, over Q: g = V∘(Q_η + δ/2) equals f̄ off the bad set (at every breakpoint), |f − g| ≤ M
    on it, and the exact d_p(f, g), d_p(f, f̄) (p = 1, 2) satisfy d_p(f,g) ≤ d_p(f,f̄) + Mμ(B)^{1/p} ≤ ε₁ + ε₂."""
    rng = np.random.default_rng([ctx.seed, 4])
    rows = []
    for trial in range(ctx.pick(4, 24)):
        # keys on a 1/8 grid, values in [−v, v] (slopes ≤ 16v) and ε₁ = 2^−k keep G = ⌈L/(2ε₁)⌉ small enough
        # for exact evaluation (quick: v = 1/2, k ≤ 4, G ≤ 64; full: v = 1, k ≤ 5, G ≤ 256)
        m = int(rng.integers(2, 7))
        keys = sorted(set(Fraction(int(v), 8) for v in rng.integers(-1, 10, size=3 * m)))[:m]
        vals = [Fraction(int(v), ctx.pick(8, 4)) for v in rng.integers(-4, 5, size=len(keys))]
        p = (1, 2)[trial % 2]
        eps1 = eps2 = Fraction(1, 2 ** int(rng.integers(3, ctx.pick(5, 6))))
        f, L, G, M, eta, Q, V = pipeline_1d(keys, vals, eps1, eps2, p)
        Mq = M.rational()

        def g(t):
            return V(Q(t))[0]

        def fbar(t):
            return f(grid_quantize(t, G) + Fraction(1, 2 * G))[0]

        def fv(t):
            return f(t)[0]

        cuts = {c for c in set(Q.breakpoints()) | set(f.keys) | {Fraction(k, G) for k in range(G + 1)} if 0 <= c <= 1}
        for t in sorted(cuts):
            if Q.in_bad_set(t):
                continue
            if g(t) != fbar(t):
                return EvidenceResult("refuted", f"g ≠ f̄ off the bad set at t = {t}",
                                      counterexample={"t": t, "g": g(t), "fbar": fbar(t), "G": G, "eta": eta})
        sup_bad = max(
            (abs(fv(t) - g(t)) for a, b in Q.bad_set() for t in sorted({a, b} | {k for k in f.keys if a < k < b})),
            default=Fraction(0),
        )
        if sup_bad > Mq:
            return EvidenceResult("refuted", f"|f − g| = {sup_bad} > M = {Mq} on the bad set",
                                  counterexample={"sup": sup_bad, "M": Mq, "G": G, "eta": eta})
        mu = Q.bad_set_measure(1)
        dfg = exact_lp_distance(fv, g, cuts, p)       # d_p(f, g)^p
        dff = exact_lp_distance(fv, fbar, cuts, p)    # d_p(f, f̄)^p
        budget_ok = PowerProduct.of(mu) ** Fraction(1, p) * Mq <= eps2 if mu > 0 else True
        p1_ok = PowerProduct.of(dff) ** Fraction(1, p) <= eps1 if dff > 0 else True
        # d_p(f,g) ≤ d_p(f,f̄) + M μ^{1/p}: for p = 1 rational; for p = 2 square both sides exactly
        if p == 1:
            lhs_ok = dfg <= dff + Mq * mu
        else:
            rest = dfg - dff - Mq * Mq * mu  # need rest ≤ 2 M sqrt(dff·μ)
            lhs_ok = rest <= 0 or rest * rest <= 4 * Mq * Mq * dff * mu
        if not (budget_ok and p1_ok and lhs_ok):
            return EvidenceResult("refuted", f"trial {trial}: budget {budget_ok}, P1 {p1_ok}, P4 inequality {lhs_ok}",
                                  counterexample={"G": G, "eta": eta, "p": p, "d_p(f,g)^p": dfg, "d_p(f,fbar)^p": dff,
                                                  "mu": mu, "M": Mq, "eps1": eps1, "eps2": eps2})
        term = float(Mq) * float(mu) ** (1 / p)
        rows.append(f"p={p}, L={L}, G={G}, η={eta}: d_p(f,g) ≈ {float(dfg) ** (1 / p):.4g} ≤ "
                    f"{float(dff) ** (1 / p):.4g} + {term:.4g} ≤ ε₁+ε₂ = {float(eps1 + eps2):.4g}")
    return EvidenceResult("passed", f"{len(rows)} exact 1-D "
                                    "pipelines: " + "; ".join(rows[:4]) + " …", observed=len(rows))


@single_threaded
def torch_bad_set_accounting(ctx: Context) -> EvidenceResult:
    """A 2-entry word (n = 1, d = 2) → R³ ReLU target through the torch quantizer and the base-G value map: on sampled
    good points the runtime equals f̄ within its rounding bound, on bad points ‖f − g‖_1 ≤ M + rounding."""
    import torch

    from ...runtime import targets as T
    from ...runtime.feedforward import FeedForward

    target = T.relu_network(seed=ctx.seed, input_shape=(1, 2), output_shape=(3,), width=6)
    L, p = target.lipschitz, 1
    eps1 = eps2 = Fraction(1, 4)
    G = max(2, sp_part.grid_size(eps1, L, 1, 2, m=3, p=p))
    M = sp_part.bad_set_sup_bound(L, 1, 2, m=3, p=p).rational()
    eta = sp_part.eta_from_budget(eps2, M, 1, 2, G, p=p)
    Q = ReluQuantizer(G, eta, centre=True)
    lattice = [tuple(Fraction(2 * gi + 1, 2 * G) for gi in idx) for idx in np.ndindex(G, G)]
    V = GridValueMap(G, lattice, [target.exact(tok) for tok in lattice])
    quant = FeedForward(*Q.weights(2, residual=True), residual=True)
    vmap = FeedForward(*V.weights(), residual=False)
    gen = torch.Generator().manual_seed(ctx.seed)
    n = ctx.pick(400, 4000)
    x = torch.rand((n, 2), generator=gen, dtype=torch.float64)
    # half the samples inside slabs, to exercise the bad set
    slab = torch.randint(1, G, (n // 2, 2), generator=gen).to(torch.float64) / G - float(eta) * torch.rand(
        (n // 2, 2), generator=gen, dtype=torch.float64
    )
    x[: n // 2] = slab
    qx = quant(x)
    gx = vmap(qx)
    err = vmap.error_bound(qx, quant.error_bound(x))
    bad_count, worst_good, worst_bad = 0, 0.0, 0.0
    for i in range(n):
        xi = [Fraction(v) for v in x[i].tolist()]
        centre = [grid_quantize(v, G) + Fraction(1, 2 * G) for v in xi]
        if any(Q.in_bad_set(v) for v in xi):
            bad_count += 1
            fxi = target.exact(xi)
            dist = sum(abs(Fraction(a) - b) for a, b in zip(gx[i].tolist(), fxi))
            allowed = M + Fraction(float(err[i].sum()) * (1 + gamma(4)))
            if dist > allowed:
                return EvidenceResult("refuted", f"‖f − g‖_1 = {float(dist)!r} > M = {M} on the bad set at x = {xi}",
                                      counterexample={"x": xi, "distance": dist, "M": M})
            worst_bad = max(worst_bad, float(dist / M))
        else:
            want = target.exact(centre)
            for a, b, e in zip(gx[i].tolist(), want, err[i].tolist()):
                dev = abs(Fraction(a) - b)
                if dev > Fraction(e):
                    return EvidenceResult("refuted", f"g ≠ f̄ beyond rounding at good point x = {xi}: {float(dev)!r} > "
                                                     f"{e!r}",
                                          counterexample={"x": xi, "g": a, "fbar": b})
                if dev:
                    worst_good = max(worst_good, float(dev) / e)
    mu = Q.bad_set_measure(2)
    return EvidenceResult("passed", f"G = {G}, η = {eta}, M = {M}: {n - bad_count} good samples equal f̄ (worst "
                                    f"dev/rounding bound {format_bound(worst_good, 'upper', 3)}), {bad_count} bad "
                                    f"samples with ‖f − g‖_1/M ≤ {format_bound(worst_bad, 'upper', 3)}; μ(B) = "
                                    f"{format_bound(mu, 'upper', 4)} ≤ nd(G−1)η = "
                                    f"{format_bound(2 * (G - 1) * eta, 'upper', 4)}",
                          observed=worst_bad, bound=1)


# --------------------------------------------------------------------------- constants


#: docs/theory.md §4's worked example (claim P1's evidence): ε₁, ε₂, L, n, d, m, p (α = β = ∞).
PARTITION_INSTANCE = (Fraction(3, 1000), Fraction(3, 1000), 4, 680, 2, 1360, 2)


def _exact(pp):
    """A PowerProduct as a Fraction when rational, else a sympy radical (both exact)."""
    q = pp.rational()
    return q if q is not None else pp.to_sympy()


def partition_constants():
    from ...theory import partition as sp_part

    eps1, eps2, L, n, d, m, p = PARTITION_INSTANCE
    G = sp_part.grid_size(eps1, L, n, d, m=m, p=p)
    G_entry = sp_part.grid_size(eps1, L, n, d, m=m, p=p, per_entry=True)
    M = sp_part.bad_set_sup_bound(L, n, d, m=m, p=p)
    eta = sp_part.eta_from_budget(eps2, M, n, d, G, p=p)
    lip = sp_part.quantizer_lipschitz(G, eta)
    term1 = sp_part.partition_bound(L, G, n, d, m=m, p=p)
    term2 = sp_part.bad_set_term(M, eta, n, d, G, p=p)
    width = 2 * (G - 1) * d
    params = d * width + width + width * d + d
    c1, c4 = "partition.lipschitz-grid", "partition.bad-set-accounting"
    return [
        Constant("eps_one", eps1, True, "ε₁, the partition budget", c1, "exact"),
        Constant("eps_two", eps2, True, "ε₂, the bad-set budget", c4, "exact"),
        Constant("lipschitz", L, True, "L, the target's Lipschitz constant (∞ → ∞)", c1),
        Constant("tokens", n, True, "n, input tokens", c1),
        Constant("dimension", d, True, "d, token dimension", c1),
        Constant("outputs", m, True, "m, output entries", c1),
        Constant("p", p, True, "p of the L_p distance", c1),
        Constant("grid", G, True, "G = ⌈m^{1/p}L(nd)^{1/α}/(2ε₁)⌉, the coarsest grid (unnormalised d_p)", c1),
        Constant("grid_per_entry", G_entry, True, "G for the per-entry distance d̄_p = m^{−1/p}d_p", c1),
        Constant("delta", Fraction(1, G), True, "δ = 1/G, the cell width", c1, "exact"),
        Constant("sup_bound", _exact(M), True, "M = m^{1/p}L(nd)^{1/α}, bound on ‖f − g‖_p on the bad "
                                               "set", c4, "upper"),
        Constant("ramp", eta, True, "η = min(η*, δ/2), η* = (ε₂/M)^p/(nd(G−1)) rounded down to 40 bits", c4, "exact"),
        Constant("quantizer_lipschitz", lip, True, "Lip(Q_η) = δ/η (P5's "
                                                   "blow-up)", "partition.lipschitz-blowup", "exact"),
        Constant("quantizer_width", width, True, "hidden ReLU units of the quantizer, 2(G−1)d (+2d "
                                                 "residual)", "partition.relu-quantizer"),
        Constant("quantizer_parameters", params, True, "entries of W₁ (d × width), b₁, W₂ (width × d), "
                                                       "b₂", "partition.relu-quantizer"),
        Constant("ledger_partition", _exact(term1), True, "ledger term ε₁: the P1 bound at G", c1, "upper"),
        Constant("ledger_bad_set", _exact(term2), True, "ledger term ε₂: the P4 term M(nd(G−1)η)^{1/p} at "
                                                        "η", c4, "upper"),
        Constant("ledger_total", _exact(term1) + _exact(term2), True, "ε₁ + ε₂ bound on d_p(f, g) (P1 + "
                                                                      "P4)", c4, "upper"),
    ]


# --------------------------------------------------------------------------- mutants


def _eta_scaled(factor: int):
    def apply(p) -> None:
        from ...theory import partition as spec

        original = spec.eta_from_budget
        p.setattr(spec, "eta_from_budget", lambda *a, **k: original(*a, **k) * factor)

    return apply


# --------------------------------------------------------------------------- claims


CLAIMS = (
    Claim(
        id="partition.bad-set-accounting",
        label="P4",
        title="Bad-set accounting and the ramp width η from the budget",
        statement=(
            "If g = f̄ outside B and ‖f − g‖_p ≤ M on B, then d_p(f, g) ≤ d_p(f, f̄) + M·μ(B)^{1/p} (Minkowski). With "
            "the quantizer's B, μ(B) ≤ nd(G−1)η, so η ≤ η* = (ε₂/M)^p/(nd(G−1)) makes the term ≤ ε₂ (1 ≤ p < ∞; for p "
            "= ∞ no η > 0 helps). For g = V∘(Q_η + δ/2) every output entry lies in the hull of f's values at cell "
            "centres, so M = m^{1/p}·L·(nd)^{1/α} bounds ‖f − g‖_p everywhere."
        ),
        paper_ref=_STEP,
        expected="holds",
        depends_on=("partition.lipschitz-grid", "partition.relu-quantizer", "partition.value-mapping"),
        hypotheses=("1 ≤ p < ∞", "G ≥ 2", "η chosen as min(η*, δ/2), η* rounded down to a rational when irrational"),
        constants=(
            ("ETA", "min((ε₂/M)^p/(nd(G−1)), "
                    "δ/2)", "solves M(nd(G−1)η)^{1/p} = ε₂; the cap keeps ramps disjoint with half of each cell good"),
            ("M", "m^{1/p}·L·(nd)^{1/α}", "each output entry of f varies by ≤ L·diam_α([0,1]^{nd}); g's entries lie in "
                                          "the hull of f's centre values"),
        ),
        evidence=(
            E("symbolic", symbolic_eta, "M(nd(G−1)η*)^{1/p} simplifies to ε₂ with positive symbols and increases with "
                                        "η; exact budget check on instances"),
            E("construction", exact_bad_set_accounting, "1-D pipelines over Q: g = f̄ off B at every breakpoint, |f − "
                                                        "g| ≤ M on B, exact d_1 and d_2² and the P4 inequality decided "
                                                        "exactly"),
            E("numeric", torch_bad_set_accounting, "a word → R³ ReLU target through the torch quantizer and base-G "
                                                   "value map: g = f̄ on good samples, ‖f − g‖_1 ≤ M on bad ones"),
        ),
    ),
)


MUTANTS = (
    Mutant("partition.eta-doubled", ("partition.bad-set-accounting",),
           "ramp width η twice the budget's η*",
           _eta_scaled(2), (Check(symbolic_eta), Check(exact_bad_set_accounting))),
    Mutant("partition.eta-times-ten", ("partition.bad-set-accounting",),
           "ramp width η ten times the budget's η*",
           _eta_scaled(10), (Check(symbolic_eta), Check(exact_bad_set_accounting))),
)
