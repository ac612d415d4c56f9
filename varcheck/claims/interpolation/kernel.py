"""The Keys cubic kernel (docs/theory.md §2.1, §2.4): I3 (the ∞-norm of the interpolation operators), I4 (the paper's
"bicubic kernel in [0, 1]", refuted: finding F1) and I5 (the paper's integer-offset form is nearest copying, F2),
with the mutants, constants and reproduction snippet of these claims.

The derivations are varcheck.theory.cubic_kernel's; the exact operators varcheck.exact.interpolation's.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ...exact.ball_attention import working_precision
from ...exact.floating_point import TORCH_PARITY_TOL, separable_apply_error_factor
from ...exact.interpolation import (
    TORCH_A,
    floor_nearest_index,
    interpolation_matrix_1d,
    interpolation_taps,
    keys_kernel,
)
from ...exact.pyramid_maps import VAR_LATENT_SIDE
from ...theory import cubic_kernel as ck
from ...theory.mutants import Check, Mutant
from ...theory.pyramid import PRESETS
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import Constant, Finding, Plot
from .. import strategies as vst
from ..properties import run_property
from ..snippets import counterexample_of, fraction_literal
from .operators import (
    EXACT_CONFIGS,
    KEYS_PARAMETERS,
    config_label,
    parity_exhaustive_1d,
    patch_taps,
    preset_pairs,
    size_pairs,
    torch_unit_responses,
)

__all__ = ["CLAIMS", "MUTANTS", "FINDINGS", "KERNEL_PLOT", "RANGE_WITNESSES", "corrected_range_detail",
           "kernel_constants", "kernel_range_snippet"]

_VAR = "varcheck formalisation"
_PAPER_22 = "arXiv:2502.06167 (interpolation layer definition), as restated in docs/theory.md §2.2"


# --------------------------------------------------------------------------- I3 infinity norm


def _inf_norm_bound(a):
    value, _, _, _ = ck.abs_tap_sum_maximum(a)
    return ck.to_fraction(value)


def symbolic_inf_norm(ctx: Context) -> EvidenceResult:
    """max_{t∈[0,1]} Σ|tap weights| is 11/8 (a = −3/4) and 5/4 (a = −1/2), at t = 1/2, derived exactly."""
    parts = []
    expected = {Fraction(-3, 4): (Fraction(11, 8), Fraction(1, 2)), Fraction(-1, 2): (Fraction(5, 4), Fraction(1, 2))}
    for a in KEYS_PARAMETERS:
        vmax, targ, signs, total = ck.abs_tap_sum_maximum(a)
        got = (ck.to_fraction(vmax), ck.to_fraction(targ))
        if got != expected[a]:
            return EvidenceResult("refuted", f"a = {a}: maximum {got[0]} at t = {got[1]}, not {expected[a]}",
                                  counterexample={"a": a, "max": got[0], "t": got[1]})
        parts.append(f"a = {a}: signs (−,+,+,−) proved on (0,1), Σ|w| = {total.as_expr()}, max {got[0]} at t = "
                     f"{got[1]}")
    return EvidenceResult(
        "proved",
        "; ".join(parts) + ". nearest, bilinear and area weights are ≥ 0 and sum to 1, so their ∞-norm is 1; "
        "‖A ⊗ B‖∞ = ‖A‖∞‖B‖∞ gives the 2-D bound (11/8)² = 121/64.",
        observed=str(_inf_norm_bound(TORCH_A)),
        bound="11/8",
    )


def exact_inf_norms(ctx: Context) -> EvidenceResult:
    """Exact ‖U‖∞ for every size pair: 1 for nearest/bilinear/area, ≤ the derived bound for bicubic;
    the value attained at each preset pair is reported."""
    worst = {}
    for (h, hp), (mode, ac) in itertools.product(size_pairs(ctx), EXACT_CONFIGS):
        for a in KEYS_PARAMETERS if mode in ("bicubic", "paper") else (TORCH_A,):
            norm = max(sum(abs(w) for _, w in row) for row in interpolation_taps(h, hp, mode, ac, a))
            bound = _inf_norm_bound(a) if mode == "bicubic" else Fraction(1)
            exact_one = mode in ("nearest", "bilinear", "area", "paper")
            if norm > bound or (exact_one and norm != 1):
                return EvidenceResult("refuted", f"{config_label((mode, ac))} a={a} {h}→{hp}: ‖U‖∞ = {norm}",
                                      counterexample={"mode": mode, "a": a, "h": h, "h_prime": hp, "norm": norm})
            key = (mode, ac, a)
            if key not in worst or norm > worst[key][0]:
                worst[key] = (norm, (h, hp))
    preset = []
    for h, hp in preset_pairs("up"):
        norm = max(sum(abs(w) for _, w in row) for row in interpolation_taps(h, hp, "bicubic", False, TORCH_A))
        preset.append(f"{h}→{hp}: {norm} (2-D {norm**2})")
    bic = worst[("bicubic", False, TORCH_A)]
    return EvidenceResult(
        "passed",
        f"max over pairs: bicubic a=−3/4 ‖U‖∞ = {bic[0]} at {bic[1][0]}→{bic[1][1]} (bound 11/8); "
        "nearest/bilinear/area/paper exactly 1. Preset bicubic pairs: " + "; ".join(preset),
        observed=str(bic[0]), bound="11/8",
    )


def torch_inf_norm(ctx: Context) -> EvidenceResult:
    """torch's bicubic on the sign pattern of its worst row attains ‖U_h‖∞‖U_w‖∞ and never exceeds 121/64."""
    from ...runtime.interpolation import torch_interpolate

    bound = float(_inf_norm_bound(TORCH_A)) ** 2

    def prop(example):
        (h, hp), (w, wp), ac = example
        uh = interpolation_matrix_1d(h, hp, "bicubic", align_corners=ac)
        uw = interpolation_matrix_1d(w, wp, "bicubic", align_corners=ac)
        i, j = int(np.argmax(np.abs(uh).sum(1))), int(np.argmax(np.abs(uw).sum(1)))
        x = np.outer(np.where(uh[i] < 0, -1.0, 1.0), np.where(uw[j] < 0, -1.0, 1.0)).reshape(1, 1, h, w)
        got = torch_interpolate(x, (hp, wp), "bicubic", align_corners=ac)
        attained = np.abs(uh).sum(1)[i] * np.abs(uw).sum(1)[j]
        where = f"({h},{w})→({hp},{wp}) ac={ac}: attains {abs(got[0, 0, i, j]):.6f}"
        if abs(abs(got[0, 0, i, j]) - attained) > TORCH_PARITY_TOL + separable_apply_error_factor(h, w) * attained:
            return 2.0, where + f", expected the row-norm product {attained!r}"
        return float(np.max(np.abs(got))) / (bound + TORCH_PARITY_TOL), where

    strategy = st.tuples(vst.size_pairs(64), vst.size_pairs(64), st.booleans())
    return run_property(prop, strategy, ctx, quick=50, full=500, label="‖bicubic‖∞ ≤ 121/64, attained on sign patterns")


