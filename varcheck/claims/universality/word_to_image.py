"""Word-to-image universality (docs/theory.md §6.2): T2 (a single-layer VAR transformer run in float64 approximates a
Lipschitz map to ε per entry), F4 (without positional codes it cannot) and F9 (attention is not needed), with the
mutants of the dense word-to-image network, the ``word-to-image`` constants and its row of docs/networks.md.

The instance is varcheck.runtime.instances.t2 (var256, d = 2, two channels, ε = 10⁻² per entry in d̄_2).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from ...exact.directed_rounding import format_bound
from ...exact.floating_point import gamma
from ...runtime.instances import T2_EPS, t2
from ...theory.mutants import Check, Mutant
from ...theory.pyramid import Pyramid
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import Constant, Finding, NetworkRow
from ..properties import run_property

__all__ = ["CLAIMS", "MUTANTS", "FINDINGS", "near_threshold", "word_to_image_constants", "t2_network_row"]


# --------------------------------------------------------------------------- T2


def near_threshold(x, plan):
    """The point half a ramp below the threshold nearest under each coordinate (inside the bad set)."""
    out = []
    for v in x:
        g = min(max(int(math.floor(float(v) * plan.G)), 1), plan.G - 1)
        out.append(float(plan.thresholds[g - 1] - plan.eta / 2))
    return np.array(out, dtype=np.float64)


def word_to_image_certificate(ctx: Context) -> EvidenceResult:
    """Build T2 on var256 (d = 2, ε = 10⁻² per entry) and certify d̄_2 ≤ ε from the ledger in ball arithmetic."""
    target, approx = t2(ctx.seed)
    cert = approx.certificate()
    ok = cert["certified"]
    return EvidenceResult(
        "passed" if ok else "failed",
        f"{target.name}: dense float64 network d_model = {approx.summary()['d_model']}, FF widths "
        f"{approx.summary()['ff1'] + approx.summary()['ff2']}, G = {approx.plan.G}, η = {approx.plan.eta}, L_f = "
        f"{approx.plan.lipschitz}, parameters {approx.constants['parameter_count']}; ledger "
        f"{', '.join(f'{k} {v:.3g}' for k, v in approx.ledger.items())}; certified d̄_2 ≤ "
        f"{format_bound(cert['lp_bound'], 'upper', 6)} (d_2 ≤ "
        f"{format_bound(cert['lp_bound_unnormalised'], 'upper', 4)}) vs ε = {float(T2_EPS)}",
        observed=cert["lp_bound"], bound=float(T2_EPS),
    )


def word_to_image_samples(ctx: Context) -> EvidenceResult:
    """Hypothesis over words x: off the ramps every entry error ≤ the certified interior sup bound; on a ramp
    ≤ the bad-set sup bound (M plus rounding). The dense float64 network is run; the target search pushes the
    error towards the bound."""
    import torch

    target, approx = t2(ctx.seed)
    cert = approx.certificate()
    plan = approx.plan

    def prop(example):
        a, b, near = example
        x = np.array([a, b], dtype=np.float64)
        if near:  # land inside a ramp: just below a threshold
            x = near_threshold(x, plan)
        t = torch.from_numpy(x).reshape(1, 1, 2)
        err = float((approx.network(t) - target(t)).abs().max())
        bad = bool(approx.in_bad_set(t)[0])
        bound = cert["bad_set_sup_bound"] if bad else cert["sup_interior_bound"]
        return err / bound, f"x = {x.tolist()} ({'ramp' if bad else 'interior'})"

    strategy = st.tuples(st.floats(0, 1), st.floats(0, 1), st.booleans())
    return run_property(prop, strategy, ctx, quick=12, full=120, label="T2 entry error / certified sup bound")


def lookup_equals_dense(ctx: Context) -> EvidenceResult:
    """Hypothesis over words (interior and ramp points): |dense − lookup| ≤ the sum of their certified rounding bounds
    to the exact network (``anywhere`` + ``anywhere_lookup``), entry by entry; the search targets the ratio."""
    import torch

    _, approx = t2(ctx.seed)
    plan = approx.plan
    r = plan.rounding()
    allowed = float(r["anywhere"] + r["anywhere_lookup"]) * (1 + 2**-40)

    def prop(example):
        a, b, near = example
        x = np.array([a, b], dtype=np.float64)
        if near:
            x = near_threshold(x, plan)
        t = torch.from_numpy(x).reshape(1, 1, 2)
        diff = float((approx(t, strategy="dense") - approx(t, strategy="lookup")).abs().max())
        return diff / allowed, f"x = {x.tolist()} ({'ramp' if bool(approx.in_bad_set(t)[0]) else 'interior'})"

    strategy = st.tuples(st.floats(0, 1), st.floats(0, 1), st.booleans())
    return run_property(prop, strategy, ctx, quick=10, full=100, label="|dense − lookup| / certified rounding sum")


def every_seed_certifies(ctx: Context) -> EvidenceResult:
    """The build does not depend on a lucky target: smooth_field(seed=S, var256, d = 2, 2 channels) certifies
    ε = 10⁻² in float64 for S = 4 (quick; S = 0 is the certificate evidence's) or S = 0..9 (full, each also checked
    by Monte-Carlo: every sampled entry error below its certified sup bound)."""
    from ...runtime import targets as T
    from ...runtime.approximator import build_var_approximator

    pyr = Pyramid.preset("var256")
    lines, ok, worst = [], True, 0.0
    for seed in ctx.pick((4,), range(10)):
        target = T.smooth_field(seed=seed, pyramid=pyr, d=2, channels=2)
        approx = build_var_approximator(target, pyr, T2_EPS, p=2, setting="word_to_image", attention="identity",
                                        monte_carlo=ctx.pick(0, 8))
        cert = approx.certificate()
        mc = approx.extra.get("monte_carlo")
        ok = ok and cert["certified"] and (mc is None or mc["within_sup_bounds"])
        worst = max(worst, cert["lp_bound"])
        lines.append(f"S = {seed}: G = {approx.plan.G}, η = {approx.plan.eta}, d̄_2 ≤ "
                     f"{format_bound(cert['lp_bound'], 'upper', 5)} (rounding ≤ "
                     f"{format_bound(approx.ledger['rounding'], 'upper', 2)})"
                     + (f", Monte-Carlo d̄_2 ≈ {mc['sampled_lp']:.5f} ({mc['samples']} words)" if mc else ""))
    return EvidenceResult("passed" if ok else "failed", "; ".join(lines), observed=worst, bound=float(T2_EPS))


# --------------------------------------------------------------------------- F4, F9


def attention_not_needed(ctx: Context) -> EvidenceResult:
    """F9: the construction with the contextual SA and with SA = identity produce bit-identical outputs, and
    both certify the same ledger (the SA writes only into a channel FF₂ does not read)."""
    import torch

    target, ident = t2(ctx.seed, attention="identity")
    _, ctxmap = t2(ctx.seed, attention="contextual")
    x = torch.rand(6, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(ctx.seed))
    same = torch.equal(ident.network(x), ctxmap.network(x))
    both = ident.certificate()["certified"] and ctxmap.certificate()["certified"]
    return EvidenceResult(
        "passed" if same and both else "failed",
        f"contextual SA (c = {ctxmap.constants['attention_c']}, M = {ctxmap.constants['attention_M']}) vs identity: "
        f"outputs {'bit-identical' if same else 'DIFFER'} on 6 words; both certified d̄_2 ≤ "
        f"{format_bound(ident.certificate()['lp_bound'], 'upper', 4)} ≤ ε",
    )


def no_positional_codes_lower_bound(ctx: Context) -> EvidenceResult:
    """F4: without E every output token is the same function of x, so for each channel the per-entry error is at
    least the spread of the target across positions: d̄_2(f, g)² ≥ ∫ (1/L) Σ_t (f_t(x) − mean_t f(x))² dx. A
    certified lower bound: on each cell of a grid, the positional standard deviation moves by at most L_f·δ/2
    from its value at the centre (it is 1-Lipschitz in the sup norm of f)."""
    import torch

    from ...runtime import targets as T

    pyr = Pyramid.preset("var256")
    target = T.smooth_field(seed=ctx.seed, pyramid=pyr, d=2, channels=2)
    G = ctx.pick(16, 64)
    g = (np.stack(np.meshgrid(np.arange(G), np.arange(G), indexing="ij"), -1).reshape(-1, 2) + 0.5) / G
    with torch.no_grad():
        y = target(torch.from_numpy(g).reshape(-1, 1, 2))
        err = float(target.rounding_bound(torch.from_numpy(g).reshape(-1, 1, 2)).max())
    std = y.std(dim=1, unbiased=False)  # (cells, channels): RMS deviation from the positional mean
    # cell slack L_f·δ/2; the table's rounding (twice: value and mean); torch's mean/std over L values: γ_{2L+8}·max|y|
    slack = float(target.lipschitz) / (2 * G) + 2 * err + 2 * gamma(2 * pyr.length + 8) * float(y.abs().max())
    lower_sq = torch.clamp(std - slack, min=0) ** 2  # per cell and channel
    lower = math.sqrt(float(lower_sq.mean()))  # cells have equal volume 1/G²; channels equal weight
    ok = lower > float(T2_EPS)
    return EvidenceResult(
        "refuted" if ok else "failed",
        f"any position-independent approximator has d̄_2 ≥ {format_bound(lower, 'lower', 4)} > ε = {float(T2_EPS)} on "
        f"{target.name} (certified on a {G}×{G} grid of cells)",
        observed=lower, bound=float(T2_EPS),
        counterexample={"target": target.name, "lower_bound_d2_per_entry": format_bound(lower,
            "lower", 6), "eps": str(T2_EPS)},
    )


# --------------------------------------------------------------------------- constants, docs/networks.md


def word_to_image_constants() -> list:
    """The ``word-to-image`` instance: T2's grid, ramp, widths, parameter count and error ledger (upper bounds)."""
    target, approx = t2(0)
    k, cert = approx.constants, approx.certificate()
    claim = "ua.word-to-image"
    out = [
        Constant("eps", T2_EPS, True, f"ε, per-entry d̄₂ target for {target.name}", claim, "exact"),
        Constant("lipschitz", Fraction(k["lipschitz"]), True, "L_f, the target's certified Lipschitz "
                                                              "constant", claim, "upper"),
        Constant("grid", k["G"], True, "G, the grid of the word quantizer", claim),
        Constant("delta", Fraction(k["delta"]), True, "δ = 1/G", claim, "exact"),
        Constant("ramp", Fraction(k["eta"]), True, "η, the quantizer's ramp width", claim, "exact"),
        # floats the construction computed as upper bounds: exported as those floats, rounded up
        Constant("sup_bound", float(k["M"]), False, "M, the sup bound of the error on the bad set (float upper "
                                                    "bound)", claim,
                 "upper"),
    ]
    out += [Constant(f"width_{name}", value, True, "hidden units of "
                                                   f"{name}", claim) for name, value in k["widths"].items()]
    out.append(Constant("parameters", k["parameter_count"], True, "parameters of the whole approximator", claim))
    out += [Constant(f"ledger_{name}", float(value), False, f"ledger term {name} of d̄₂ (upper bound)", claim, "upper")
            for name, value in approx.ledger.items()]
    # float(ball.upper()) may land one ulp below the ball's upper end: the next float up is above it
    out.append(Constant("certified_bound", math.nextafter(float(cert["lp_bound"]), math.inf), False,
                        "certified bound on d̄₂ (upper bound; ≤ ε)", claim, "upper"))
    return out


