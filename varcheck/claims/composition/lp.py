"""Composition of approximation errors in L_p (docs/theory.md §5): C3 (the naive L_p composition rule, refuted with an
exact counterexample: finding F5) and C4 (the sound L_p rule with a density bound on the push-forward), with their
mutants.

C3's counterexample is exact, symbolically and through the exact piecewise integrator (varcheck.exact.piecewise);
C4 is checked by the change of variables (sympy) and on exact one-dimensional instances (random, tight, loose,
atoms).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ...exact import composition as ec
from ...exact.piecewise import PiecewisePolynomial, PushForward, push_forward
from ...theory import composition as sc
from ...theory.mutants import Check, Mutant
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import Finding
from ..properties import run_property
from .sup_norm import LEMMAS

__all__ = ["CLAIMS", "MUTANTS", "FINDINGS", "LEMMAS_6_3_TO_6_5"]

#: What the universality construction needs from a composition lemma (the F5 finding, written once and shown
#: in C3's statement and C4's hypotheses).
LEMMAS_6_3_TO_6_5 = (
    "What Lemmas 6.3–6.5 need (docs/theory.md §5 restates them; the paper's wording was not at hand): they compose the "
    "per-layer errors of T = FF₂∘SA∘FF₁∘(Φ_up + E) into an O(ε) error in d_p. Every inner approximant of that "
    "construction has a singular push-forward of the input measure: Φ_up is linear with an image of dimension "
    "n₁d inside R^{L×d} (the copy X ↦ (X, X) of one up-sampled token is the smallest case), and FF₁ = Q_η puts "
    "atoms of total mass ≥ 1 − (G−1)η per entry on the grid values (and so does SA∘FF₁). A direct reading, "
    "'d_p errors of the layers add up with Lipschitz factors', is C3, and it is false exactly for such inner maps. "
    "C4 does not rescue it (no finite density ρ exists). The sound route is C1/C2: each approximant must be "
    "accurate in sup norm on the image of the previous approximate layer — here a finite set on the good cells, "
    "where SA separates exactly and FF₂ is exact (P3), so those ε_k are the SA leak and rounding only — with the "
    "single L_p term coming from the quantizer's bad set (P4). The Lipschitz constants that multiply are those of "
    "the target layers f_k, never of the constructed networks (whose constants blow up, P5)."
)


# --------------------------------------------------------------------------- C3


def symbolic_naive_lp(ctx: Context) -> EvidenceResult:
    """Closed forms with symbolic p, w, H: ∫_0^w tent^p = H^p w/(p+1), so d_p(f₂, g₂)^p = H^p(2G−1)w/(p+1) for the
    quantizer and 2H^p w(1/(p+1) − w/((p+1)(p+2))) for the diagonal ridge, → 0 with w, while the composed error is H."""
    value, want = sc.tent_power_integral()
    anti = sc.tent_antiderivative_residual()
    r_value, r_want, r_anti = sc.ridge_power_integral()
    if anti != 0 or r_anti != 0 or sp.cancel(value - want) != 0 or sp.cancel(sp.expand(r_value - r_want)) != 0:
        return EvidenceResult("undecided", f"tent integrals did not reduce: {value} vs {want}; ridge {r_value} vs "
                                           f"{r_want}")
    G, p_s, w_s, H_s = sp.Symbol("G", positive=True), sp.Symbol("p", positive=True), sp.Symbol(
        "w", positive=True), sp.Symbol("H", positive=True)
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
        f"∫_0^w (H(1 − x/w))^p dx = {want} (antiderivative −(1−u)^{{p+1}}/(p+1) checked by differentiation); the "
        f"quantizer q maps D onto the tent peaks, so d_p(f₂∘q, g₂∘q) = H, while d_p(f₂, g₂)^p = {outer_power} → "
        f"{limit} as w → 0 (ratio^p = (p+1)/((2G−1)w) → ∞), and Lip(f₂) = 0. The copy map X ↦ (X, X) (one token "
        f"up-sampled) fails the same way: ridge ∫∫ = {r_want} → 0. Instance G = 4, w = 1/100, H = 1, p = 1: naive "
        f"bound {naive} < 1 = LHS.",
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
                    return EvidenceResult("failed", f"instance is not C3's: d_p(f₁,g₁)^p = {inst.inner_error_power}, "
                                                    f"Lip f₂ = {inst.lipschitz_f2}")
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


# --------------------------------------------------------------------------- C4


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
        f"change of variables cancels for deg h ≤ {degrees[-1]} (β ≠ 0; β < 0 reverses the image, giving 1/|β|). "
        "Summing over the pieces of g₁: ∫_D h(g₁x) dx = ∫ h(y)ρ(y) dy with ρ(y) = Σ_{pieces ∋ y} 1/|β| (in d "
        "dimensions: the Jacobian formula), ≤ ρ·∫_{D₂} h for h = ‖f₂ − g₂‖_p^p ≥ 0. With Minkowski in L_p(D) and the "
        "pointwise ‖f₂a − f₂b‖_p ≤ Lip_p(f₂)‖a − b‖_p: d_p(f₂f₁, g₂g₁) ≤ Lip(f₂)d_p(f₁, g₁) + ρ^{1/p}d_p(f₂, g₂).",
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
        inst = _random_instance(rng, (1, 2)[trial % 2], Fraction(int(rng.integers(0, 3)), 4), int(rng.integers(1, 4)),
                                f"random {trial}")
        count += 1
        if not inst.holds:
            return EvidenceResult("refuted", f"{inst.label}: C4 fails (ratio "
                                             f"{inst.ratio:.6g})", counterexample=inst.as_dict())
        worst = max(worst, inst.ratio)
    tight = []
    for trial in range(ctx.pick(6, 30)):
        g1 = ec.random_piecewise_linear(rng, int(rng.integers(1, 5)), no_flat=True)
        f2 = ec.random_piecewise_linear(rng, int(rng.integers(1, 4)), lo=-1, hi=1)
        inst = ec.tight_density_instance(g1, f2, Fraction(int(rng.integers(1, 9)), 4), (1, 2)[trial % 2],
                                         f"tight {trial}")
        count += 1
        if not inst.holds:
            return EvidenceResult("refuted", f"{inst.label}: C4 fails (ratio "
                                             f"{inst.ratio:.6g})", counterexample=inst.as_dict())
        if inst.A != inst.rho * inst.C or inst.B != 0:
            return EvidenceResult("failed", f"{inst.label}: A = {inst.A} ≠ ρC = {inst.rho * inst.C}: the tight "
                                            "construction is not tight",
                                  observed=str(inst.A), bound=str(inst.rho * inst.C))
        tight.append(inst)
    # loose: g₁ = x/16 has ρ = 16; a wide bump of g₂ − f₂ is mostly outside g₁'s image [0, 1/16]
    g1 = PiecewisePolynomial.linear_interpolant([(0, 0), (1, Fraction(1, 16))])
    f2 = PiecewisePolynomial.linear_interpolant([(0, 0), (1, Fraction(1, 2))])
    loose = [
        ec.lp_composition_instance(
            g1, g1, f2, f2 + ec.tent_bumps([Fraction(1, 2)], Fraction(1, 2), 1), p, label=f"loose p={p}"
        )
        for p in (1, 2)
    ]
    if any(not i.holds for i in loose) or push_forward(g1).max_density != 16:
        return EvidenceResult("refuted", "loose instance fails", counterexample=loose[0].as_dict())
    atoms = push_forward(ec.grid_quantizer_function(4))
    relu_atoms = push_forward(ec.relu_quantizer_function(4, Fraction(1, 40)))
    if atoms.max_density is not None or relu_atoms.max_density is not None:
        return EvidenceResult("failed", "a quantizer's push-forward was reported atom-free")
    return EvidenceResult(
        "passed",
        f"{count} exact instances hold; random: worst ratio {worst:.4f}; tight: A = ρC exactly, ratio 1 on all "
        f"{len(tight)} (e.g. ρ = {tight[0].rho}); loose (ρ = 16): ratios {loose[0].ratio:.4f} (p = 1), "
        f"{loose[1].ratio:.4f} (p = 2); grid quantizer G = 4: {len(atoms.atoms)} atoms of mass {atoms.atoms[0][1]} (no "
        f"finite ρ); ReLU quantizer η = 1/40: {len(relu_atoms.atoms)} atoms, total mass {relu_atoms.atom_mass} (no "
        "finite ρ)",
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


# --------------------------------------------------------------------------- mutants


def _mutant_density_underestimated(p):
    """C4 evaluated with ρ underestimated by 1/8 (the push-forward density scaled by 7/8)."""
    original = ec.push_forward

    def scaled(g):
        pf = original(g)
        density = None if pf.density is None else pf.density * Fraction(7, 8)
        return PushForward(pf.atoms, density)

    p.setattr(ec, "push_forward", scaled)


def _mutant_bumps_between_grid_values(p):
    """C3's tents centred between the quantizer's values (g + ½)/G: the composed error vanishes, no refutation."""
    original = ec.naive_lp_instance

    def shifted(G, half_width, height, p_, **kwargs):
        w = min(Fraction(half_width), Fraction(1, 4 * G))
        kwargs["centres"] = [Fraction(2 * g + 1, 2 * G) for g in range(G)]
        return original(G, w, height, p_, **kwargs)

    p.setattr(ec, "naive_lp_instance", shifted)


def _mutant_identity_inner(p):
    """C3's inner map replaced by the identity (push-forward density 1): the naive bound then holds (with equality)."""
    identity = PiecewisePolynomial.linear_interpolant([(0, 0), (1, 1)])
    p.setattr(ec, "grid_quantizer_function", lambda G: identity)
    p.setattr(ec, "relu_quantizer_function", lambda G, eta: identity)


