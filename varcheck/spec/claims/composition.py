"""Claims of THEORY.md §5: composition of approximation errors (the perturbation lemmas, C1–C4; finding F5)."""

from ..registry import Claim, EvidenceSpec as E

_C = "varcheck.check.composition:"
_LEMMAS = ("arXiv:2502.06167, perturbation lemmas (ICML numbering: Lemma 6.3 two layers, Lemmas 6.4–6.5 many layers), "
           "as restated in THEORY.md §5")

#: What the universality construction needs from a composition lemma (the F5 finding, written once and shown
#: in C3's statement and C4's hypotheses).
LEMMAS_6_3_TO_6_5 = (
    "What Lemmas 6.3–6.5 need (THEORY.md §5 restates them; the paper's wording was not at hand): they compose the "
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

CLAIMS = (
    Claim(
        id="compose.sup-two-layer",
        label="C1",
        title="Two-layer perturbation in sup norm, error measured on the image of the approximant",
        statement=(
            "For maps f₁, g₁ : D → R^m and f₂, g₂ defined on f₁(D) ∪ g₁(D), with f₂ L₂-Lipschitz (∞ → ∞): "
            "d_∞(f₂∘f₁, g₂∘g₁) ≤ L₂·d_∞(f₁, g₁) + sup_{y ∈ g₁(D)} ‖f₂(y) − g₂(y)‖_∞. The second term is g₂'s error on the "
            "image of the previous approximant g₁ (not on f₂'s nominal domain), the Lipschitz constant is the target's, "
            "and both coefficients are attained (the bound is sharp)."
        ),
        paper_ref=_LEMMAS + "; the sound sup-norm form (varcheck formalisation)",
        expected="holds",
        hypotheses=("‖·‖_∞ on outputs, Lip(f₂) with respect to ‖·‖_∞ on both sides", "g₂ defined on g₁(D)"),
        evidence=(
            E("symbolic", _C + "symbolic_two_layer", "telescoping identity with undefined functions and the attaining linear instance, exact"),
            E("construction", _C + "exact_two_layer_attained", "exact blur instances where error = L₂ε₁ + ε₂; C3's quantizer instance in sup norm (d_∞ = H = bound)"),
            E("numeric", _C + "two_layer_property", "Hypothesis + target over Lipschitz targets and exact perturbations (shift, floor quantizer, ripple), over Q"),
        ),
    ),
    Claim(
        id="compose.sup-k-layers",
        label="C2",
        title="K-layer perturbation in sup norm",
        statement=(
            "With F_K = f_K∘…∘f_1, G_K = g_K∘…∘g_1, L_j = Lip(f_j) (∞ → ∞) and ε_k = sup_{y ∈ G_{k−1}(D)} ‖f_k(y) − g_k(y)‖_∞ "
            "(G_0 = id): d_∞(F_K, G_K) ≤ Σ_{k=1}^{K} ε_k Π_{j>k} L_j, the solution of B_k = L_k B_{k−1} + ε_k (C1 per layer); "
            "attained by scalar linear layers."
        ),
        paper_ref=_LEMMAS + "; the sound sup-norm form (varcheck formalisation)",
        expected="holds",
        depends_on=("compose.sup-two-layer",),
        hypotheses=("each ε_k measured on the image of the previous approximate layers",),
        constants=(("BOUND_K", "Σ_k ε_k Π_{j>k} L_j", "unrolled recursion B_k = L_k B_{k−1} + ε_k, B_1 = ε_1"),),
        evidence=(
            E("symbolic", _C + "symbolic_k_layers", "recursion = closed form, induction step, attainment: polynomial identities for K = 2..5"),
            E("numeric", _C + "k_layer_property", "Hypothesis + target over chains of 2–4 Lipschitz targets with exact perturbations, over Q"),
        ),
    ),
    Claim(
        id="compose.naive-lp",
        label="C3",
        title="Naive L_p composition: d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + d_p(f₂, g₂)",
        statement=(
            "For L-Lipschitz f₂ and maps f₁, g₁ : D → D₂, g₂ on D₂ (Lebesgue measure on D = D₂ = [0, 1]): "
            "d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)·d_p(f₁, g₁) + d_p(f₂, g₂). " + LEMMAS_6_3_TO_6_5
        ),
        paper_ref=_LEMMAS + " (a direct L_p reading)",
        expected="refuted",
        finding="F5",
        corrected=(
            "Use C1/C2: d_∞(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)d_∞(f₁, g₁) + sup_{g₁(D)}‖f₂ − g₂‖_∞ (g₂ accurate on the image of g₁); "
            "or C4: if g₁#λ has density ≤ ρ, d_p(f₂∘f₁, g₂∘g₁) ≤ Lip(f₂)d_p(f₁, g₁) + ρ^{1/p}d_p(f₂, g₂). Quantizer-like "
            "inner maps (atoms) admit no finite ρ: only C1 (with P4 for the bad set) applies to the VAR construction."
        ),
        depends_on=("partition.relu-quantizer",),
        hypotheses=("1 ≤ p < ∞",),
        constants=(
            ("NAIVE_LP_RATIO_POWER", "(p+1)/((2G−1)w)", "(LHS/naive bound)^p for the quantizer instance: H^p over H^p(2G−1)w/(p+1)"),
        ),
        evidence=(
            E("symbolic", _C + "symbolic_naive_lp", "closed forms of ∫tent^p (quantizer) and of the diagonal ridge (copy map) with symbolic p, w, H; limits w → 0"),
            E("construction", _C + "exact_naive_lp_counterexample", "exact piecewise integrals for p = 1, 2, w → 0: grid quantizer, ReLU quantizer Q_η, diagonal ridge"),
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
            "supported where the density equals ρ); it is loose when ρ is large; a push-forward with atoms (grid or ReLU "
            "quantizer) has no finite ρ and C4 says nothing there — consistent with C3."
        ),
        paper_ref="varcheck formalisation (THEORY.md C4: the sound L_p composition)",
        expected="holds",
        depends_on=("compose.naive-lp",),
        hypotheses=("1 ≤ p < ∞", "ρ = ess sup of the density of g₁#μ (piecewise-linear g₁: Σ 1/|slope| over preimages)"),
        evidence=(
            E("symbolic", _C + "symbolic_lp_density", "change of variables on a linear piece for generic polynomials (exact cancellation); Minkowski"),
            E("construction", _C + "exact_lp_density_instances", "exact 1-D instances: random, tight (A = ρC exactly), loose (ρ = 16), atoms of the quantizers"),
            E("numeric", _C + "lp_density_property", "Hypothesis + target over random exact 1-D instances, decided over Q"),
        ),
    ),
)