# --------------------------------------------------------------------------- I4 kernel range


#: Parameters at which the derived range of W_a is compared with the exact extrema of the piecewise polynomial: both
#: branches (a < −3 and −3 ≤ a < 0), the branch point, torch's and the classic a, and docs/theory.md §2.1's witnesses.
RANGE_WITNESSES = tuple(Fraction(v) for v in ("-10", "-4", "-7/2", "-31/10", "-3", "-5/2", "-2", "-1", "-3/4", "-1/2",
                                               "-1/10"))


def corrected_range_detail(derivation) -> str:
    """The corrected statement's range as derived, with the witnesses a = −4 and −10 (exact)."""
    rows = []
    for a in (Fraction(-4), Fraction(-10)):
        _, _, top, where = derivation.at(a)
        rows.append(f"a = {a}: max {top} at |x| = {where}")
    return (f"for every a < 0 min W_a = {derivation.minimum} at |x| = {derivation.argmin}; max W_a = 1 at x = 0 for "
            f"{derivation.branch} ≤ a < 0 and {derivation.maximum_below} at |x| = {derivation.argmax_below} for a < "
            f"{derivation.branch} ({'; '.join(rows)})")


def symbolic_kernel_range(ctx: Context) -> EvidenceResult:
    """W_a(4/3) = 4a/27 < 0 for every a < 0 (the paper's [0, 1] fails), and the corrected range derived as a function
    of a < 0 (varcheck.theory.cubic_kernel.negative_a_range: minimum 4a/27 at |x| = 4/3; maximum 1 for −3 ≤ a < 0 and
    −a²(4a+9)/(27(a+2)²) at |x| = 2(a+3)/(3(a+2)) for a < −3), checked against the exact extrema at RANGE_WITNESSES."""
    general = sp.factor(ck.outer_piece(ck.a_sym, sp.Rational(4, 3)))
    derivation = ck.negative_a_range()
    failed = [name for name, ok in derivation.steps if not ok]
    if failed:
        return EvidenceResult("undecided", "the range of W_a for a < 0 was not derived: " + "; ".join(failed))
    for a in RANGE_WITNESSES:
        vmin, argmin, vmax, argmax = (ck.to_fraction(v) for v in ck.kernel_range(a))
        if (vmin, argmin, vmax, argmax) != derivation.at(a):
            return EvidenceResult("undecided", f"a = {a}: exact extrema (min {vmin} at {argmin}, max {vmax} at "
                                               f"{argmax}) differ from the derived range {derivation.at(a)}")
    found = []
    for a in KEYS_PARAMETERS:
        vmin, argmin, vmax, argmax = ck.kernel_range(a)
        found.append((a, vmin, argmin, vmax))
    a0, vmin, argmin, vmax = found[0]
    if vmin < 0:
        return EvidenceResult(
            "refuted",
            f"W_a(4/3) = {general} for all a (negative for a < 0); min W = {found[0][1]} (a = −3/4) and "
            f"{found[1][1]} (a = −1/2), both at |x| = {argmin}; max W = {vmax} at x = 0. Corrected range (derived in "
            f"{len(derivation.steps)} exact steps, equal to the exact extrema at a = "
            f"{', '.join(str(a) for a in RANGE_WITNESSES)}): " + corrected_range_detail(derivation) + ".",
            observed=str(vmin), bound="0",
            counterexample={"a": a0, "x": argmin, "W(x)": vmin, "a=-1/2: W(4/3)": found[1][1]},
        )
    return EvidenceResult("proved", f"W_a ≥ 0 for a = {a0}", observed=str(vmin), bound="0")


