"""Evidence for the composition claims C1–C4 (THEORY.md §5).

* C1/C2: sympy residuals of the telescoping and of the K-layer recursion (varcheck.spec.composition);
  Hypothesis properties over chains of Lipschitz targets of varcheck.targets with exact rational
  perturbations (constant shifts, a floor quantizer, a triangle ripple), evaluated **over Q** — no float
  rounding enters, so the ratio observed/allowed is exact. The pointwise inequality behind C1,
  ‖f₂f₁X − g₂g₁X‖ ≤ L₂‖f₁X − g₁X‖ + ‖(f₂ − g₂)(g₁X)‖, implies the sampled one: the largest error over a
  batch of points is at most L₂·(largest e₁) + (largest e₂ at the points g₁X), which is what is tested.
* C3: the exact counterexample, symbolically and through the exact piecewise integrator (varcheck.exact).
* C4: the change of variables (sympy) and exact one-dimensional instances (random, tight, loose, atoms).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ..errors import VarcheckError
from ..exact import composition as ec
from ..exact.piecewise import PiecewisePolynomial, compose, push_forward
from ..spec import composition as sc
from ..spec.registry import Context, EvidenceResult
from .properties import run_property

__all__ = [
    "perturb",
    "LAYER_KINDS",
    "PERTURBATION_KINDS",
    "symbolic_two_layer",
    "exact_two_layer_attained",
    "two_layer_property",
    "symbolic_k_layers",
    "k_layer_property",
    "symbolic_naive_lp",
    "exact_naive_lp_counterexample",
    "symbolic_lp_density",
    "exact_lp_density_instances",
    "lp_density_property",
]

#: Ratio reported when an error is non-zero but its allowance is exactly 0 (finite, > 1; see check.partition_grid).
_UNBOUNDED_RATIO = 2.0**64
#: Layers drawn by the C1/C2 properties: maps (s, s, 1) → (s, s, 1) with certified ∞ → ∞ constants, all rational.
LAYER_KINDS = ("blur", "blur_signed", "clip", "gamma", "relu")
#: Perturbations P with sup_y |P(y) − y| ≤ ε exactly (see :func:`perturb`).
PERTURBATION_KINDS = ("shift+", "shift-", "shift±", "floor", "ripple")
#: Denominator of the sample points' entries (2^10: dyadic, so they are also exact floats).
POINT_DENOMINATOR = 2**10


# =========================================================================== shared helpers


def perturb(kind: str, eps: Fraction, values, param: int = 1) -> tuple:
    """g = P∘f for a layer output y (flat tuple of rationals), with sup_y |P(y)_i − y_i| ≤ ε exactly:

    ``shift+``/``shift-``: y ± ε; ``shift±``: y_i + (−1)^i ε; ``floor``: δ⌊y/δ⌋ + δ/2 with δ = 2ε (a quantizer:
    |P(y) − y| ≤ δ/2); ``ripple``: y + ε·tri(param·y), tri(z) = 4|z − ⌊z⌋ − ½| − 1 ∈ [−1, 1].
    """
    eps = Fraction(eps)
    if eps < 0:
        raise VarcheckError(f"eps must be non-negative, got {eps}.")
    if kind == "shift+":
        return tuple(v + eps for v in values)
    if kind == "shift-":
        return tuple(v - eps for v in values)
    if kind == "shift±":
        return tuple(v + (eps if i % 2 == 0 else -eps) for i, v in enumerate(values))
    if kind == "floor":
        if eps == 0:
            return tuple(values)
        delta = 2 * eps
        return tuple(delta * math.floor(v / delta) + eps for v in values)
    if kind == "ripple":
        out = []
        for v in values:
            z = param * v
            out.append(v + eps * (4 * abs(z - math.floor(z) - Fraction(1, 2)) - 1))
        return tuple(out)
    raise VarcheckError(f"kind must be one of {', '.join(PERTURBATION_KINDS)}, got {kind!r}.")


@functools.lru_cache(maxsize=512)
def _layer(kind: str, seed: int, side: int):
    from ..runtime import targets as T

    shape = (side, side, 1)
    if kind in ("blur", "blur_signed"):
        return T.blur(seed=seed, side=side, signed=kind == "blur_signed")
    if kind == "clip":
        return T.clip_map(seed=seed, shape=shape)
    if kind == "gamma":
        return T.gamma_map(seed=seed, shape=shape)
    if kind == "relu":
        return T.relu_network(seed=seed, input_shape=shape, output_shape=shape, width=4)
    raise VarcheckError(f"kind must be one of {', '.join(LAYER_KINDS)}, got {kind!r}.")


def _sup_dist(a, b) -> Fraction:
    return max((abs(x - y) for x, y in zip(a, b)), default=Fraction(0))


def _ratio(observed: Fraction, allowed: Fraction) -> float:
    if observed == 0:
        return 0.0
    if allowed == 0:
        return _UNBOUNDED_RATIO
    r = observed / allowed
    return float(r) if r <= 1 else max(float(r), math.nextafter(1.0, 2.0))


def _chain_strategy(min_layers: int, max_layers: int):
    """(side, [(layer kind, seed, perturbation kind, ε, ripple frequency)], points)."""
    layer = st.tuples(st.sampled_from(LAYER_KINDS), st.integers(0, 2**16 - 1), st.sampled_from(PERTURBATION_KINDS),
                      st.sampled_from((Fraction(1, 64), Fraction(1, 16), Fraction(1, 4), Fraction(1, 2))), st.integers(1, 8))

    def with_points(args):
        side, layers = args
        entry = st.integers(0, POINT_DENOMINATOR).map(lambda k: Fraction(k, POINT_DENOMINATOR))
        point = st.lists(entry, min_size=side * side, max_size=side * side).map(tuple)
        return st.tuples(st.just(side), st.just(layers), st.lists(point, min_size=1, max_size=3))

    return st.tuples(st.integers(1, 3), st.lists(layer, min_size=min_layers, max_size=max_layers)).flatmap(with_points)


def _run_chain(side, layers, points):
    """Per layer k: the largest e_k = ‖f_k(Z) − g_k(Z)‖_∞ over the points (Z = G_{k−1}X, the approximate chain),
    the Lipschitz constants, and the largest ‖F_K X − G_K X‖_∞."""
    fs = [_layer(kind, seed, side) for kind, seed, *_ in layers]
    errs = [Fraction(0)] * len(layers)
    worst = Fraction(0)
    for x in points:
        F, G = x, x
        for k, ((_, _, pkind, eps, freq), f) in enumerate(zip(layers, fs)):
            F = f.exact(F)
            fz = f.exact(G)
            G = perturb(pkind, eps, fz, freq)
            errs[k] = max(errs[k], _sup_dist(fz, G))
        worst = max(worst, _sup_dist(F, G))
    return worst, errs, [f.lipschitz for f in fs], fs


# =========================================================================== C1


def symbolic_two_layer(ctx: Context) -> EvidenceResult:
    """The telescoping identity (undefined functions) and the attaining linear instance, as exact identities."""
    res = sc.two_layer_residuals()
    if any(v != 0 for v in res.values()):
        return EvidenceResult("undecided", f"residuals did not vanish: {res}")
    return EvidenceResult(
        "proved",
        "f₂(f₁x) − g₂(g₁x) − [(f₂(f₁x) − f₂(g₁x)) + (f₂(g₁x) − g₂(g₁x))] expands to 0 (telescoping); the triangle "
        "inequality and ‖f₂(a) − f₂(b)‖_∞ ≤ L₂‖a − b‖_∞ bound the first bracket by L₂·d_∞(f₁, g₁), the second by "
        "sup_{y∈g₁(D)}‖f₂y − g₂y‖_∞ since g₁x ∈ g₁(D). Equality: f₁ = x + e₁, g₁ = x, f₂ = Ly, g₂ = Ly − e₂ give "
        "f₂f₁ − g₂g₁ − (Le₁ + e₂) = 0 identically, so neither coefficient can be lowered.",
    )


def exact_two_layer_attained(ctx: Context) -> EvidenceResult:
    """Exact instances reaching C1 with equality: (a) f₂ a non-negative blur (replicate padding: every row sums
    to its gain L₂), g₁ = f₁ + ε₁, g₂ = f₂ + ε₂, so f₂f₁ − g₂g₁ = −(L₂ε₁ + ε₂)·1 at every X; (b) C3's quantizer
    instance measured in sup norm: d_∞ = H = 0 + sup_{y∈q(D)}|g₂(y)|, where the naive L_p bound fails."""
    rng = np.random.default_rng([ctx.seed, 51])
    lines = []
    for trial in range(ctx.pick(6, 40)):
        side = int(rng.integers(1, 4))
        f1 = _layer(("relu", "gamma", "blur_signed")[trial % 3], int(rng.integers(2**16)), side)
        f2 = _layer("blur", int(rng.integers(2**16)), side)
        e1, e2 = Fraction(int(rng.integers(1, 9)), 16), Fraction(int(rng.integers(1, 9)), 64)
        x = tuple(Fraction(int(v), 64) for v in rng.integers(0, 65, size=side * side))
        a = f1.exact(x)
        lhs = _sup_dist(f2.exact(a), perturb("shift+", e2, f2.exact(perturb("shift+", e1, a))))
        bound = f2.lipschitz * e1 + e2
        if lhs > bound:
            return EvidenceResult("refuted", f"{f2.name}: error {lhs} > L₂ε₁ + ε₂ = {bound}",
                                  counterexample={"f1": f1.name, "f2": f2.name, "x": x, "eps1": e1, "eps2": e2, "error": lhs})
        if lhs != bound:
            return EvidenceResult("failed", f"{f2.name}: error {lhs} ≠ L₂ε₁ + ε₂ = {bound}: the attaining instance did not attain",
                                  observed=str(lhs), bound=str(bound))
        lines.append(f"L₂ = {f2.lipschitz}, ε = ({e1}, {e2}): error = bound = {bound}")
    # (b) the C3 instance in sup norm
    G, H, w = 4, Fraction(3, 2), Fraction(1, 100)
    q = ec.grid_quantizer_function(G)
    g2 = ec.tent_bumps([Fraction(g, G) for g in range(G)], w, H)
    composed = compose(g2, q)
    d_inf = composed.sup_abs()  # f₂ = 0
    on_image = max(abs(g2(Fraction(g, G))) for g in range(G))  # q(D) = {g/G}
    if d_inf > on_image or d_inf != H:
        return EvidenceResult("refuted", f"quantizer instance: d_∞ = {d_inf}, C1 bound {on_image}",
                              counterexample={"G": G, "H": H, "w": w, "d_inf": d_inf, "bound": on_image})
    return EvidenceResult("passed", f"{len(lines)} exact blur instances attain C1 exactly (e.g. {lines[0]}); on C3's quantizer "
                                    f"instance (G = {G}, H = {H}, w = {w}) d_∞ = {d_inf} = 0 + sup_{{q(D)}}|g₂| = {on_image}: "
                                    "C1 is exact where the naive L_p form fails", observed=1.0, bound=1)


def two_layer_property(ctx: Context) -> EvidenceResult:
    """Hypothesis + hypothesis.target over pairs of Lipschitz targets with exact perturbations: the largest
    ‖f₂f₁X − g₂g₁X‖_∞ over a batch ≤ L₂·max e₁ + max e₂ (e₂ measured at g₁X), exactly over Q."""

    def prop(example):
        side, layers, points = example
        worst, errs, lips, fs = _run_chain(side, layers[:2], points)
        allowed = lips[1] * errs[0] + errs[1]
        return _ratio(worst, allowed), f"{fs[0].name} ({layers[0][2]}, ε={layers[0][3]}) then {fs[1].name} ({layers[1][2]}, ε={layers[1][3]})"

    return run_property(prop, _chain_strategy(2, 2), ctx, quick=40, full=400, label="C1 error / (L₂e₁ + e₂ on g₁(D))")


# =========================================================================== C2


def symbolic_k_layers(ctx: Context) -> EvidenceResult:
    """The recursion B_k = L_k B_{k−1} + ε_k (C1 per layer) equals Σ ε_k Π_{j>k} L_j, its induction step, and the
    attaining scalar chain, as polynomial identities for K = 2..5 (full: ..8)."""
    depths = range(2, ctx.pick(6, 9))
    for K in depths:
        res = sc.k_layer_residuals(K)
        if any(v != 0 for v in res.values()):
            return EvidenceResult("undecided", f"K = {K}: residuals {res}")
    return EvidenceResult(
        "proved",
        f"for K = 2..{depths[-1]}: recursion − Σ_k ε_k Π_{{j>k}} L_j, L_K·closed(K−1) + ε_K − closed(K) (C1 applied to "
        "f_K∘F_{K−1}, g_K∘G_{K−1}) and, for f_k = L_k y, g_k = L_k y + ε_k, G_K − F_K − closed(K) all expand to 0: "
        f"the bound is attained. Example: {sc.k_layer_closed_form(3)}.",
    )


def k_layer_property(ctx: Context) -> EvidenceResult:
    """Hypothesis + hypothesis.target over chains of 2–4 Lipschitz targets with exact perturbations: the largest
    ‖F_K X − G_K X‖_∞ ≤ Σ_k (max e_k) Π_{j>k} L_j, e_k measured on the approximate chain's image, exactly."""

    def prop(example):
        side, layers, points = example
        worst, errs, lips, fs = _run_chain(side, layers, points)
        allowed = sc.k_layer_bound(errs, lips)
        return _ratio(worst, allowed), f"K = {len(layers)}: " + " → ".join(f"{f.name.split('(')[0]}[{l[2]}, ε={l[3]}]" for f, l in zip(fs, layers))

    return run_property(prop, _chain_strategy(2, 4), ctx, quick=30, full=300, label="C2 error / Σ ε_k Π L_j")