def t2_network_row() -> NetworkRow:
    """T2's row of docs/networks.md, beside docs/theory.md §6.2's (cell, position) lookup at the same G."""
    _, approx = t2(0)
    p = approx.plan
    units = p.G**p.d * p.L
    nonzero = 2 * (p.G - 1) * p.d * 3 + 9 * (p.G * p.d + p.L) + units * (p.d + 3 + p.channels)
    return NetworkRow("T2 (var256, d = 2, 2 channels)", "word-to-image", approx, T2_EPS,
                      f"FF₁ 2(G−1)d = {2 * (p.G - 1) * p.d}, hats 3(Gd+L) = {3 * (p.G * p.d + p.L)}, (cell, position) "
                      f"lookup L·G^d = {units} units; ≈ {nonzero} non-zero weights (G = {p.G})")


# --------------------------------------------------------------------------- mutants


def _word_table_position_independent(p) -> None:
    from ...runtime import word_to_image as w2i

    original = w2i.build_word_to_image

    def build(target, pyramid, eps, p_, attention, positional, *rest):
        return original(target, pyramid, eps, p_, attention, False, *rest)  # the positional codes E silently dropped

    p.setattr(w2i, "build_word_to_image", build)


def _select_gate_too_small(p) -> None:
    """Position select with gate B = S instead of 4S: the slots of other positions leak into the output."""
    from ...runtime import cell_value_map as cvm

    original = cvm.emit_select_layer

    def emit(block, layout, vm):
        original(block, layout, vm)
        with_gate = (block.fc1.weight == float(vm.gate))
        block.fc1.weight[with_gate] = float(vm.shift)
        block.fc1.bias.fill_(float(vm.shift - 2 * vm.shift))

    p.setattr(cvm, "emit_select_layer", emit)