# --------------------------------------------------------------------------- claims


CLAIMS = (
    Claim(
        id="compose.naive-lp",
        label="C3",
        title="Naive L_p composition: d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + d_p(f₂, g₂)",
        statement=(
            "For L-Lipschitz f₂ and maps f₁, g₁ : D → D₂, g₂ on D₂ (Lebesgue measure on D = D₂ = [0, 1]): "
            "d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + d_p(f₂, g₂). " + LEMMAS_6_3_TO_6_5
        ),
        paper_ref=LEMMAS + " (a direct L_p reading)",
        expected="refuted",
        finding="F5",
        corrected=(
            "Use C1/C2: d_∞(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)d_∞(f₁, g₁) + sup_{g₁(D)}‖f₂ − g₂‖_∞ (g₂ accurate on the image of "
            "g₁); or C4: if g₁#λ has density ≤ ρ, d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)d_p(f₁, g₁) + ρ^{1/p}d_p(f₂, g₂). "
            "Quantizer-like inner maps (atoms) admit no finite ρ: only C1 (with P4 for the bad set) applies to the VAR "
            "construction."
        ),
        depends_on=("partition.relu-quantizer",),
        hypotheses=("1 ≤ p < ∞",),
        constants=(
            ("NAIVE_LP_RATIO_POWER", "(p+1)/((2G−1)w)", "(LHS/naive bound)^p for the quantizer instance: H^p over "
                                                        "H^p(2G−1)w/(p+1)"),
        ),
        evidence=(
            E("symbolic", symbolic_naive_lp, "closed forms of ∫tent^p (quantizer) and of the diagonal ridge (copy map) "
                                             "with symbolic p, w, H; limits w → 0"),
            E("construction", exact_naive_lp_counterexample, "exact piecewise integrals for p = 1, 2, w → 0: grid "
                                                             "quantizer, ReLU quantizer Q_η, diagonal ridge"),
        ),
    ),
    Claim(
        id="compose.lp-density",
        label="C4",
        title="L_p composition with a density bound on the push-forward",
        statement=(
            "If the push-forward g₁#μ of the measure on D has density ≤ ρ with respect to Lebesgue measure on a domain "
            "D₂ ⊇ f₁(D) ∪ g₁(D) on which d_p(f₂, g₂) is measured, and f₂ is Lipschitz from ‖·‖_p to ‖·‖_p, then "
            "d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + ρ^{1/p}·d_p(f₂, g₂). The bound is attained (f₁ = g₁, f₂ − g₂ "
            "supported where the density equals ρ); it is loose when ρ is large; a push-forward with atoms (grid or "
            "ReLU quantizer) has no finite ρ and C4 says nothing there — consistent with C3."
        ),
        paper_ref="varcheck formalisation (docs/theory.md C4: the sound L_p composition)",
        expected="holds",
        depends_on=("compose.naive-lp",),
        hypotheses=("1 ≤ p < "
                    "∞", "ρ = ess sup of the density of g₁#μ (piecewise-linear g₁: Σ 1/|slope| over preimages)"),
        evidence=(
            E("symbolic", symbolic_lp_density, "change of variables on a linear piece for generic polynomials (exact "
                                               "cancellation); Minkowski"),
            E("construction", exact_lp_density_instances, "exact 1-D instances: random, tight (A = ρC exactly), loose "
                                                          "(ρ = 16), atoms of the quantizers"),
            E("numeric", lp_density_property, "Hypothesis + target over random exact 1-D instances, decided over Q"),
        ),
    ),
)