def torch_negative_weights(ctx: Context) -> EvidenceResult:
    """torch's bicubic weights (read off F.interpolate on unit vectors) for VAR's p → 16 up-sampling go below 0."""
    best = None
    for p in PRESETS["var256"][:-1]:
        got = torch_unit_responses(p, VAR_LATENT_SIDE, "bicubic", False)
        i, j = np.unravel_index(np.argmin(got), got.shape)
        if best is None or got[i, j] < best[0]:
            exact = dict(interpolation_taps(p, VAR_LATENT_SIDE, "bicubic", False, TORCH_A)[i]).get(j, Fraction(0))
            best = (got[i, j], p, i, j, exact)
    value, p, i, j, exact = best
    if value < 0:
        return EvidenceResult(
            "refuted",
            f"torch bicubic {p}→16 has weight {float(value)!r} (exactly {exact}) at output {i}, input {j}: "
            "interpolated outputs are not convex combinations of the inputs.",
            observed=float(value), bound=0.0,
            counterexample={"h": p, "h_prime": VAR_LATENT_SIDE, "output": i, "input": j, "weight": exact},
        )
    return EvidenceResult("passed", "all torch bicubic weights ≥ 0", observed=float(value), bound=0.0)


def certified_kernel_negative(ctx: Context) -> EvidenceResult:
    """Ball arithmetic: the arb enclosure of W_a(4/3) lies strictly below 0 for a = −3/4 and −1/2."""
    from flint import arb

    with working_precision(64):
        uppers = [(a, ck.outer_piece(arb(a.numerator) / a.denominator, arb(4) / 3)) for a in KEYS_PARAMETERS]
    if all(w < 0 for _, w in uppers):
        a, w = uppers[0]
        return EvidenceResult(
            "refuted",
            "arb enclosures (64-bit balls, x = 4/3 rounded "
            "outward): " + ", ".join(f"W_{a}(4/3) ∈ {w.str(radius=True)}" for a, w in uppers),
            observed=w.str(radius=True), bound="0",
            counterexample={"a": a, "x": "4/3", "W(x) enclosure": w.str(radius=True)},
        )
    return EvidenceResult("undecided", "enclosure not strictly negative")


