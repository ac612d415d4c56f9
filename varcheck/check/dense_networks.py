"""Evidence for the dense networks of the model class: the word-to-image fast path against the dense forward,
the float64 image-to-image network with uniform attention (T1-f64, finding F11), the precision frontier per
float format, every var256 seed certifying, and FlowAR's T3 as a network (T3-net)."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np
from hypothesis import strategies as st

from ..exact.directed_rounding import format_bound
from ..exact.floating_point import FORMATS
from ..spec.pyramid import Pyramid
from ..spec.registry import Context, EvidenceResult
from .properties import run_property
from .universality import T1_EPS, T2_EPS, _t1_target, _t2, near_threshold

#: The T1-f64 instance: the T1 target (2×2 → 4×4), ε = 1/3 per entry in d̄_2, G = 4 as for the ball-runtime T1.
T1F_G = 4


@lru_cache(maxsize=2)
def _t1_dense(masked: bool):
    from ..runtime.approximator import build_var_approximator

    return build_var_approximator(_t1_target(), Pyramid([2, 4]), T1_EPS, p=2, setting="image_to_image",
                                  mask="block_causal" if masked else None, construction="average", G=T1F_G, monte_carlo=0)


# --------------------------------------------------------------------------- T2: the fast path equals the dense forward


def lookup_equals_dense(ctx: Context) -> EvidenceResult:
    """Hypothesis over words (interior and ramp points): |dense − lookup| ≤ the sum of their certified rounding bounds
    to the exact network (``anywhere`` + ``anywhere_lookup``), entry by entry; the search targets the ratio."""
    import torch

    _, approx = _t2(ctx)
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
    from ..runtime import targets as T
    from ..runtime.approximator import build_var_approximator

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
        lines.append(f"S = {seed}: G = {approx.plan.G}, η = {approx.plan.eta}, d̄_2 ≤ {format_bound(cert['lp_bound'], 'upper', 5)} "
                     f"(rounding ≤ {format_bound(approx.ledger['rounding'], 'upper', 2)})"
                     + (f", Monte-Carlo d̄_2 ≈ {mc['sampled_lp']:.5f} ({mc['samples']} words)" if mc else ""))
    return EvidenceResult("passed" if ok else "failed", "; ".join(lines), observed=worst, bound=float(T2_EPS))


# --------------------------------------------------------------------------- T1-f64: uniform attention in float64


def image_to_image_float64_certificate(ctx: Context) -> EvidenceResult:
    """Build T1 (2×2 → 4×4, G = 4) as a dense float64 network with uniform attention, masked and unmasked; certify
    d̄_2 ≤ 1/3 from the ledger (rounding included) and check 256 Monte-Carlo inputs against their sup bounds."""
    target = _t1_target()
    lines, ok, worst = [], True, 0.0
    for masked in (True, False):
        approx = _t1_dense(masked)
        cert = approx.certificate()
        mc = approx.monte_carlo(target, ctx.pick(256, 4096), seed=ctx.seed)
        ok = ok and cert["certified"] and mc["within_sup_bounds"]
        worst = max(worst, cert["lp_bound"])
        s = approx.summary()
        lines.append(f"{'masked' if masked else 'unmasked'}: d_model {s['d_model']}, FF widths {s['ff1'] + s['ff2']}, "
                     f"{s['parameters']} parameters; certified d̄_2 ≤ {format_bound(cert['lp_bound'], 'upper', 4)} (rounding "
                     f"≤ {format_bound(approx.ledger['rounding'], 'upper', 2)}); Monte-Carlo d̄_2 ≈ {mc['sampled_lp']:.4f} over {mc['samples']} inputs, "
                     f"worst entry/sup-bound ratio {mc['worst_ratio']:.3f}")
    return EvidenceResult("passed" if ok else "failed", f"{target.name}, ε = {T1_EPS}: " + "; ".join(lines),
                          observed=worst, bound=float(T1_EPS))


def image_to_image_float64_samples(ctx: Context) -> EvidenceResult:
    """Hypothesis over inputs r_1 ∈ [0,1]^4 (interior and ramp points) run through the dense float64 network:
    every entry error below the certified sup bound of its region."""
    import torch

    target = _t1_target()
    variants = [_t1_dense(True), _t1_dense(False)]

    def prop(example):
        values, near, which = example
        approx = variants[which % 2]
        x = np.array(values, dtype=np.float64)
        if near:
            x = near_threshold(x, approx.plan)
        t = torch.from_numpy(x).reshape(1, 4, 1)
        err = float((approx.network(t) - target(t.reshape(1, 2, 2, 1)).reshape(1, 16, 1)).abs().max())
        cert = approx.certificate()
        bad = bool(approx.in_bad_set(t)[0])
        bound = cert["bad_set_sup_bound"] if bad else cert["sup_interior_bound"]
        return err / bound, f"r_1 = {x.tolist()} ({'ramp' if bad else 'interior'}, masked = {which % 2 == 0})"

    strategy = st.tuples(st.lists(st.floats(0, 1), min_size=4, max_size=4), st.booleans(), st.integers(0, 1))
    return run_property(prop, strategy, ctx, quick=12, full=150, label="T1-f64 entry error / certified sup bound")


def uniform_attention_codes(ctx: Context) -> EvidenceResult:
    """The attention layer is uniform (W_Q = W_K = 0 exactly) and, run in float64 at every one of the G^n cell
    centres, gives each output token V·ρ within the derived bound code·r of the integer code Σ_j g_j G^j (V = the
    tokens it sees): the contextual mapping separates the G^n contexts by 1/V."""
    import torch

    from .universality import _t1

    approx = _t1_dense(True)
    plan, net = approx.plan, approx.network
    r = plan.rounding()["readout_relative"]
    ok = bool((net.attention.w_q.weight == 0).all() and (net.attention.w_k.weight == 0).all())
    digits = torch.stack([(torch.arange(plan.codes) // plan.G**j) % plan.G for j in range(plan.n)], dim=1)
    x = ((2 * digits + 1).to(torch.float64) / (2 * plan.G)).reshape(plan.codes, plan.n, 1)
    with torch.no_grad():
        rho = net.stream(x, until="attention")[:, -plan.L:, plan.layout()["rho"]]  # the last scale's read-outs
    codes = (digits * torch.tensor([plan.G**j for j in range(plan.n)])).sum(1).to(torch.float64).unsqueeze(1)
    err = (rho * plan.tokens - codes).abs()
    allowed = codes * float(r) * (1 + 2**-40) + float(FORMATS["float64"].u) * plan.tokens * codes
    ok = ok and bool((err <= allowed).all())
    return EvidenceResult(
        "passed" if ok else "failed",
        f"W_Q = W_K = 0; at all {plan.codes} cell centres the output tokens' V·ρ equal the integer codes up to "
        f"{float(err.max()):.3g} (allowed code·r with r = {format_bound(r, 'upper', 3)}); distinct contexts are ≥ 1/V = 1/{plan.tokens} "
        f"apart in ρ, where the tight contextual mapping at the same G needs its read-outs at {_t1(True).precision} bits",
        observed=float(err.max()), bound=float(allowed.min()),
    )


# --------------------------------------------------------------------------- the precision frontier


#: The formats that certify each network's ε, as the claim states them (the evidence computes the sets).
FRONTIER_STATED = {"T2 var256": {"float64"}, "T1-f64": {"float64", "float32"}}


def precision_frontier(ctx: Context) -> EvidenceResult:
    """For T2 (var256) and T1-f64: which of float64/float32/bfloat16/float16 certifies ε (construction re-planned for
    the format); what binds elsewhere and the smallest ε each format certifies; the measured error of the network
    re-planned for each format and of the built float64 network cast to it. Holds when the certifying formats are
    the stated ones and every certified network's measured error is below its bound."""
    target, t2 = _t2(ctx)
    samples = ctx.pick(2, 64)
    lines, ok = [], True
    for name, approx, tgt in (("T2 var256", t2, target), ("T1-f64", _t1_dense(True), _t1_target())):
        rows = approx.frontier(tgt, samples, seed=ctx.seed)
        certified = {row["format"] for row in rows if row["certified"]}
        ok = ok and certified == FRONTIER_STATED[name]
        ok = ok and all(row["measured_lp_replanned"] is not None and row["measured_lp_replanned"] <= row["lp_bound"]
                        for row in rows if row["certified"])
        parts = []
        for row in rows:
            if row["certified"]:
                parts.append(f"{row['format']}: certified ≤ {format_bound(row['lp_bound'], 'upper', 4)} (G = {row['G']}, η = {row['eta']}), "
                             f"measured ≈ {row['measured_lp_replanned']:.3g}")
            else:
                eps_min = row.get("smallest_eps")
                parts.append(f"{row['format']}: not certified ({row['binding']}); smallest certified ε "
                             f"{'%.3g' % eps_min if eps_min else '> 1'}")
            cast = row["measured_lp_of_cast"]
            parts[-1] += f"; float64 network cast: {'%.3g' % cast if cast is not None else row.get('cast_note')}"
        lines.append(f"{name} at ε = {approx.plan.eps}: " + "; ".join(parts))
    return EvidenceResult("passed" if ok else "failed", " || ".join(lines))