MUTANTS = (
    Mutant("compose.density-underestimated", ("compose.lp-density",),
           "C4 with the push-forward density bound ρ underestimated by 1/8",
           _mutant_density_underestimated,
           (Check(exact_lp_density_instances), Check(claim="compose.lp-density"))),
    Mutant("compose.bumps-between-grid-values", ("compose.naive-lp",),
           "C3's tents placed between the quantizer's values: the counterexample must disappear",
           _mutant_bumps_between_grid_values,
           (Check(exact_naive_lp_counterexample, caught_if=("passed",)), Check(claim="compose.naive-lp"))),
    Mutant("compose.identity-inner", ("compose.naive-lp",),
           "C3's quantizer replaced by the identity (density 1): the counterexample must disappear",
           _mutant_identity_inner,
           (Check(exact_naive_lp_counterexample, caught_if=("passed",)),)),
)


FINDINGS = (
    Finding(
        "F5", "Naive L_p composition of approximation errors is false",
        paper="d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + d_p(f₂, g₂) (the form the perturbation lemmas "
              "6.3–6.5 are read to use).",
        theory="F5 = C3: take f₁ = g₁ a grid quantizer, f₂ = 0, g₂ narrow bumps of height H at the grid points; "
               "d_p(f₂, g₂) → 0 while d_p(f₂∘f₁, g₂∘g₁) = H.",
        corrected="C1 (sup norm) or C4: d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + ρ^{1/p}·d_p(f₂, g₂) when the "
                  "push-forward of the measure under g₁ has density ≤ ρ.",
        planned="compose.naive-lp",
    ),
)
