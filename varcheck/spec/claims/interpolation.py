"""Claims of THEORY.md §2.4: the interpolation layer (I1–I9) and torch parity (§2.1)."""

from ..registry import Claim, EvidenceSpec as E

_C = "varcheck.check.interpolation:"
_VAR = "varcheck formalisation"
_PAPER_22 = "arXiv:2502.06167 (interpolation layer definition), as restated in THEORY.md §2.2"

CLAIMS = (
    Claim(
        id="interp.matrix-form",
        label="I1",
        title="Interpolation operators are linear and equal their exact matrices",
        statement=(
            "Every operator (nearest, bilinear, bicubic, area, paper; both align_corners where they apply) is "
            "linear, equals its exact rational matrix on a map of free symbols, and the 2-D operator on "
            "row-major flattened maps is the Kronecker product U_h ⊗ U_w."
        ),
        paper_ref=_VAR,
        expected="holds",
        hypotheses=("sizes h, w, h', w' ≥ 1", "a rational (Keys parameter)"),
        evidence=(
            E("symbolic", _C + "symbolic_matrix_form", "pixel-wise formula on free symbols vs (U_h ⊗ U_w)·vec(X), and linearity, as exact polynomial identities"),
            E("numeric", _C + "separable_module_matches_kron", "Hypothesis: the torch module U_h X U_wᵀ equals the Kronecker matrix within the float64 rounding bound"),
        ),
    ),
    Claim(
        id="interp.torch-parity",
        label="I1-torch",
        title="Exact operators reproduce torch.nn.functional.interpolate",
        statement=(
            "For every size pair up to 64 in both directions and every torch mode (nearest, bilinear and bicubic "
            "with align_corners False/True, area), the exact operator agrees with F.interpolate in float64 to "
            "≤ 1e−13 absolute on inputs in [0, 1]; nearest and area agree bit for bit."
        ),
        paper_ref="THEORY.md §2.1 (torch semantics contract)",
        expected="holds",
        depends_on=("interp.matrix-form",),
        hypotheses=("float64 inputs in [0, 1]", "torch's bicubic a = −3/4"),
        constants=(("TORCH_PARITY_TOL", "1e-13", "THEORY.md §2.1 contract; the float64 reference's own rounding bound is subtracted"),),
        evidence=(
            E("numeric", _C + "parity_exhaustive_1d", "every 1-D size pair of the profile (quick ≤ 16 plus presets, full ≤ 64): torch on unit vectors vs the exact matrix"),
            E("numeric", _C + "parity_property_2d", "Hypothesis over random 2-D size pairs up to 64, modes and maps"),
        ),
    ),
    Claim(
        id="interp.partition-of-unity",
        label="I2",
        title="Every interpolation row sums to 1 (constants are preserved)",
        statement="Every row of every operator sums to exactly 1, so constant maps are preserved.",
        paper_ref=_VAR,
        expected="holds",
        depends_on=("interp.matrix-form",),
        evidence=(
            E("symbolic", _C + "symbolic_partition_of_unity", "Keys tap weights sum to 1 as a polynomial identity in Q[a, t]; linear, paper and area rows likewise"),
            E("construction", _C + "exact_row_sums", "exact row sums over Q for every size pair of the profile, every mode, a ∈ {−3/4, −1/2}"),
            E("numeric", _C + "torch_preserves_constants", "Hypothesis: torch maps constant maps to themselves within 1e−13"),
        ),
    ),
    Claim(
        id="interp.inf-norm",
        label="I3",
        title="∞-norm of the interpolation operators",
        statement=(
            "‖U‖∞ = 1 for nearest, bilinear and area; for 1-D bicubic ‖U‖∞ ≤ max_{t∈[0,1)} Σ|W(t+k)| = 11/8 "
            "(a = −3/4) or 5/4 (a = −1/2), attained at t = 1/2; 2-D ≤ (11/8)² = 121/64."
        ),
        paper_ref=_VAR,
        expected="holds",
        depends_on=("interp.partition-of-unity",),
        constants=(
            ("BICUBIC_INF_NORM_A_3_4", "11/8", "max over t ∈ [0,1] of −W(t+1)+W(t)+W(1−t)−W(2−t), a = −3/4, at t = 1/2"),
            ("BICUBIC_INF_NORM_A_1_2", "5/4", "same maximisation for a = −1/2"),
            ("BICUBIC_INF_NORM_2D", "121/64", "‖A ⊗ B‖∞ = ‖A‖∞‖B‖∞"),
        ),
        evidence=(
            E("symbolic", _C + "symbolic_inf_norm", "signs of the four tap polynomials proved on (0,1), then exact maximisation of their absolute sum"),
            E("construction", _C + "exact_inf_norms", "exact max row ℓ1 sums for every size pair of the profile, with the values at each preset pair"),
            E("numeric", _C + "torch_inf_norm", "Hypothesis: torch bicubic of ±1 maps never exceeds 121/64 (targeted search for the maximum)"),
        ),
    ),
    Claim(
        id="interp.kernel-range",
        label="I4",
        title="Paper: the bicubic kernel takes values in [0, 1]",
        statement="The bicubic spline kernel W of the interpolation layer satisfies W(x) ∈ [0, 1] for all x.",
        paper_ref=_PAPER_22,
        expected="refuted",
        finding="F1",
        corrected=(
            "For a < 0, W_a(x) ∈ [4a/27, 1]: the minimum 4a/27 is attained at |x| = 4/3 (−1/9 for torch's "
            "a = −3/4, −2/27 for a = −1/2). Interpolated values are affine, not convex, combinations; "
            "bounds must use ‖U‖∞ (I3) instead of convexity."
        ),
        constants=(("KERNEL_MIN_A_3_4", "-1/9", "W_{−3/4}(4/3)"), ("KERNEL_MIN_A_1_2", "-2/27", "W_{−1/2}(4/3)")),
        repro="varcheck.report.repro:kernel_range_snippet",
        evidence=(
            E("symbolic", _C + "symbolic_kernel_range", "exact global range of the piecewise polynomial W_a from the real roots of its derivative"),
            E("numeric", _C + "torch_negative_weights", "torch's own bicubic weights for VAR's p → 16 up-sampling include negative entries"),
            E("certified", _C + "certified_kernel_negative", "arb ball enclosure of W_a(4/3) lies strictly below 0"),
        ),
    ),
    Claim(
        id="interp.integer-offset-is-nearest",
        label="I5",
        title="The paper's integer-offset interpolation is nearest-neighbour copying",
        statement=(
            "For any kernel with W(0) = 1 and W(m) = 0 at non-zero integers (Keys included), "
            "Y_ij = Σ_{s,t=−1}^{2} W(s) X_{⌊ih/h'⌋+s, ⌊jw/w'⌋+t} W(t) equals X_{⌊ih/h'⌋, ⌊jw/w'⌋}; under §2.2, "
            "Φ_up duplicates tokens (F3)."
        ),
        paper_ref=_PAPER_22,
        expected="holds",
        finding="F2",
        depends_on=("interp.matrix-form",),
        evidence=(
            E("symbolic", _C + "symbolic_integer_offset", "the offset sum under the interpolating-kernel conditions, and Keys' integer values identically in a"),
            E("construction", _C + "exact_paper_is_floor_nearest", "the exact §2.2 matrix equals the floor-index copy matrix for every size pair of the profile"),
        ),
    ),
    Claim(
        id="interp.upsampling-injective",
        label="I6",
        title="Up-sampling is injective; area down-sampling is not",
        statement=(
            "For h' ≥ h the nearest, bilinear and bicubic up-sampling matrices have full column rank, with a "
            "certified σ_min(U) > 0; area down-sampling (h' < h) is not injective."
        ),
        paper_ref=_VAR,
        expected="holds",
        depends_on=("interp.matrix-form",),
        evidence=(
            E("construction", _C + "exact_upsampling_rank", "exact rank over Q for every up pair of the profile; exact kernel vectors (two inputs, equal outputs) for area down pairs"),
            E("certified", _C + "certified_sigma_min", "σ_min lower bound √τ: UᵀU − τI positive definite by exact LDLᵀ over Q"),
        ),
    ),
    Claim(
        id="interp.separation-transfer",
        label="I7",
        title="Up-sampling transfers token separation with factor σ_min",
        statement=(
            "‖Ux − Uy‖ ≥ σ_min(U)·‖x − y‖; on a finite input grid the exact minimum distance between distinct "
            "outputs is at least the bound."
        ),
        paper_ref=_VAR,
        expected="holds",
        depends_on=("interp.upsampling-injective",),
        evidence=(
            E("certified", _C + "exact_grid_separation", "exact minimum of ‖U(x−y)‖² over all distinct grid pairs vs certified τ·δ²"),
            E("numeric", _C + "separation_property", "Hypothesis: random pairs satisfy the bound, float rounding accounted"),
        ),
    ),
    Claim(
        id="interp.var-effective-map",
        label="I8",
        title="VAR's effective next-scale map differs from direct bicubic",
        statement=(
            "For var256, E_k = A_{p_{k+1}←16}·B_{16←p_k} equals the direct bicubic D_k only for 1→2 and 13→16; "
            "max |E_k − D_k| is largest at 10→13 (≈ 0.38); A_p B_p ≠ I for every 2 ≤ p < 16."
        ),
        paper_ref="VAR (arXiv:2404.02905) released code; THEORY.md §2.3",
        expected="holds",
        finding="F8",
        depends_on=("interp.torch-parity",),
        evidence=(
            E("construction", _C + "exact_var_effective_map", "exact E_k, D_k and A_p B_p over Q for var256 (and FlowAR's s → 2s)"),
            E("numeric", _C + "torch_var_effective_map", "torch's bicubic→16 then area chain equals E ⊗ E on random maps"),
        ),
    ),
    Claim(
        id="interp.upsampling-repeats-tokens",
        label="F3",
        title="Up-interpolation repeats tokens, breaking A4's no-repeat hypothesis unless positions are appended",
        statement=(
            "Under nearest or the paper's integer-offset form (§2.2), Φ_up maps several tokens of a scale to "
            "identical rows, so those tokens coincide for every input: a sequence of up-sampled tokens repeats "
            "tokens, which A4 forbids; appending positional codes restores distinct tokens."
        ),
        paper_ref=_PAPER_22 + "; Kajitsuka & Sato Thm 2's hypothesis",
        expected="holds",
        finding="F3",
        depends_on=("interp.integer-offset-is-nearest",),
        evidence=(
            E("construction", _C + "exact_repeated_tokens", "exact duplicate rows of the pyramid matrix on var256, and the constructor's refusal"),
        ),
    ),
    Claim(
        id="interp.torch-nearest-floor",
        label="I9",
        title="torch's nearest equals ⌊i·h/h'⌋",
        statement="torch.nn.functional.interpolate(mode='nearest') copies input ⌊i·h/h'⌋ to output i.",
        paper_ref=_VAR,
        expected="refuted",
        corrected=(
            "torch copies input min(⌊fl32(fl32(i)·fl32(h/h'))⌋, h−1) (identity for h' = h, i>>1 for h' = 2h); "
            "this differs from ⌊i·h/h'⌋ at 15 size pairs up to 64. varcheck's nearest reproduces torch's 2-D "
            "(4-D tensor) call bit for bit, the one image models use; torch's 1-D and 3-D float64 kernels compute the "
            "index in float64 and can differ from its own 2-D result (26→22, output 11: 13 in 1-D, 12 in 2-D)."
        ),
        depends_on=("interp.torch-parity",),
        repro="varcheck.report.repro:torch_nearest_floor_snippet",
        evidence=(
            E("construction", _C + "exact_nearest_mismatches", "enumerate the emulated float32 index against the exact floor for every pair up to 64"),
            E("numeric", _C + "torch_nearest_counterexample", "torch itself on x = (0, …, h−1): the copied index differs from the floor"),
        ),
    ),
)