# --------------------------------------------------------------------------- FlowAR's T3 as a network

#: The T3-net instance: a word-to-image field on the flowar pyramid (d = 1, 2 channels), Ŷ certified to ε = 1/50.
T3_EPS = Fraction(1, 50)


@lru_cache(maxsize=1)
def _t3_y_hat():
    from ..runtime import targets as T
    from ..runtime.approximator import build_var_approximator

    target = T.smooth_field(seed=0, pyramid=Pyramid.preset("flowar"), d=1, channels=2)
    return target, build_var_approximator(target, Pyramid.preset("flowar"), T3_EPS, setting="word_to_image",
                                          attention="identity", monte_carlo=0)


@lru_cache(maxsize=2)
def _t3(grid: str):
    from ..runtime.flowar_network import build_flowar_approximator

    target, y_hat = _t3_y_hat()
    return target, build_flowar_approximator(target, T3_EPS, grid=grid, y_hat=y_hat)


def flowar_network_recovery(ctx: Context) -> EvidenceResult:
    """Hypothesis over words and noise draws on FlowAR's 25- and 50-step grids: Euler with the network head lands
    within the derived last-step bound of Ŷ (every entry), and Ŷ's certificate gives d̄_2(f, Ŷ) ≤ ε."""
    import torch

    def prop(example):
        w, noise_seed, grid, scale = example
        target, flow = _t3(grid)
        words = torch.tensor([[[w]]], dtype=torch.float64)
        noise = scale * torch.randn(1, 341, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(noise_seed))
        states, y = flow.sample(words, noise, trajectory=True)
        dev = (states[-1] - y).abs()
        bound = flow.last_step_bound(states[-2], y)
        ratio = float(torch.where(bound > 0, dev / bound.clamp(min=1e-300), (dev > 0) * math.inf).max())
        return ratio, f"grid {grid}, word {w}, noise seed {noise_seed}, scale {scale}"

    strategy = st.tuples(st.floats(0, 1), st.integers(0, 2**16), st.sampled_from(["25", "50"]), st.sampled_from([1.0, 1e3]))
    result = run_property(prop, strategy, ctx, quick=8, full=80, label="|x_K − Ŷ| / last-step bound")
    certs = {g: _t3(g)[1].certificate() for g in ("25", "50")}
    if result.verdict == "passed" and not all(c["certified"] for c in certs.values()):
        return EvidenceResult("failed", result.detail + "; Ŷ is not certified")
    result.detail += (f"; Ŷ certified d̄_2 ≤ {format_bound(certs['25']['lp_bound'], 'upper', 4)} ≤ ε = {T3_EPS}; the time "
                      f"MLP errs by ≤ {format_bound(certs['25']['head_relative_error'], 'upper', 2)} relative at the last grid time")
    return result