# =========================================================================== C3


def symbolic_naive_lp(ctx: Context) -> EvidenceResult:
    """Closed forms with symbolic p, w, H: ∫_0^w tent^p = H^p w/(p+1), so d_p(f₂, g₂)^p = H^p(2G−1)w/(p+1) for the
    quantizer and 2H^p w(1/(p+1) − w/((p+1)(p+2))) for the diagonal ridge, → 0 with w, while the composed error is H."""
    value, want = sc.tent_power_integral()
    anti = sc.tent_antiderivative_residual()
    r_value, r_want, r_anti = sc.ridge_power_integral()
    if anti != 0 or r_anti != 0 or sp.cancel(value - want) != 0 or sp.cancel(sp.expand(r_value - r_want)) != 0:
        return EvidenceResult("undecided", f"tent integrals did not reduce: {value} vs {want}; ridge {r_value} vs {r_want}")
    G, p_s, w_s, H_s = sp.Symbol("G", positive=True), sp.Symbol("p", positive=True), sp.Symbol("w", positive=True), sp.Symbol("H", positive=True)
    outer_power = H_s**p_s * (2 * G - 1) * w_s / (p_s + 1)
    limit = sp.limit(outer_power, w_s, 0, "+")
    ridge_limit = sp.limit(r_want.subs({sp.Symbol("w", positive=True): w_s}), w_s, 0, "+")
    if limit != 0 or ridge_limit != 0:
        return EvidenceResult("undecided", f"limits as w → 0: {limit}, {ridge_limit}")
    # the instance G = 4, w = 1/100, H = 1, p = 1 (exact): naive bound 7/200 < 1
    inst = {G: 4, w_s: sp.Rational(1, 100), H_s: 1, p_s: 1}
    naive = outer_power.subs(inst)
    return EvidenceResult(
        "refuted",
        f"∫_0^w (H(1 − x/w))^p dx = {want} (antiderivative −(1−u)^{{p+1}}/(p+1) checked by differentiation); the quantizer q "
        f"maps D onto the tent peaks, so d_p(f₂∘q, g₂∘q) = H, while d_p(f₂, g₂)^p = {outer_power} → {limit} as w → 0 "
        f"(ratio^p = (p+1)/((2G−1)w) → ∞), and Lip(f₂) = 0. The copy map X ↦ (X, X) (one token up-sampled) fails the "
        f"same way: ridge ∫∫ = {r_want} → 0. Instance G = 4, w = 1/100, H = 1, p = 1: naive bound {naive} < 1 = LHS.",
        observed="1", bound=str(naive),
        counterexample={"G": 4, "w": "1/100", "H": 1, "p": 1, "d_p(f2∘q,g2∘q)": 1, "d_p(f2,g2)": naive,
                        "Lip(f2)·d_p(f1,g1)": 0},
    )


