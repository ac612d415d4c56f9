"""Claims of THEORY.md §4: Lipschitz partitioning, the ReLU quantizer, value mapping, bad sets, Lipschitz blow-up (P1–P5)."""

from ..registry import Claim, EvidenceSpec as E

_STEP = "arXiv:2502.06167, Lipschitz partitioning step of the universal-approximation proof (as restated in THEORY.md §4)"
_VAR = "varcheck formalisation"

CLAIMS = (
    Claim(
        id="partition.lipschitz-grid",
        label="P1",
        title="Lipschitz partitioning: the piecewise-constant approximant and its grid",
        statement=(
            "If f is L-Lipschitz from ‖·‖_α to ‖·‖_β on [0,1]^{n×d} and f̄(X) = f(q(X) + δ/2) with δ = 1/G, then "
            "sup ‖f − f̄‖_β ≤ L·(δ/2)·(nd)^{1/α}, and d_p(f, f̄) ≤ m^{max(0, 1/p − 1/β)}·L·(δ/2)·(nd)^{1/α}. The coarsest "
            "grid meeting a budget ε₁ is G = ⌈m^{1/p} L (nd)^{1/α}/(2ε₁)⌉ for β = ∞ (unnormalised d_p), and "
            "G = ⌈L (nd)^{1/α}/(2ε₁)⌉ for the per-entry d̄_p = m^{−1/p} d_p. The pointwise bound is attained "
            "(sup, for linear maps with a non-negative row of largest ℓ1 norm)."
        ),
        paper_ref=_STEP,
        expected="holds",
        hypotheses=(
            "D = [0,1]^{n×d} with Lebesgue measure (volume 1); m output entries",
            "q(X) = δ⌊X/δ⌋ entrywise, clipped to [0, 1 − δ]; G a positive integer",
            "1 ≤ α, β, p ≤ ∞",
        ),
        constants=(
            ("G(ε₁)", "⌈m^{1/p}·L·(nd)^{1/α}/(2ε₁)⌉", "smallest integer G with m^{1/p}L(nd)^{1/α}/(2G) ≤ ε₁ (β = ∞); per entry without m^{1/p}"),
            ("NORM_CONVERSION", "m^{max(0, 1/p − 1/β)}", "Hölder: ‖y‖_p ≤ m^{1/p − 1/β}‖y‖_β for p ≤ β, ‖y‖_p ≤ ‖y‖_β for p ≥ β"),
            ("EXTREMAL_GAP", "1/64", "the targeted search on extremal targets must reach ratio ≥ 1 − 1/64 of a bound shown attained"),
            ("TANH_MAX_ULPS", "2", "accuracy assumed of torch.tanh in the float runs of tanh-based targets (SLEEF u10 ≤ 1 ulp, glibc ≤ 2 ulp); tested against arb"),
        ),
        evidence=(
            E("symbolic", "varcheck.check.partition_grid:symbolic_grid_size", "bound(1/G) = K/G with K free of G, K/ε₁ equals THEORY's expression (both normalisations), half-cell offsets ±δ/2, exact minimality of ⌈K/ε₁⌉ on instances"),
            E("construction", "varcheck.check.partition_grid:exact_partition_sharpness", "exact worst points of linear targets (blur, area/bicubic resize): ratio exactly 1 for non-negative operators, 1 − O(2⁻⁴⁰) for signed ones"),
            E("numeric", "varcheck.check.partition_grid:partition_error_property", "Hypothesis + hypothesis.target over random targets and cell-aware exact points: error/bound ≤ 1 (exact or ball arithmetic); extremal kinds reach ≥ 1 − 1/64"),
            E("numeric", "varcheck.check.partition_grid:torch_partition_error", "the float64 runtime f̄ on torch for every target family, rounding bounds accounted"),
            E("numeric", "varcheck.check.partition_grid:targets_declared_constants", "every target factory: sampled Lipschitz ratios never exceed the declared constant (hypothesis of P1)"),
        ),
    ),
    Claim(
        id="partition.relu-quantizer",
        label="P2",
        title="The ReLU quantizer equals the grid quantizer off a bad set of length (G−1)η",
        statement=(
            "Per entry, Q_η(t) = Σ_{g=1}^{G−1} δ·[ReLU((t − gδ)/η + 1) − ReLU((t − gδ)/η)] equals the clipped grid quantizer "
            "q(t) = δ·min(⌊t/δ⌋, G−1) for every t ∈ [0, 1] outside B_η = ∪_g (gδ − η, gδ) (THEORY writes the half-open "
            "[gδ − η, gδ); Q_η = q at gδ − η), and lies in [q(t), q(t) + δ] on it. For 0 < η ≤ δ the slabs are disjoint: "
            "B_η has length (G−1)η per entry, μ(B) = 1 − (1 − (G−1)η)^{nd} ≤ nd(G−1)η in [0,1]^{n×d}, and Lip(Q_η) = δ/η. "
            "It is one token-wise ReLU layer of width 2(G−1)d (residual form: 2d more units cancel the skip connection)."
        ),
        paper_ref=_STEP,
        expected="holds",
        hypotheses=("G ≥ 1 an integer, δ = 1/G", "0 < η ≤ δ (η > δ makes ramps overlap: length < (G−1)η and slopes add)"),
        constants=(
            ("LIP_Q", "δ/η", "one ramp of height δ over width η at a time (disjoint for η ≤ δ)"),
            ("WIDTH_Q", "2(G−1)d (+2d residual)", "two ReLU units per level and entry; ReLU(−x) − ReLU(x) = −x cancels the skip"),
        ),
        evidence=(
            E("symbolic", "varcheck.check.relu_quantizer:symbolic_quantizer", "ReLU(z+1) − ReLU(z) on its three pieces by positive substitutions; slab, slope and disjointness algebra"),
            E("construction", "varcheck.check.relu_quantizer:exact_quantizer_breakpoints", "the exact weights (plain and residual) over Q at every breakpoint, between breakpoints and at random rationals; exact bad-set length and max slope"),
            E("numeric", "varcheck.check.relu_quantizer:torch_quantizer", "the torch FeedForward from the exact weights matches Q_η(x̃) within its proved rounding bound"),
        ),
    ),
    Claim(
        id="partition.value-mapping",
        label="P3",
        title="A token-wise ReLU network maps finitely many keys to prescribed values exactly",
        statement=(
            "For scalar keys k₁ < … < k_m and values v_i ∈ Q^{d_out}, V(t) = v₁ + Σ_{i=1}^{m} (s_i − s_{i−1})·ReLU(t − k_i) "
            "(s_i = Δv_i/Δk_i, s₀ = s_m = 0) has width m, equals v_i at every k_i, is constant outside [k₁, k_m] and has "
            "Lipschitz constant exactly max_i ‖s_i‖_∞ ≤ max_i ‖Δv_i‖_∞ / g_min (THEORY's constant is this upper bound, "
            "attained only when the largest jump sits on the smallest gap). Lattice tokens (entries (g + ½)/G) go through "
            "the exact injective base-G digit projection κ(x) = Σ_i G^{d−1−i}(G x_i − ½) (integer keys 0..G^d − 1) inside "
            "the same single hidden layer; Lip ≤ max‖s_i‖_∞ · Σ_i G^{d−i}."
        ),
        paper_ref=_STEP,
        expected="holds",
        hypotheses=("keys strictly increasing (scalar) or distinct lattice tokens (vector)",),
        constants=(
            ("WIDTH_V", "m", "one ReLU unit per key (the paired-ramp form would need 2(m−1))"),
            ("LIP_V", "max_i ‖s_i‖_∞", "slope of the interpolant on each segment; ≤ max‖Δv‖_∞/g_min"),
        ),
        evidence=(
            E("symbolic", "varcheck.check.value_map:symbolic_value_map", "V(k_j) − v_j and the segment slopes cancel exactly with symbolic keys k_{i+1} = k_i + g_i (g_i > 0), m ≤ 6"),
            E("construction", "varcheck.check.value_map:exact_value_map_keys", "random scalar maps and full-lattice grid maps evaluated through the exact weights at every key; Lipschitz constants reported"),
            E("numeric", "varcheck.check.value_map:torch_value_map", "the torch FeedForward from the exact weights at the float keys, within its rounding bound"),
        ),
    ),
    Claim(
        id="partition.bad-set-accounting",
        label="P4",
        title="Bad-set accounting and the ramp width η from the budget",
        statement=(
            "If g = f̄ outside B and ‖f − g‖_p ≤ M on B, then d_p(f, g) ≤ d_p(f, f̄) + M·μ(B)^{1/p} (Minkowski). With the "
            "quantizer's B, μ(B) ≤ nd(G−1)η, so η ≤ η* = (ε₂/M)^p/(nd(G−1)) makes the term ≤ ε₂ (1 ≤ p < ∞; for p = ∞ no "
            "η > 0 helps). For g = V∘(Q_η + δ/2) every output entry lies in the hull of f's values at cell centres, so "
            "M = m^{1/p}·L·(nd)^{1/α} bounds ‖f − g‖_p everywhere."
        ),
        paper_ref=_STEP,
        expected="holds",
        depends_on=("partition.lipschitz-grid", "partition.relu-quantizer", "partition.value-mapping"),
        hypotheses=("1 ≤ p < ∞", "G ≥ 2", "η chosen as min(η*, δ/2), η* rounded down to a rational when irrational"),
        constants=(
            ("ETA", "min((ε₂/M)^p/(nd(G−1)), δ/2)", "solves M(nd(G−1)η)^{1/p} = ε₂; the cap keeps ramps disjoint with half of each cell good"),
            ("M", "m^{1/p}·L·(nd)^{1/α}", "each output entry of f varies by ≤ L·diam_α([0,1]^{nd}); g's entries lie in the hull of f's centre values"),
        ),
        evidence=(
            E("symbolic", "varcheck.check.bad_sets:symbolic_eta", "M(nd(G−1)η*)^{1/p} simplifies to ε₂ with positive symbols and increases with η; exact budget check on instances"),
            E("construction", "varcheck.check.bad_sets:exact_bad_set_accounting", "1-D pipelines over Q: g = f̄ off B at every breakpoint, |f − g| ≤ M on B, exact d_1 and d_2² and the P4 inequality decided exactly"),
            E("numeric", "varcheck.check.bad_sets:torch_bad_set_accounting", "a word → R³ ReLU target through the torch quantizer and base-G value map: g = f̄ on good samples, ‖f − g‖_1 ≤ M on bad ones"),
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
            E("symbolic", "varcheck.check.lipschitz_blowup:symbolic_blowup", "δ/η* in closed form; sympy limits ε₂ → 0⁺ of δ/η* and ε₂·δ/η* for p = 1, 3/2, 2"),
            E("construction", "varcheck.check.lipschitz_blowup:exact_blowup_sequence", "ε = 2⁻ᵏ: exact max slope of the built Q_η equals δ/η, grows strictly, fitted exponent ≈ p; Lip of the 1-D pipeline on slabs"),
            E("numeric", "varcheck.check.lipschitz_blowup:torch_blowup_slope", "the torch quantizer's difference quotient across a ramp equals δ/η within rounding bounds, up to δ/η = 10⁶"),
        ),
    ),
)