# --------------------------------------------------------------------------- I5 integer offsets


def symbolic_integer_offset(ctx: Context) -> EvidenceResult:
    """Σ_{s=−1}^{2} W(s)·x_{b+s} = x_b for any kernel with W(0) = 1, W(−1) = W(1) = W(2) = 0; Keys has these values for
    every a."""
    w = {s: sp.Symbol(f"W({s})") for s in (-1, 0, 1, 2)}
    x = {s: sp.Symbol(f"x_b{s:+d}") for s in (-1, 0, 1, 2)}
    general = sum(w[s] * x[s] for s in w).subs({w[0]: 1, w[-1]: 0, w[1]: 0, w[2]: 0})
    keys = ck.integer_values()
    if sp.expand(general - x[0]) == 0 and keys == {-1: 0, 0: 1, 1: 0, 2: 0}:
        return EvidenceResult(
            "proved",
            "interpolating-kernel conditions reduce the integer-offset sum to x_b; Keys W_a(−1), W_a(0), W_a(1), "
            f"W_a(2) = {keys[-1]}, {keys[0]}, {keys[1]}, {keys[2]} identically in a. Clamped taps carry weight 0 too, "
            "so Y_ij = X_{⌊ih/h'⌋, ⌊jw/w'⌋}.",
        )
    return EvidenceResult("undecided", f"Keys integer values {keys}")


def exact_paper_is_floor_nearest(ctx: Context) -> EvidenceResult:
    """The exact §2.2 matrix equals the ⌊ih/h'⌋ copy matrix for every size pair and a; count duplicated outputs (F3)."""
    duplicated = []
    for (h, hp) in size_pairs(ctx):
        for a in KEYS_PARAMETERS:
            rows = interpolation_taps(h, hp, "paper", False, a)
            for i, row in enumerate(rows):
                if row != ((floor_nearest_index(i, h, hp), Fraction(1)),):
                    return EvidenceResult("refuted", f"paper form {h}→{hp}, a={a}, row {i} = {row}",
                                          counterexample={"h": h, "h_prime": hp, "a": a, "row": i})
        if (h, hp) in preset_pairs("up"):
            duplicated.append(f"{h}→{hp}: {hp - h} of {hp} outputs repeat a token")
    return EvidenceResult(
        "passed",
        f"{len(size_pairs(ctx))} size pairs × a ∈ {{−3/4, −1/2}}: the paper form is exactly nearest copying. "
        "Up-sampling therefore repeats tokens (F3): " + "; ".join(duplicated[:6]) + " …",
    )


# --------------------------------------------------------------------------- reproduction snippet, constants