def exact_naive_lp_counterexample(ctx: Context) -> EvidenceResult:
    """Exact piecewise integrals (no closed form used) for p = 1, 2 and w = δ/2 down to δ/2·10^{−k}: the grid
    quantizer, the ReLU quantizer Q_η of P2 (η = δ/10) and the diagonal ridge; the naive bound fails on every one."""
    G, H = 4, Fraction(1)
    widths = [Fraction(1, 2 * G) / 10**k for k in range(ctx.pick(4, 7))]
    rows, failing = [], None
    for p in (1, 2):
        for w in widths:
            for inner, eta in (("grid", None), ("relu", Fraction(1, 10 * G))):
                inst = ec.naive_lp_instance(G, w, H, p, inner=inner, eta=eta)
                if inst.inner_error_power != 0 or inst.lipschitz_f2 != 0:
                    return EvidenceResult("failed", f"instance is not C3's: d_p(f₁,g₁)^p = {inst.inner_error_power}, Lip f₂ = {inst.lipschitz_f2}")
                if not inst.naive_bound_holds:
                    failing = inst if failing is None or inst.ratio_power > failing.ratio_power else failing
                rows.append((p, w, inner, inst))
            outer, on_diag = ec.ridge_instance(w, H, p)
            rows.append((p, w, "ridge", (outer, on_diag)))
            if on_diag <= outer:
                return EvidenceResult("failed", f"ridge instance p = {p}, w = {w}: composed {on_diag} ≤ {outer}")
    held = [r for r in rows if r[2] != "ridge" and r[3].naive_bound_holds]
    if failing is None or held:
        return EvidenceResult("passed", f"the naive bound held on {len(held)} instances; no counterexample",
                              observed=len(held))
    grid_p1 = {r[1]: r[3] for r in rows if r[0] == 1 and r[2] == "grid"}
    series = ", ".join(f"w = {w}: {inst.outer_error_power} (LHS 1)" for w, inst in list(grid_p1.items())[:3])
    relu = next(r[3] for r in rows if r[0] == 2 and r[2] == "relu")
    return EvidenceResult(
        "refuted",
        f"{len(rows)} exact instances (G = {G}, H = {H}), the naive bound fails on every one. Grid quantizer, p = 1, "
        f"d_p(f₂,g₂): {series} …; ReLU quantizer Q_η (η = {relu.eta}), p = 2, w = {relu.half_width}: "
        f"d_p(f₂∘Q,g₂∘Q)² = {relu.composed_power} ≥ H²(1 − (G−1)η) vs d_p(f₂,g₂)² = {relu.outer_error_power}; "
        f"worst (LHS/bound)^p = {failing.ratio_power} (p = {failing.p}, w = {failing.half_width}, {failing.inner}).",
        observed=str(failing.composed_power), bound=str(failing.outer_error_power),
        counterexample=failing.counterexample(),
    )