# =========================================================================== mutants of the dense networks


def _cell_bias_off_by_two(p) -> None:
    """Cell units built with bias −(2d' − 1): a unit whose cell differs in one coordinate reaches 1 as well."""
    from ..runtime import cell_value_map as cvm

    original = cvm.emit_cell_layer

    def emit(block, layout, vm, table, step_block="step"):
        original(block, layout, vm, table, step_block)
        block.fc1.bias.add_(2)

    p.setattr(cvm, "emit_cell_layer", emit)
    _rebind(p, "emit_cell_layer", emit)


def _select_gate_too_small(p) -> None:
    """Position select with gate B = S instead of 4S: the slots of other positions leak into the output."""
    from ..runtime import cell_value_map as cvm

    original = cvm.emit_select_layer

    def emit(block, layout, vm):
        original(block, layout, vm)
        with_gate = (block.fc1.weight == float(vm.gate))
        block.fc1.weight[with_gate] = float(vm.shift)
        block.fc1.bias.fill_(float(vm.shift - 2 * vm.shift))

    p.setattr(cvm, "emit_select_layer", emit)
    _rebind(p, "emit_select_layer", emit)


def _rebind(p, name, fn) -> None:
    """The builders import the emitters by name: patch their references too."""
    from ..runtime import context_code, word_to_image

    for module in (word_to_image, context_code):
        if hasattr(module, name):
            p.setattr(module, name, fn)