def kernel_range_snippet(result) -> str:
    """I4: W_a(x) < 0 exactly over Q, and a negative weight in torch's own bicubic up-sampling."""
    k = counterexample_of(result, symbolic_kernel_range)
    t = counterexample_of(result, torch_negative_weights)
    h, hp, i, j = (int(t[key]) for key in ("h", "h_prime", "output", "input"))
    return "\n".join([
        "from fractions import Fraction",
        "",
        "import torch",
        "",
        "import varcheck",
        "",
        "# 1. The Keys kernel on 1 < |x| < 2 (docs/theory.md §2.1), evaluated exactly over Q:",
        f"a, x = {fraction_literal(k['a'])}, {fraction_literal(k['x'])}",
        "w = a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a",
        f"assert w == {fraction_literal(k['W(x)'])} and w < 0, w",
        "assert varcheck.keys_kernel(x, a) == w  # varcheck's kernel agrees",
        "",
        f"# 2. torch's own bicubic weights for VAR's {h} -> {hp} up-sampling: output {i} reads input {j} with",
        "#    a negative weight (read off by interpolating a unit vector in float64).",
        f"unit = torch.zeros(1, 1, {h}, 1, dtype=torch.float64)",
        f"unit[0, 0, {j}, 0] = 1",
        f'weight = torch.nn.functional.interpolate(unit, size=({hp}, 1), mode="bicubic", align_corners=False)[0, 0, '
        f'{i}, 0].item()',
        f"exact = {fraction_literal(t['weight'])}",
        "assert weight < 0 and abs(Fraction(weight) - exact) < Fraction(1, 10**13), (weight, exact)",
        "",
        f'print(f"W_{{a}}({{x}}) = {{w}} < 0 for a = {{a}}; torch bicubic {h}->{hp}: weight {{weight!r}} (exactly '
        '{exact}) < 0")',
    ])


def plot_keys_kernel(ax) -> None:
    """The HTML report's figure of F1: W_a for a = −3/4 and −1/2 against the band [0, 1] the paper claims."""
    xs = [Fraction(i, 100) for i in range(-250, 251)]
    ax.axhspan(0, 1, color="#e3f2fd", label="[0, 1] (paper's claim)")
    for a, colour in ((Fraction(-3, 4), "#1565c0"), (Fraction(-1, 2), "#6a1b9a")):
        ax.plot([float(x) for x in xs], [float(keys_kernel(x, a)) for x in xs], color=colour, label=f"W_a, a = {a}")
        for x in (Fraction(-4, 3), Fraction(4, 3)):
            ax.plot([float(x)], [float(keys_kernel(x, a))], "o", color=colour, markersize=4)
    ax.axhline(0, color="#555", linewidth=0.6)
    ax.annotate("min 4a/27 at |x| = 4/3", xy=(4 / 3, -1 / 9), xytext=(1.55, 0.35),
                arrowprops={"arrowstyle": "->", "color": "#555"}, fontsize=8)
    ax.set_xlabel("x")
    ax.set_title("Keys kernel W_a (F1, claim I4: refuted)", fontsize=10)
    ax.legend(fontsize=7, loc="upper left")


KERNEL_PLOT = Plot("keys_kernel", "The Keys cubic kernel dips below 0 (to −1/9 for torch's a = −3/4): finding F1.",
                   plot_keys_kernel)