# =========================================================================== C4


def symbolic_lp_density(ctx: Context) -> EvidenceResult:
    """The change of variables on a linear piece, ∫_a^b h(α+βx)dx = (1/β)∫_{α+βa}^{α+βb} h(y)dy, cancels exactly
    for generic polynomials h of degree ≤ 3 (full: ≤ 5), which gives ∫ h∘g₁ dλ = ∫ h ρ dy ≤ ρ_max ∫ h for h ≥ 0."""
    degrees = range(ctx.pick(4, 6))
    for d in degrees:
        res = sc.change_of_variables_residual(d)
        if res != 0:
            return EvidenceResult("undecided", f"degree {d}: residual {res}")
    return EvidenceResult(
        "proved",
        f"change of variables cancels for deg h ≤ {degrees[-1]} (β ≠ 0; β < 0 reverses the image, giving 1/|β|). Summing over "
        "the pieces of g₁: ∫_D h(g₁x) dx = ∫ h(y)ρ(y) dy with ρ(y) = Σ_{pieces ∋ y} 1/|β| (in d dimensions: the "
        "Jacobian formula), ≤ ρ·∫_{D₂} h for h = ‖f₂ − g₂‖_p^p ≥ 0. With Minkowski in L_p(D) and the pointwise "
        "‖f₂a − f₂b‖_p ≤ Lip_p(f₂)‖a − b‖_p: d_p(f₂f₁, g₂g₁) ≤ Lip(f₂)d_p(f₁, g₁) + ρ^{1/p}d_p(f₂, g₂).",
    )