# --------------------------------------------------------------------------- claims


CLAIMS = (
    Claim(
        id="ua.word-to-image",
        label="T2",
        title="Word-to-image: a single-layer VAR transformer, run in float64, approximates a Lipschitz map to ε per "
              "entry",
        statement=(
            "For the word-to-image setting (n = 1, x ∈ [0,1]^d) on var256, the dense VarTransformer T = "
            "head∘FF₂∘SA∘FF₁∘embed∘(F.interpolate ⊕ E) — FF₁ the ramps of the dyadic thresholds t_g ≈ g/G with η = "
            "2^{−k}, FF₂ the cell value map (cell units, table slots, position select), G = "
            "⌈L_f·(d/(d+p))^{1/p}/(2·ε·3/4)⌉ — run in torch float64 satisfies d̄_2(f, T) ≤ ε = 10⁻² for the "
            "smooth-field target with d = 2, certified term by term (partition, bad sets, table and the dense "
            "forward's rounding, every accumulation order covered), for every seed of the target; its 2^d-cell fast "
            "path computes the same function up to the accounted rounding."
        ),
        paper_ref="arXiv:2502.06167 (ICML version), word-to-image universality; docs/theory.md §6.2",
        expected="holds",
        hypotheses=(
            "torch's bicubic/area kernels evaluate Keys' coefficients and window means as "
            "varcheck.exact.floating_point's constant_map_interpolation_error states (an assumption about the kernel, "
            "checked numerically); the word's copies then differ from it by ≤ 1.4e-13 relative",
        ),
        depends_on=("partition.lipschitz-grid", "partition.relu-quantizer", "partition.bad-set-accounting",
                    "interp.partition-of-unity"),
        constants=(("BUDGET_SHARES", "3/4, 1/5, 1/20", "ε split between partition, bad sets, and table + rounding"),
                   ("MAX_TABLE_ENTRIES", "2^28", "largest lookup table (G^d·L·channels float64 values) built"),
                   ("THRESHOLD_BITS", "48", "binary digits of t_g: 2^k t_g and 2^k t_g − 1 exact in float64 for k < "
                                            "49"),
                   ("PARTITION_LP_FACTOR", "(d/(d+p))^(1/p)", "E[max_i U_i^p] = d/(d+p) for U uniform in [0,1]^d: "
                    "the L_p mean of ‖x − c‖_∞ over a cell, in half-widths (1/√2 for d = p = 2)"),
                   ("CELL_MARGIN", "1", "off the ramps a cell unit's pre-activation is an odd integer: 1 for the "
                    "token's cell, ≤ −1 otherwise; the rounding e_a < 1/2 keeps every other unit exactly 0")),
        evidence=(
            E("certified", word_to_image_certificate, "ball-arithmetic sum of the dense network's ledger terms ≤ ε"),
            E("numeric", word_to_image_samples, "Hypothesis over words (interior and ramp points): the dense float64 "
                                                "network's entry errors below the certified sup bounds"),
            E("numeric", lookup_equals_dense, "Hypothesis over words: the 2^d-cell fast path within the certified "
                                              "rounding of the dense forward"),
            E("certified", every_seed_certifies, "the build certifies ε for seeds 0–2 (quick) or 0–9 (full) of the "
                                                 "target"),
        ),
    ),
    Claim(
        id="ua.no-positional-codes",
        label="F4",
        title="Without positional codes the word-to-image model cannot be accurate",
        statement=(
            "Any constant-preserving interpolation makes every pyramid token a copy of x; without the codes E a "
            "token-wise network then gives every token the same output, so it approximates the smooth-field "
            "target on var256 to ε = 10⁻² per entry."
        ),
        paper_ref="arXiv:2502.06167 word-to-image construction, read without positional codes; docs/theory.md §6.2 "
                  "(F4)",
        expected="refuted",
        finding="F4",
        corrected=(
            "With n = 1 the codes E (VAR's learned position and level embeddings) are necessary: every "
            "position-independent approximator has d̄_2 at least the positional spread of the target (certified "
            "lower bound in the evidence); with E the construction of ua.word-to-image reaches ε."
        ),
        depends_on=("interp.partition-of-unity",),
        evidence=(
            E("certified", no_positional_codes_lower_bound, "certified lower bound on d̄_2 over all "
                                                            "position-independent approximators"),
        ),
    ),
    Claim(
        id="ua.attention-not-needed",
        label="F9",
        title="Attention is not needed for word-to-image universality",
        statement=(
            "In the word-to-image construction the tokens already carry (x, position), so FF₂∘FF₁ alone is universal: "
            "the contextual SA and SA = identity give bit-identical outputs and the same certified ledger."
        ),
        paper_ref="varcheck formalisation (docs/theory.md §6.2, finding F9)",
        expected="holds",
        finding="F9",
        depends_on=("ua.word-to-image", "attn.contextual-mapping-tight"),
        evidence=(
            E("construction", attention_not_needed, "both variants built on var256; outputs compared bit for bit"),
        ),
    ),
)


