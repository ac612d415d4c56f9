"""The HOFAR corollary on FlowAR's straight path (docs/hofar.md, docs/theory.md §6.4): H1 (the higher-order
trajectory terms of T3's head vanish, so the order-k sampler is FlowAR's Euler sampler and Corollary 7.3 is T3:
finding F10) and H1-robust (inexact higher heads add worst-case error Σ_j ε_j t_{K−1}^j/j!, attained), with their
mutants. The stand-in Ŷ(S) is FlowAR's (varcheck.claims.flowar.euler): a bicubic resize of the condition S.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ...exact import flowar as ef
from ...exact import hofar as eh
from ...theory import hofar as sh
from ...theory.mutants import Check, Mutant
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import Finding
from ..flowar.euler import flow_instance, named_exact_grids, rational_vector, stand_in
from ..properties import UNBOUNDED_RATIO, run_property, single_threaded

__all__ = ["CLAIMS", "MUTANTS", "FINDINGS", "QUOTED_INEXACT", "flowar_grids", "exact_ratio", "decimal_up"]

_COR = ("ICML 2025, Cor. 7.3 (HOFAR: High-Order Augmentation of Flow Autoregressive Transformers, arXiv:2503.08032), "
        "as stated in docs/hofar.md (docs/theory.md §6.4)")


def flowar_grids() -> dict:
    """FlowAR's 25- and 50-step grids (decimal values), on which HOFAR's figures are quoted."""
    grids = named_exact_grids()
    return {"flowar25": grids["flowar25"], "flowar50": grids["flowar50"]}


#: H1-robust's statement quotes Σ_{j≤k} t_{K−1}^j/j! (ε_j = 1, k = 1, 2, 3) on FlowAR's grids; the construction evidence
#: computes them and checks the quotation.
QUOTED_INEXACT = {"flowar25": ("1/48", "97/4608", "13969/663552"), "flowar50": ("1/50", "101/5000", "15151/750000")}


def exact_ratio(q: Fraction) -> float:
    """observed/allowed as a float that is > 1 exactly when the exact ratio q is (float rounding never hides a
    violation)."""
    f = float(q)
    if q > 1:
        return max(f, math.nextafter(1.0, 2.0))
    return min(f, 1.0)


def decimal_up(q: Fraction, digits: int = 7) -> str:
    """q ≥ 0 as a decimal with ``digits`` significant digits, rounded up (an upper bound stays one)."""
    q = Fraction(q)
    if q == 0:
        return "0.000000e+00"
    e = math.floor(math.log10(q))
    while Fraction(10) ** e > q:
        e -= 1
    while Fraction(10) ** (e + 1) <= q:
        e += 1
    m = math.ceil(q / Fraction(10) ** (e - digits + 1))
    if m >= 10**digits:
        m, e = m // 10 + (m % 10 > 0), e + 1
    text = str(m)
    return f"{text[0]}.{text[1:]}e{e:+03d}"


# --------------------------------------------------------------------------- H1: the straight path


def symbolic_straight_path(ctx: Context) -> EvidenceResult:
    """sympy: D^j v = 0 (j ≥ 1) for v = (x − Ŷ)/t, the conditional path's derivatives of order ≥ 2 vanish, the order-k
    Taylor increment equals Euler's, and T3's head is the marginal velocity of the point mass (spread 0)."""
    x, y, eps, mu = sp.symbols("x Yhat epsilon mu", real=True)
    t = sp.Symbol("t", positive=True)
    h = sp.Symbol("h", negative=True)
    order = ctx.pick(5, 8)
    v = sh.flowar_head(x, t, y)
    terms = sh.trajectory_terms(v, x, t, order)
    for j, term in enumerate(terms[1:], start=1):
        if sp.cancel(term) != 0:
            return EvidenceResult("undecided", f"D^{j} v = {term} did not cancel to 0")
    path = sh.straight_path(t, y, eps)
    for j in range(2, order + 1):
        if sp.expand(sp.diff(path, t, j)) != 0:
            return EvidenceResult("undecided", f"d^{j}x_t/dt^{j} of the straight path is not 0")
    if sp.cancel(v.subs(x, path) - (eps - y)) != 0:
        return EvidenceResult("undecided", "the head on the path is not the path velocity ε − Ŷ")
    for k in range(1, order + 1):
        if sp.cancel(sh.taylor_increment(terms[:k], h) - h * v) != 0:
            return EvidenceResult("undecided", f"the order-{k} increment differs from the Euler increment")
    if sp.cancel(sh.gaussian_marginal_velocity(x, t, mu, sp.Integer(0)) - sh.flowar_head(x, t, mu)) != 0:
        return EvidenceResult("undecided", "the marginal velocity of the point mass is not T3's head")
    return EvidenceResult(
        "proved",
        "rational-function identities in (x, Ŷ, ε, t > 0, h): D^j v = (∂_t + v∂_x)^j v = 0 for v = (x − Ŷ)/t and j = "
        f"1..{order - 1} (D v = −(x − Ŷ)/t² + (x − Ŷ)/t² and D of 0 is 0, so for every j); d^j x_t/dt^j = 0 for j = "
        f"2..{order} on x_t = (1 − t)Y + tε; x + Σ_{{j≤k}} h^j/j!·D^{{j−1}}v = x + h·v for k = 1..{order}; E[ε − Y | "
        "x_t = x] = (x − μ)/t for Y = μ (spread 0). So every higher-order head of the straight path is 0, the order-k "
        "HOFAR step is FlowAR's Euler step and HOFAR's output is T3's: d_p(f, HOFAR) = d_p(f, Ŷ) ≤ ε.",
    )


def exact_straight_path_reduction(ctx: Context) -> EvidenceResult:
    """Exact over Q on FlowAR's 25- and 50-step grids (decimal and float64 values) and random grids: the order-k sampler
    (k = 1..4) with T3's head has the Euler iterates of varcheck.exact.flowar at every step and ends at Ŷ; its step
    factor is t_{n+1}/t_n and A_j(t_n) = 0 for j ≥ 2 at every grid time."""
    rng = np.random.default_rng([ctx.seed, 101])
    grids = named_exact_grids()
    for i in range(ctx.pick(2, 8)):
        inner = sorted(
            {Fraction(int(v), 997) for v in rng.integers(1, 997, size=int(rng.integers(1, 12)))}, reverse=True
        )
        grids[f"random{i}"] = (Fraction(1),) + tuple(inner) + (Fraction(0),)
    orders = range(1, 5)
    runs = 0
    for name, grid in grids.items():
        for t, t_next in zip(grid, grid[1:]):
            for k in orders:
                if eh.step_factor(0, t, t_next, k) != t_next / t:
                    return EvidenceResult("failed", f"{name}: order-{k} step factor at t = {t} is not t_next/t")
            if any(eh.trajectory_coefficient(0, j, t) != 0 for j in range(2, 5)):
                return EvidenceResult("failed", f"{name}: a higher-order coefficient A_j(t) is not 0 at t = {t}")
        for d in range(ctx.pick(1, 3)):
            side = int(rng.integers(1, ctx.pick(2, 3)))
            S = rational_vector(rng, side * side, 64, Fraction(1, 4))
            y = stand_in(int(rng.integers(2**16)), side).exact(S)
            noise = rational_vector(rng, len(y), 2 ** int(rng.integers(1, 30)))
            euler = ef.euler_trajectory(noise, y, grid)
            for k in orders:
                states = eh.hofar_trajectory(noise, y, grid, k)
                for n, (a, b) in enumerate(zip(states, euler)):
                    if a != b:
                        return EvidenceResult("failed", f"{name}: order-{k} iterate {n} differs from Euler's",
                                              observed=str([str(u - w) for u, w in zip(a, b)][:3]), bound="0")
                if states[-1] != y:
                    return EvidenceResult("failed", f"{name}: the order-{k} sampler does not end at Ŷ")
                runs += 1
    return EvidenceResult(
        "passed",
        f"{runs} exact runs (orders 1–4) on {len(grids)} grids ({', '.join(grids)}): every iterate equals FlowAR's "
        "Euler iterate, x_K = Ŷ exactly; at every grid time A_j(t) = 0 for j = 2..4 and the step factor is t_{n+1}/t_n "
        "for every order.",
        observed=runs,
    )


@single_threaded
def torch_hofar_is_flowar(ctx: Context) -> EvidenceResult:
    """Hypothesis over grids (FlowAR's 25 and 50 steps, random) × float64/float32 × order 1–4 × noise × Ŷ: the torch
    order-k sampler with the spread-0 HOFAR head returns FlowAR's Euler iterates (runtime.flowar) bit for bit."""
    import torch

    from ...runtime import flowar as rf
    from ...runtime import hofar as rh

    def prop(example):
        kind, grid_seed, dtype_name, order, side, seed = example
        grid, target, S, noise = flow_instance(kind, grid_seed, dtype_name, side, seed)
        euler = rf.euler_sample(rf.FlowHead(lambda s: target(s)), noise, S, grid, trajectory=True)
        hofar = rh.hofar_sample(rh.HOFARHead(lambda s: target(s), order), noise, S, grid, trajectory=True)
        diff = max(float((a.double() - b.double()).abs().max()) for a, b in zip(euler, hofar))
        same = all(torch.equal(a, b) for a, b in zip(euler, hofar))
        return (0.0 if same else UNBOUNDED_RATIO), (f"{kind} ({len(grid) - 1} steps, {dtype_name}), order {order}, max "
                                                    f"|Δ| = {diff:.3g}")

    strategy = st.tuples(
        st.sampled_from(("flowar25", "flowar50", "random")),
        st.integers(0, 2**32 - 1),
        st.sampled_from(("float64", "float32")),
        st.integers(1, 4),
        st.integers(1, 2),
        st.integers(0, 2**32 - 1),
    )
    return run_property(prop, strategy, ctx, quick=12, full=150, label="HOFAR (spread 0) ≠ FlowAR Euler, iterates bit "
                                                                       "for bit")


# --------------------------------------------------------------------------- H1-robust: inexact higher heads


def symbolic_inexact_heads(ctx: Context) -> EvidenceResult:
    """For K = 1..3 (full ..4) symbolic grids and orders k = 1..3 with symbolic head errors e_{j,n}: the deviation of
    the
    order-k sampler with T3's heads is Σ_n Σ_j c_j(h_n)e_{j,n} Π_{m>n} t_{m+1}/t_m, and x̂_K − Ŷ = Σ_j
    (−t_{K−1})^j/j!·e_{j,K−1}
    when t_K = 0 (only the last step's errors survive)."""
    x0, y = sp.symbols("x0 Yhat", real=True)
    for K in range(1, ctx.pick(4, 5)):
        for k in range(1, 4):
            es = [[sp.Symbol(f"e{j}_{n}", real=True) for j in range(1, k + 1)] for n in range(K)]
            for terminal_zero in (True, False):
                ts = list(sp.symbols(f"t0:{K + 1}", positive=True))
                if terminal_zero:
                    ts[-1] = sp.Integer(0)
                x, xh = x0, x0
                for n in range(K):
                    hn = ts[n + 1] - ts[n]
                    exact = [sh.flowar_head(x, ts[n], y)] + [sp.Integer(0)] * (k - 1)
                    noisy = [sh.flowar_head(xh, ts[n], y) + es[n][0]] + es[n][1:]
                    x = x + sh.taylor_increment(exact, hn)
                    xh = xh + sh.taylor_increment(noisy, hn)
                closed = sum((sh.taylor_increment(es[n], ts[n + 1] - ts[n])
                              * sp.Mul(*[ts[m + 1] / ts[m] for m in range(n + 1, K)]) for n in range(K)), sp.Integer(0))
                if sp.cancel(sp.together(xh - x - closed)) != 0:
                    return EvidenceResult("undecided", f"K = {K}, k = {k}: deviation ≠ closed form")
                if terminal_zero and sp.cancel(sp.together(xh - y - sh.taylor_increment(es[K - 1], -ts[K - 1]))) != 0:
                    return EvidenceResult("undecided", f"K = {K}, k = {k}: x̂_K − Ŷ is not the last step's error alone")
    return EvidenceResult(
        "proved",
        f"K = 1..{ctx.pick(3, 4)} steps, k = 1..3: x̂_K − x_K = Σ_n Σ_j (h_n^j/j!)e_{{j,n}} Π_{{m>n}} t_{{m+1}}/t_m "
        "(rational identity) and, when t_K = 0, x̂_K − Ŷ = Σ_j (−t_{K−1})^j/j!·e_{j,K−1}; so ‖x̂_K − Ŷ‖_∞ ≤ Σ_j ε_j "
        "t_{K−1}^j/j!, with equality for e_{j,K−1} = (−1)^j ε_j σ. For k = 1 this is T3-robust's ε_v·t_{K−1}; every "
        "higher head adds ε_j t_{K−1}^j/j! ≥ 0.",
    )


def exact_inexact_heads_attained(ctx: Context) -> EvidenceResult:
    """Exact over Q on FlowAR's grids (and one stopped at 1/1000, noise = Ŷ): sign-aligned head errors e_j = (−1)^j ε_j
    σ
    attain inexact_head_bound exactly; random errors stay below; with ε_j = ε_v for all j the bound exceeds FlowAR's
    ε_v·t_{K−1} (the higher heads only add)."""
    rng = np.random.default_rng([ctx.seed, 102])
    grids = named_exact_grids()
    grids["stopped"] = ef.flowar_grid_25()[:-1] + (Fraction(1, 1000),)
    rows = []
    for name, grid in grids.items():
        stopped = grid[-1] != 0
        for k in (1, 2, 3):
            for trial in range(ctx.pick(1, 3)):
                eps = tuple(Fraction(1, 2 ** int(rng.integers(1, 30))) for _ in range(k))
                bound = eh.inexact_head_bound(grid, eps)
                y = rational_vector(rng, 3, 32)
                noise = y if stopped else rational_vector(rng, 3, 2 ** int(rng.integers(1, 20)))
                sigma = tuple(int(v) for v in rng.choice((-1, 1), size=3))
                aligned = [tuple((-1) ** (j + 1) * e * sg for sg in sigma) for j, e in enumerate(eps)]
                end = eh.hofar_trajectory(noise, y, grid, k, errors=lambda n, x: aligned, terminal_zero=False)[-1]
                err = max(abs(a - b) for a, b in zip(end, y))
                if err != bound:
                    return EvidenceResult("refuted" if err > bound else "failed",
                                          f"{name}, k = {k}: aligned error {err} ≠ bound {bound}",
                                          counterexample={"grid": name, "k": k,
                                                          "eps": eps, "error": err, "bound": bound})
                K = len(grid) - 1
                errs = [
                    [tuple(e * Fraction(int(v), 64) for v in rng.integers(-64, 65, size=3)) for e in eps]
                    for _ in range(K)
                ]
                end = eh.hofar_trajectory(noise, y, grid, k, errors=errs, terminal_zero=False)[-1]
                err_r = max(abs(a - b) for a, b in zip(end, y))
                if err_r > bound:
                    return EvidenceResult("refuted", f"{name}, k = {k}: random-error deviation {err_r} > bound {bound}",
                                          counterexample={"grid": name, "k": k, "error": err_r, "bound": bound})
        if not stopped:
            ones = [eh.inexact_head_bound(grid, (Fraction(1),) * k) for k in (1, 2, 3)]
            if not ones[0] == grid[-2] < ones[1] < ones[2]:
                return EvidenceResult("failed", f"{name}: factors {ones} do not grow from t_(K−1) = {grid[-2]}")
            if name in QUOTED_INEXACT and tuple(str(v) for v in ones) != QUOTED_INEXACT[name]:
                return EvidenceResult("failed", f"{name}: factors {[str(v) for v in ones]} differ from the statement's "
                                                f"{QUOTED_INEXACT[name]}")
            if "/" not in name:
                rows.append(f"{name}: Σ_{{j≤k}} t^j/j! = {', '.join(str(v) for v in ones)} (k = 1, 2, 3)")
    return EvidenceResult("passed", "aligned errors attain Σ_j ε_j t_{K−1}^j/j! exactly, random ones stay below, on "
                                    "every grid; with ε_j = 1: " + "; ".join(rows), observed=1.0, bound=1)


@single_threaded
def torch_inexact_heads_bound(ctx: Context) -> EvidenceResult:
    """Hypothesis + target in torch float64: order-k heads (spread 0) with errors |ẽ_j| ≤ ε_j (aligned, pseudo-random,
    clipped): |x̃_K − Ŷ| ≤ inexact_head_bound + the derived rounding bound of the last step (exact.hofar)."""
    import torch

    from ...runtime import hofar as rh


    def perturbation(kind, eps):
        if kind == "aligned":
            return lambda j, x, t: torch.full_like(x, (-1.0) ** j * eps[j - 1])
        if kind == "pseudo-random":
            return lambda j, x, t: eps[j - 1] * (2 * torch.remainder(x * 997.0 + t * 31.0 + j, 1.0) - 1)
        return lambda j, x, t: eps[j - 1] * torch.clamp(64 * x, -1.0, 1.0)

    def prop(example):
        kind, grid_kind, grid_seed, order, side, seed, exps = example
        eps = [2.0 ** -e for e in exps[:order]]
        grid, target, S, noise = flow_instance(grid_kind, grid_seed, "float64", side, seed)
        head = rh.PerturbedHOFARHead(rh.HOFARHead(lambda s: target(s), order), perturbation(kind, eps))
        states = rh.hofar_sample(head, noise, S, grid, trajectory=True)
        x_prev, t = states[-2], grid[-2]
        errs = head.errors(x_prev, t)
        if any(float(e.abs().max()) > ej for e, ej in zip(errs, eps)):
            return UNBOUNDED_RATIO, f"perturbation {kind} exceeds its ε_j"
        y = [Fraction(v) for v in head.target(S, noise).flatten().tolist()]
        ell = rh.step_rounding_bound(head, x_prev, t, grid[-1], S)
        bound = eh.inexact_head_bound([Fraction(float(v)) for v in grid.tolist()], [Fraction(e) for e in eps])
        out = [Fraction(v) for v in states[-1].flatten().tolist()]
        ratio = max(abs(o - yi) / (bound + li) for o, yi, li in zip(out, y, ell))
        return exact_ratio(ratio), f"{kind}, order {order}, ε = {eps}, {grid_kind} (t_K−1 = {float(t):.6g})"

    strategy = st.tuples(st.sampled_from(("aligned", "pseudo-random", "clipped")), st.sampled_from((
        "flowar25", "flowar50", "random")),
                         st.integers(0, 2**32 - 1), st.integers(1, 3), st.integers(1, 2), st.integers(0, 2**32 - 1),
                         st.lists(st.integers(2, 30), min_size=3, max_size=3))
    return run_property(prop, strategy, ctx, quick=12, full=150, label="|x̃_K − Ŷ| / (Σ_j ε_j t^j/j! + rounding)")


# --------------------------------------------------------------------------- mutants


def _mutant_higher_errors_ignored(p):
    """The inexact-head bound with only the velocity's error (FlowAR's ε_1·t_{K−1}), the higher heads' errors
    dropped."""
    original = eh.inexact_head_bound
    p.setattr(
        eh, "inexact_head_bound", lambda times, eps, noise_gap=0: original(times, tuple(eps)[:1], noise_gap=noise_gap)
    )


def _mutant_partial_time_derivative(p):
    """The torch head's second term ∂_t v = −(x − Ŷ)/t² (partial derivative) instead of the total derivative 0."""
    import torch

    from ...runtime import hofar as rh


    original = rh.HOFARHead.coefficients

    def coefficients(self, x, t, S):
        out = original(self, x, t, S)
        if self.spread == 0 and self.order >= 2:
            tt = torch.as_tensor(t, dtype=x.dtype)
            y = self.target(S, x)
            out[1] = (-1 / (tt * tt), y / (tt * tt))
        return out

    p.setattr(rh.HOFARHead, "coefficients", coefficients)


# --------------------------------------------------------------------------- claims


CLAIMS = (
    Claim(
        id="hofar.corollary",
        label="H1",
        title="HOFAR inherits universality — trivially: on FlowAR's straight path every higher-order term vanishes and "
              "HOFAR is FlowAR",
        statement=(
            "An order-k HOFAR head outputs (v, Dv, …, D^{k−1}v), D f = ∂_t f + (∂_x f)·v the derivative along the "
            "flow, and the sampler takes the Taylor steps x ← x + Σ_{j≤k} (h^j/j!)·D^{j−1}v(x, t), h = t_{n+1} − t_n "
            "(k = 1 is FlowAR's Euler step). For T3's head v(x, t, S) = (x − Ŷ(S))/t, Dv = −(x − Ŷ)/t² + (1/t)·(x − "
            "Ŷ)/t ≡ 0 for t > 0, hence D^j v ≡ 0 for every j ≥ 1: the exact higher-order heads are zero (AdaLN scale "
            "0, shift 0), the conditional path x_t = (1 − t)Y + tε has d^j x_t/dt^j = 0 for j ≥ 2, and the order-k "
            "step equals the Euler step at every x and t > 0. On every grid ending at t = 0 the order-k iterates are "
            "therefore T3's, (1 − t_n)Ŷ + t_nε, and x_K = Ŷ(S) for every noise draw: d_p(f, HOFAR) = d_p(f, Ŷ) ≤ ε. "
            "Corollary 7.3 holds, but its proof is T3's and the higher-order terms add nothing; T3's head is the "
            "marginal velocity of the point mass Y = Ŷ (spread 0 of hofar.taylor-rate). In torch the order-k sampler "
            "with this head reproduces FlowAR's Euler iterates bit for bit (float64 and float32; FlowAR's 25- and "
            "50-step grids and random grids; k = 1..4)."
        ),
        paper_ref=_COR,
        expected="holds",
        finding="F10",
        depends_on=("flowar.euler-exact-recovery",),
        hypotheses=(
            "the higher-order heads are the exact trajectory terms D^{j−1}v of the velocity head (the terms the "
            "sampler integrates with), not independently trained outputs (see hofar.conditional-targets)",
            "T3's hypotheses: the grid decreases strictly to exactly 0 and the heads are evaluated at grid times t > 0 "
            "only (the 1/t of the head is never evaluated at the endpoint t = 0)",
        ),
        constants=(
            ("TRAJECTORY_TERMS", "D^j v = 0 for every j ≥ "
                                 "1", "(∂_t + v∂_x)(x − Ŷ)/t = −(x − Ŷ)/t² + (x − Ŷ)/t² = 0, and D0 = 0"),
        ),
        evidence=(
            E("symbolic", symbolic_straight_path, "D^j v = 0, straight-path derivatives, order-k increment = Euler "
                                                  "increment, point-mass marginal velocity = T3's head"),
            E("construction", exact_straight_path_reduction, "exact order-1..4 samplers over Q on FlowAR's grids "
                                                             "(decimal and float64 values) and random grids: Euler's "
                                                             "iterates, x_K = Ŷ"),
            E("numeric", torch_hofar_is_flowar, "Hypothesis: the torch order-k sampler with the spread-0 HOFAR head "
                                                "equals FlowAR's Euler sampler bit for bit"),
        ),
    ),
    Claim(
        id="hofar.inexact-heads",
        label="H1-robust",
        title="Inexact higher-order heads on the straight path: error ≤ Σ_j ε_j t_{K−1}^j/j!, attained — higher orders "
              "only add",
        statement=(
            "If head j = 1..k is only ε_j-accurate in sup norm (v + e_1, Dv + e_2 = e_2, …), the order-k sampler "
            "deviates from T3's run by x̂_K − x_K = Σ_n Σ_j (h_n^j/j!)·e_{j,n}·Π_{m>n}(t_{m+1}/t_m); on a grid ending "
            "at t_K = 0 only the last step survives: x̂_K − Ŷ = Σ_j ((−t_{K−1})^j/j!)·e_{j,K−1}, so ‖x̂_K − Ŷ‖_∞ ≤ Σ_j "
            "ε_j t_{K−1}^j/j!, attained by sign-aligned errors e_j = (−1)^j ε_j σ. For k = 1 this is T3-robust's "
            "ε_v·t_{K−1}; each higher head adds ε_j t_{K−1}^j/j! ≥ 0 to the worst case and removes nothing (ε_j = 1, "
            f"k = 1, 2, 3: {', '.join(QUOTED_INEXACT['flowar25'])} on FlowAR's 25-step grid, "
            f"{', '.join(QUOTED_INEXACT['flowar50'])} on its 50-step grid linspace(1, 0, 51)). In float64 the output "
            "differs from this by at most the last step's rounding (derived bound, varcheck.exact.hofar)."
        ),
        paper_ref=_COR + "; robustness to inexact heads (varcheck formalisation)",
        expected="holds",
        finding="F10",
        depends_on=("hofar.corollary", "flowar.euler-robust"),
        hypotheses=("‖e_j(x, t)‖_∞ ≤ ε_j for every x and grid time", "grid strictly decreasing with t_n > 0 for n < K"),
        constants=(
            ("HIGHER_ORDER_FACTOR", "Γ_k = Σ_n Σ_j |h_n|^j/j!·ε_j·Π_{m>n} t_{m+1}/t_m",
             "unrolled recursion d_{n+1} = (t_{n+1}/t_n)d_n + Σ_j (h_n^j/j!)e_{j,n}; = Σ_j ε_j t_{K−1}^j/j! when t_K = "
             "0"),
            ("ROUNDING_OPS", "M = 3k + 4",
             "roundings of an elementary term in one float step: j (h̃) + 2(j − 1) (c_j chain) + 1 (c_j·d_j) + 3 "
             "(inside d_j) + k − j + 2 (sums)"),
        ),
        evidence=(
            E("symbolic", symbolic_inexact_heads, "symbolic grids (K ≤ 3) and head errors: deviation closed form; only "
                                                  "the last step's errors survive at t_K = 0"),
            E("construction", exact_inexact_heads_attained, "exact runs: aligned errors attain Σ_j ε_j t^j/j!, random "
                                                            "errors stay below, the factor grows with k"),
            E("numeric", torch_inexact_heads_bound, "Hypothesis + target: torch float64 order-k samplers with bounded "
                                                    "head errors against the bound plus derived rounding"),
        ),
    ),
)


MUTANTS = (
    Mutant("hofar.partial-time-derivative", ("hofar.corollary",),
           "the torch head's acceleration is ∂_t v instead of the total derivative", _mutant_partial_time_derivative,
           (Check(torch_hofar_is_flowar),)),
    Mutant("hofar.higher-errors-ignored", ("hofar.inexact-heads",),
           "the inexact-head bound keeps only the velocity's error", _mutant_higher_errors_ignored,
           (Check(exact_inexact_heads_attained), Check(torch_inexact_heads_bound))),
)


FINDINGS = (
    Finding(
        "F10", "HOFAR's corollary is FlowAR's: on the straight path the higher-order terms vanish",
        paper="Flow autoregressive transformers trained with higher-order trajectory supervision (HOFAR, "
              "arXiv:2503.08032) inherit universality (ICML 2025, Corollary 7.3).",
        theory="F10 (docs/hofar.md, docs/theory.md §6.4): true but trivial — with T3's head every "
               "higher-order trajectory term is identically 0, HOFAR's sampler is FlowAR's Euler sampler and the "
               "corollary is T3; conditional higher-order targets of the straight path are 0 as well.",
        corrected="Higher orders pay only on curved trajectories (non-degenerate data, hofar.taylor-rate: error O(h^k) "
                  "with certified constants), and only when the heads are the total derivatives of the velocity.",
    ),
)