def _random_instance(rng, p, lam, tents, label):
    g1 = ec.random_piecewise_linear(rng, int(rng.integers(1, 5)), no_flat=True)
    h = ec.random_piecewise_linear(rng, int(rng.integers(1, 4)))
    f1 = g1 + (h - g1) * lam  # a convex combination: values stay in [0, 1]
    f2 = ec.random_piecewise_linear(rng, int(rng.integers(1, 5)), lo=-1, hi=1)
    k = max(1, tents)
    centres = [Fraction(2 * i + 1, 2 * k) for i in range(k)]
    bumps = ec.tent_bumps(centres, Fraction(int(rng.integers(1, 9)), 16 * k), Fraction(int(rng.integers(-8, 9)), 8))
    return ec.lp_composition_instance(f1, g1, f2, f2 + bumps, p, label=label)


def exact_lp_density_instances(ctx: Context) -> EvidenceResult:
    """Exact 1-D instances: random ones hold; tight ones (f₁ = g₁, bump where g₁#λ has its maximal density) hold
    with ratio exactly 1 (so an underestimated ρ fails); a compressing g₁ (ρ = 16) is loose but valid; the
    quantizers' push-forwards have atoms (no finite ρ: C4 does not apply, consistent with C3)."""
    rng = np.random.default_rng([ctx.seed, 54])
    worst, count = 0.0, 0
    for trial in range(ctx.pick(12, 80)):
        inst = _random_instance(rng, (1, 2)[trial % 2], Fraction(int(rng.integers(0, 3)), 4), int(rng.integers(1, 4)), f"random {trial}")
        count += 1
        if not inst.holds:
            return EvidenceResult("refuted", f"{inst.label}: C4 fails (ratio {inst.ratio:.6g})", counterexample=inst.as_dict())
        worst = max(worst, inst.ratio)
    tight = []
    for trial in range(ctx.pick(6, 30)):
        g1 = ec.random_piecewise_linear(rng, int(rng.integers(1, 5)), no_flat=True)
        f2 = ec.random_piecewise_linear(rng, int(rng.integers(1, 4)), lo=-1, hi=1)
        inst = ec.tight_density_instance(g1, f2, Fraction(int(rng.integers(1, 9)), 4), (1, 2)[trial % 2], f"tight {trial}")
        count += 1
        if not inst.holds:
            return EvidenceResult("refuted", f"{inst.label}: C4 fails (ratio {inst.ratio:.6g})", counterexample=inst.as_dict())
        if inst.A != inst.rho * inst.C or inst.B != 0:
            return EvidenceResult("failed", f"{inst.label}: A = {inst.A} ≠ ρC = {inst.rho * inst.C}: the tight construction is not tight",
                                  observed=str(inst.A), bound=str(inst.rho * inst.C))
        tight.append(inst)
    # loose: g₁ = x/16 has ρ = 16; a wide bump of g₂ − f₂ is mostly outside g₁'s image [0, 1/16]
    g1 = PiecewisePolynomial.linear_interpolant([(0, 0), (1, Fraction(1, 16))])
    f2 = PiecewisePolynomial.linear_interpolant([(0, 0), (1, Fraction(1, 2))])
    loose = [ec.lp_composition_instance(g1, g1, f2, f2 + ec.tent_bumps([Fraction(1, 2)], Fraction(1, 2), 1), p, label=f"loose p={p}")
             for p in (1, 2)]
    if any(not i.holds for i in loose) or push_forward(g1).max_density != 16:
        return EvidenceResult("refuted", "loose instance fails", counterexample=loose[0].as_dict())
    atoms = push_forward(ec.grid_quantizer_function(4))
    relu_atoms = push_forward(ec.relu_quantizer_function(4, Fraction(1, 40)))
    if atoms.max_density is not None or relu_atoms.max_density is not None:
        return EvidenceResult("failed", "a quantizer's push-forward was reported atom-free")
    return EvidenceResult(
        "passed",
        f"{count} exact instances hold; random: worst ratio {worst:.4f}; tight: A = ρC exactly, ratio 1 on all {len(tight)} "
        f"(e.g. ρ = {tight[0].rho}); loose (ρ = 16): ratios {loose[0].ratio:.4f} (p = 1), {loose[1].ratio:.4f} (p = 2); grid "
        f"quantizer G = 4: {len(atoms.atoms)} atoms of mass {atoms.atoms[0][1]} (no finite ρ); ReLU quantizer η = 1/40: "
        f"{len(relu_atoms.atoms)} atoms, total mass {relu_atoms.atom_mass} (no finite ρ)",
        observed=max(worst, max(i.ratio for i in tight)), bound=1,
    )