def kernel_constants() -> list:
    """The Keys kernel's minima (I4) and the bicubic ∞-norm bounds (I3), derived exactly."""
    out = [
        Constant("kernel_min_a_3_4", keys_kernel(Fraction(4, 3), Fraction(-3, 4)), True,
                 "min of the Keys kernel W_{-3/4} (torch), attained at |x| = 4/3", "interp.kernel-range", "exact"),
        Constant("kernel_min_a_1_2", keys_kernel(Fraction(4, 3), Fraction(-1, 2)), True,
                 "min of the Keys kernel W_{-1/2}, attained at |x| = 4/3", "interp.kernel-range", "exact"),
        Constant("kernel_argmin", Fraction(4, 3), True, "|x| where W_a attains its minimum "
                                                        "4a/27", "interp.kernel-range",
                 "exact"),
    ]
    derivation = ck.negative_a_range()  # its steps are decided by interp.kernel-range's symbolic evidence
    _, _, top, where = derivation.at(-4)
    out += [
        Constant("kernel_max_branch", ck.to_fraction(derivation.branch), True, "a below which max W_a exceeds 1 "
                 "(derived: W_a − 1 = x²((a+2)x − (a+3)))", "interp.kernel-range", "exact"),
        Constant("kernel_max_a_m4", top, True, "max of the Keys kernel W_{-4}, −a²(4a+9)/(27(a+2)²) at a = −4",
                 "interp.kernel-range", "exact"),
        Constant("kernel_argmax_a_m4", where, True, "|x| = 2(a+3)/(3(a+2)) where W_{-4} attains its maximum",
                 "interp.kernel-range", "exact"),
    ]
    for a, tag in ((Fraction(-3, 4), "a_3_4"), (Fraction(-1, 2), "a_1_2")):
        out.append(Constant(f"bicubic_inf_norm_{tag}", _inf_norm_bound(a), True,
                            f"bound on ‖U‖∞ of 1-D bicubic interpolation, a = {a} (attained at t = 1/2)",
                            "interp.inf-norm", "upper"))
    out.append(Constant("bicubic_inf_norm_2d", out[-2].value ** 2, True, "bound on ‖U_h ⊗ U_w‖∞, a = −3/4",
                        "interp.inf-norm", "upper"))
    return out


# --------------------------------------------------------------------------- mutants


def _kernel_a_half(original, rows, h, hp, mode, ac, a):
    if mode != "bicubic":
        return rows
    return original(h, hp, mode, ac, Fraction(-1, 2))


def _paper_form_smeared(original, rows, h, hp, mode, ac, a):
    if mode != "paper":
        return rows
    return original(h, hp, "bilinear", False, TORCH_A)


def inf_norm_is_not_eleven_eighths(result: EvidenceResult) -> bool:
    """Predicate: the exact ∞-norm evidence no longer reports the maximum 11/8 (a = −3/4)."""
    return result.observed != "11/8"


# --------------------------------------------------------------------------- claims



CLAIMS = (
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
            ("BICUBIC_INF_NORM_A_3_4", "11/8", "max over t ∈ [0,1] of −W(t+1)+W(t)+W(1−t)−W(2−t), a = −3/4, at t = "
                                               "1/2"),
            ("BICUBIC_INF_NORM_A_1_2", "5/4", "same maximisation for a = −1/2"),
            ("BICUBIC_INF_NORM_2D", "121/64", "‖A ⊗ B‖∞ = ‖A‖∞‖B‖∞"),
        ),
        evidence=(
            E("symbolic", symbolic_inf_norm, "signs of the four tap polynomials proved on (0,1), then exact "
                                             "maximisation of their absolute sum"),
            E("construction", exact_inf_norms, "exact max row ℓ1 sums for every size pair of the profile, with the "
                                               "values at each preset pair"),
            E("numeric", torch_inf_norm, "Hypothesis: torch bicubic of ±1 maps never exceeds 121/64 (targeted search "
                                         "for the maximum)"),
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
            "For every a < 0, W_a has minimum 4a/27, attained at |x| = 4/3 (−1/9 for torch's a = −3/4, −2/27 for "
            "a = −1/2); its maximum is 1, at x = 0, for −3 ≤ a < 0, and 1 − 4(a+3)³/(27(a+2)²) = "
            "−a²(4a+9)/(27(a+2)²) > 1, at |x| = 2(a+3)/(3(a+2)), for a < −3 (a = −4: 28/27 at |x| = 1/3; a = −10: "
            "775/432 at 7/12). So W_a(R) = [4a/27, 1] for −3 ≤ a < 0 and [4a/27, −a²(4a+9)/(27(a+2)²)] for a < −3. "
            "Interpolated values are affine, not convex, combinations; bounds must use ‖U‖∞ (I3) instead of convexity."
        ),
        constants=(("KERNEL_MIN_A_3_4", "-1/9", "W_{−3/4}(4/3)"), ("KERNEL_MIN_A_1_2", "-2/27", "W_{−1/2}(4/3)"),
                   ("KERNEL_MIN", "4a/27", "a(|x| − 1)(|x| − 2)² on 1 < |x| < 2 with max (x − 1)(x − 2)² = 4/27 "
                                           "at 4/3; the inner piece is ≥ 0 for a < 0"),
                   ("KERNEL_MAX", "1 for −3 ≤ a < 0; −a²(4a+9)/(27(a+2)²) for a < −3",
                    "W_a − 1 = x²((a+2)x − (a+3)) ≤ 0 on [0, 1] iff a ≥ −3; for a < −3 the critical point "
                    "x* = 2(a+3)/(3(a+2)) lies in (0, 1)")),
        repro=kernel_range_snippet,
        evidence=(
            E("symbolic", symbolic_kernel_range, "W_a(4/3) = 4a/27 < 0; the range of W_a derived as a function of "
                                                 "a < 0 (branch point a = −3), equal to the exact extrema at 11 "
                                                 "values of a"),
            E("numeric", torch_negative_weights, "torch's own bicubic weights for VAR's p → 16 up-sampling include "
                                                 "negative entries"),
            E("certified", certified_kernel_negative, "arb ball enclosure of W_a(4/3) lies strictly below 0"),
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
            E("symbolic", symbolic_integer_offset, "the offset sum under the interpolating-kernel conditions, and "
                                                   "Keys' integer values identically in a"),
            E("construction", exact_paper_is_floor_nearest, "the exact §2.2 matrix equals the floor-index copy matrix "
                                                            "for every size pair of the profile"),
        ),
    ),
)