MUTANTS = (
    Mutant("ua.word-table-position-independent", ("ua.word-to-image",),
           "word-to-image built with a position-independent value table (positional codes E dropped)",
           _word_table_position_independent,
           (Check(word_to_image_samples, caught_if=("failed",)),)),
    Mutant("ua.dense-select-gate-too-small", ("ua.word-to-image",), "position select gate B = S: other slots leak",
           _select_gate_too_small, (Check(word_to_image_samples), Check(lookup_equals_dense))),
)


FINDINGS = (
    Finding(
        "F4", "Without positional codes the word-to-image model degenerates",
        paper="A single-layer VAR transformer approximates any Lipschitz word-to-image map (ICML version).",
        theory="F4: with n = 1, every constant-preserving interpolation makes every pyramid token a copy of x, "
               "so without E every output token is the same.",
        corrected="With positional codes E the statement holds (T2).",
        planned="ua.no-positional-codes",
    ),
    Finding(
        "F9", "Attention is not needed for word-to-image universality",
        paper="The self-attention layer (with contextual mapping) is part of the universal word-to-image model.",
        theory="F9: with positional codes every token already holds (x, position), so FF₂ ∘ FF₁ alone is "
               "universal and SA can be the identity (W_O = 0).",
        corrected="Word-to-image universality needs only token-wise feed-forward layers and positional codes.",
        planned="ua.attention-not-needed",
    ),
)