def lp_density_property(ctx: Context) -> EvidenceResult:
    """Hypothesis + hypothesis.target over random exact 1-D instances (p = 1, 2; f₁ between g₁ and another map;
    tent errors of g₂): ratio d_p(f₂f₁, g₂g₁)/(Lip(f₂)d_p(f₁, g₁) + ρ^{1/p}d_p(f₂, g₂)) ≤ 1, decided exactly."""

    def prop(example):
        seed, p, lam_q, tents = example
        inst = _random_instance(np.random.default_rng(seed), p, Fraction(lam_q, 4), tents, f"seed {seed}")
        r = inst.ratio
        if not inst.holds:
            r = max(r, math.nextafter(1.0, 2.0))
        return r, f"{inst.label}, p = {p}, λ = {lam_q}/4, ρ = {inst.rho}"

    strategy = st.tuples(st.integers(0, 2**32 - 1), st.sampled_from((1, 2)), st.integers(0, 4), st.integers(1, 4))
    return run_property(prop, strategy, ctx, quick=25, full=250, label="C4 error / (Lip·d_p + ρ^{1/p} d_p)")


# =========================================================================== mutants (tests/quality)


def _mutant_lipschitz_halved(p):
    """Every C1/C2 layer declares half its Lipschitz constant (a target understating L₂)."""
    import copy

    import varcheck.check.composition as mod

    original = mod._layer

    def halved(kind, seed, side):
        t = copy.copy(original(kind, seed, side))
        t.lipschitz = t.lipschitz / 2
        return t

    p.setattr(mod, "_layer", halved)