MUTANTS = (
    Mutant("interp.kernel-a-half", ("interp.torch-parity", "interp.inf-norm"),
           "bicubic built with a = −1/2 while torch uses a = −3/4",
           lambda p: patch_taps(p, _kernel_a_half),
           (Check(parity_exhaustive_1d, caught_if=("failed",)),
            Check(exact_inf_norms, predicate=inf_norm_is_not_eleven_eighths))),
    Mutant("interp.paper-form-smeared", ("interp.integer-offset-is-nearest",),
           "the §2.2 integer-offset form built from a non-interpolating (linear, off-grid) kernel",
           lambda p: patch_taps(p, _paper_form_smeared),
           (Check(exact_paper_is_floor_nearest, caught_if=("refuted",)),)),
)


FINDINGS = (
    Finding(
        "F1", "The bicubic kernel is not [0, 1]-valued",
        paper="The interpolation layer's bicubic spline kernel W takes values in [0, 1] (docs/theory.md §2.2).",
        theory="F1 = I4 (kernel range): false for every Keys parameter a < 0.",
        corrected="W_a ≥ 4a/27 (at |x| = 4/3) for every a < 0, and W_a ≤ 1 for −3 ≤ a < 0 only: for a < −3 the "
                  "maximum is −a²(4a+9)/(27(a+2)²) > 1 (28/27 at a = −4); bounds must use ‖U‖∞ ≤ 11/8 (I3), not "
                  "convexity.",
        figure="Keys kernel (figure `keys_kernel` of the HTML report)",
    ),
    Finding(
        "F2", "The integer-offset interpolation formula is nearest-neighbour copying",
        paper="Y_{i,j,l} = Σ_{s,t=−1}^{2} W(s)·X_{⌊ih/h'⌋+s, ⌊jw/w'⌋+t, l}·W(t) up-interpolates a token map "
              "(docs/theory.md §2.2, the form the VAR theory papers of this group use).",
        theory="F2 = I5: for any interpolating kernel the formula equals nearest-neighbour copying.",
        corrected="Use torch's bicubic with fractional source coordinates s = (i + ½)h/h' − ½ (docs/theory.md §2.1); "
                  "the integer-offset form is nearest-neighbour up-sampling.",
    ),
)