def _attention_not_uniform(p) -> None:
    """T1-f64 with W_Q = W_K = the code channel: the attention is no longer uniform, the read-out no longer the code."""
    from ..runtime import image_to_image

    original = image_to_image.context_code_network

    def build(plan, table):
        net = original(plan, table)
        z = plan.layout()["z"]
        net.attention.w_q.weight[0, z] = 1e-3
        net.attention.w_k.weight[0, z] = 1.0
        return net

    p.setattr(image_to_image, "context_code_network", build)


def _code_weight_collides(p) -> None:
    """Code units of input pixel 1 weighted G^1 − 1 instead of G^1: two cells share a code."""
    from ..runtime import image_to_image

    original = image_to_image.context_code_network

    def build(plan, table):
        net = original(plan, table)
        row = net.ff1[2].fc2.weight[plan.layout()["z"]]
        row[row == float(plan.G)] = float(plan.G - 1)
        return net

    p.setattr(image_to_image, "context_code_network", build)


def _float32_booked_as_bfloat16(p) -> None:
    """The per-format ledgers use bfloat16's unit roundoff for float32 (a 24-bit format booked as 8-bit)."""
    from ..exact import floating_point

    p.setattr(floating_point.FORMATS["float32"], "u", floating_point.FORMATS["bfloat16"].u)


def _time_mlp_off_at_a_knot(p) -> None:
    """The time MLP's output bias 1/t₀ rounded to 5 digits: 1 + s(t) no longer 1/t at the grid times."""
    from ..runtime import flowar_network

    original = flowar_network.TimeScale.__init__

    def init(self, plan):
        original(self, plan)
        import torch

        with torch.no_grad():
            self.fc2.bias[0] = round(float(self.fc2.bias[0]) * (1 + 1e-5), 5)

    p.setattr(flowar_network.TimeScale, "__init__", init)


def _mutants():
    from .mutants import Check, Mutant

    d = "varcheck.check.dense_networks:"
    u = "varcheck.check.universality:"
    return (
        Mutant("ua.dense-cell-bias-off-by-two", ("ua.word-to-image", "ua.image-to-image-float64"),
               "cell units with bias −(2d'−1): neighbouring cells fire too", _cell_bias_off_by_two,
               (Check(u + "word_to_image_samples"), Check(d + "image_to_image_float64_samples"))),
        Mutant("ua.dense-select-gate-too-small", ("ua.word-to-image",), "position select gate B = S: other slots leak",
               _select_gate_too_small, (Check(u + "word_to_image_samples"), Check(d + "lookup_equals_dense"))),
        Mutant("ua.dense-attention-not-uniform", ("ua.image-to-image-float64",), "T1-f64 attention reading the code in its "
               "scores (not uniform)", _attention_not_uniform, (Check(d + "uniform_attention_codes"),)),
        Mutant("ua.dense-code-weight-collides", ("ua.image-to-image-float64",), "T1-f64 code weight G − 1 for pixel 1 "
               "(two cells share a code)", _code_weight_collides,
               (Check(d + "uniform_attention_codes"), Check(d + "image_to_image_float64_samples"))),
        Mutant("ua.dense-float32-booked-as-bfloat16", ("ua.precision-frontier",), "float32's unit roundoff taken as "
               "2^-8 in the per-format ledgers", _float32_booked_as_bfloat16, (Check(d + "precision_frontier"),)),
        Mutant("flowar.dense-time-mlp-off-at-a-knot", ("flowar.dense-network",), "FlowAR's time MLP 1/t₀ perturbed by 10⁻⁵",
               _time_mlp_off_at_a_knot, (Check(d + "flowar_network_recovery"),)),
    )


MUTANTS = _mutants()