def _mutant_own_lipschitz_in_product(p):
    """C2's closed form with Π_{j≥k} L_j instead of Π_{j>k} (the layer's own constant multiplies its error)."""
    from ..spec import composition as spec

    def closed(K):
        eps, lips = spec.k_layer_symbols(K)
        return sum((eps[k] * sp.Mul(*lips[k:]) for k in range(K)), sp.Integer(0))

    def bound(eps, lips):
        eps, lips = [Fraction(e) for e in eps], [Fraction(v) for v in lips]
        return sum((e * math.prod(lips[k:], start=Fraction(1)) for k, e in enumerate(eps)), Fraction(0))

    p.setattr(spec, "k_layer_closed_form", closed)
    p.setattr(spec, "k_layer_bound", bound)


def _mutant_density_underestimated(p):
    """C4 evaluated with ρ underestimated by 1/8 (the push-forward density scaled by 7/8)."""
    from ..exact import composition as exact
    from ..exact.piecewise import PushForward

    original = exact.push_forward

    def scaled(g):
        pf = original(g)
        density = None if pf.density is None else pf.density * Fraction(7, 8)
        return PushForward(pf.atoms, density)

    p.setattr(exact, "push_forward", scaled)


def _mutant_bumps_between_grid_values(p):
    """C3's tents centred between the quantizer's values (g + ½)/G: the composed error vanishes, no refutation."""
    from ..exact import composition as exact

    original = exact.naive_lp_instance

    def shifted(G, half_width, height, p_, **kwargs):
        w = min(Fraction(half_width), Fraction(1, 4 * G))
        kwargs["centres"] = [Fraction(2 * g + 1, 2 * G) for g in range(G)]
        return original(G, w, height, p_, **kwargs)

    p.setattr(exact, "naive_lp_instance", shifted)


def _mutant_identity_inner(p):
    """C3's inner map replaced by the identity (push-forward density 1): the naive bound then holds (with equality)."""
    from ..exact import composition as exact

    identity = PiecewisePolynomial.linear_interpolant([(0, 0), (1, 1)])
    p.setattr(exact, "grid_quantizer_function", lambda G: identity)
    p.setattr(exact, "relu_quantizer_function", lambda G, eta: identity)


def _mutants():
    from .mutants import Check, Mutant

    ev = "varcheck.check.composition:"
    return (
        Mutant("compose.lipschitz-halved", ("compose.sup-two-layer", "compose.sup-k-layers"),
               "every layer declares half its Lipschitz constant",
               _mutant_lipschitz_halved,
               (Check(ev + "exact_two_layer_attained"), Check(ev + "two_layer_property"), Check(ev + "k_layer_property"))),
        Mutant("compose.own-lipschitz-in-product", ("compose.sup-k-layers",),
               "C2's bound with Π_{j≥k} L_j (own constant included)",
               _mutant_own_lipschitz_in_product, (Check(ev + "symbolic_k_layers"),)),
        Mutant("compose.density-underestimated", ("compose.lp-density",),
               "C4 with the push-forward density bound ρ underestimated by 1/8",
               _mutant_density_underestimated,
               (Check(ev + "exact_lp_density_instances"), Check(claim="compose.lp-density"))),
        Mutant("compose.bumps-between-grid-values", ("compose.naive-lp",),
               "C3's tents placed between the quantizer's values: the counterexample must disappear",
               _mutant_bumps_between_grid_values,
               (Check(ev + "exact_naive_lp_counterexample", caught_if=("passed",)), Check(claim="compose.naive-lp"))),
        Mutant("compose.identity-inner", ("compose.naive-lp",),
               "C3's quantizer replaced by the identity (density 1): the counterexample must disappear",
               _mutant_identity_inner,
               (Check(ev + "exact_naive_lp_counterexample", caught_if=("passed",)),)),
    )


MUTANTS = _mutants()
