"""VAR's real next-scale maps and the token pyramid (docs/theory.md §1, §2.3–2.4): I8 (VAR's effective map E_k differs
from direct bicubic, finding F8) and F3 (up-interpolation repeats tokens), with the constants of the pyramids and of
the effective map."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

from ...errors import VarcheckError
from ...exact.floating_point import TORCH_PARITY_TOL, separable_apply_error_bound
from ...exact.interpolation import interpolation_matrix_1d
from ...exact.pyramid_maps import pyramid_upsampling_matrix, var_effective_map
from ...exact.token_family import TokenFamily
from ...theory.pyramid import PRESETS, Pyramid
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import Constant, Finding, Plot

__all__ = ["CLAIMS", "FINDINGS", "EFFECTIVE_MAP_PLOT", "effective_map_constants", "effective_map_deviations",
           "pyramid_constants"]

_PAPER_22 = "arXiv:2502.06167 (interpolation layer definition), as restated in docs/theory.md §2.2"


# --------------------------------------------------------------------------- I8 VAR's effective map


def exact_var_effective_map(ctx: Context) -> EvidenceResult:
    """E_k = A_{p_{k+1}←16}·B_{16←p_k} vs direct bicubic D_k on var256 (exact), and A_p B_p vs I."""
    sides = PRESETS["var256"]
    devs = effective_map_deviations()
    zero = sorted(k for k, v in devs.items() if v == 0)
    argmax = max(devs, key=devs.get)
    ident = {}
    for p in sides[1:-1]:
        m = var_effective_map(p, p, exact=True)
        ident[p] = max(abs(Fraction(str(m[i, j])) - (1 if i == j else 0)) for i in range(p) for j in range(p))
    flowar = PRESETS["flowar"]
    fdev = max(
        max(abs(Fraction(str(v))) for v in (var_effective_map(p, q, exact=True) - interpolation_matrix_1d(p, q,
            "bicubic", exact=True)).entries())
        for p, q in zip(flowar, flowar[1:])
    )
    # docs/theory.md I8's research values: zero exactly at 1→2 and 13→16, maximum ≈ 0.38 (two digits) at 10→13.
    ok = zero == [(1, 2), (13, 16)] and argmax == (10, 13) and abs(float(devs[argmax]) - 0.38) < 0.005
    ok = ok and all(v > 0 for v in ident.values())
    detail = (
        "max |E_k − D_k| per var256 pair: " + ", ".join(f"{p}→{q}: {float(v):.4f}" for (p, q), v in devs.items())
        + f"; exact zero at {zero}; largest {argmax[0]}→{argmax[1]} = {devs[argmax]} ≈ {float(devs[argmax]):.6f}. "
        "max |A_p B_p − I|: " + ", ".join(f"p={p}: {float(v):.4f}" for p, v in ident.items())
        + f". FlowAR s→2s: max |E − D| = {float(fdev):.6f}."
    )
    return EvidenceResult("passed" if ok else "failed", detail, observed=f"{float(devs[argmax]):.6f}", bound="≈0.38")


def torch_var_effective_map(ctx: Context) -> EvidenceResult:
    """torch's chain F.interpolate(bicubic → 16×16) then area → (q, q) equals E_h ⊗ E_w on random maps."""
    from ...runtime.interpolation import torch_interpolate

    sides = PRESETS["var256"]
    worst = 0.0
    rng = np.random.default_rng(ctx.seed)
    for p, q in zip(sides, sides[1:]):
        x = rng.random((2, 3, p, p))
        got = torch_interpolate(torch_interpolate(x, (16, 16), "bicubic"), (q, q), "area")
        e = var_effective_map(p, q)
        ref = e @ x @ e.T
        allowed = TORCH_PARITY_TOL - separable_apply_error_bound(e, x, e)
        ratio = float(np.max(np.abs(got - ref) / allowed))
        worst = max(worst, ratio)
        if ratio > 1:
            return EvidenceResult("failed", f"{p}→{q}: torch chain differs from E ⊗ E beyond {TORCH_PARITY_TOL:g}",
                                  observed=ratio, bound=1)
    return EvidenceResult("passed", "all var256 pairs: torch chain = E ⊗ E, worst |Δ|/tol = "
                                    f"{worst:.3g}", observed=worst, bound=1)


# --------------------------------------------------------------------------- F3 repeated tokens


def exact_repeated_tokens(ctx: Context) -> EvidenceResult:
    """F3: under nearest or the paper's §2.2 form, Φ_up gives several tokens of a scale identical rows of P, so
    for every input those tokens coincide and the A4 hypothesis (no repeated token in a sequence) fails;
    the contextual-mapping constructor refuses such a family, and accepts it once positions are appended."""
    sides = PRESETS["var256"][1:]  # from the 2×2 scale on (a 1×1 start is constant everywhere: F4)
    pyr = Pyramid(sides)
    counts = {}
    for mode in ("paper", "nearest", "bicubic"):
        P = pyramid_upsampling_matrix(pyr, mode, exact=True)
        rows = [tuple(str(P[i, j]) for j in range(P.ncols())) for i in range(P.nrows())]
        counts[mode] = len(rows) - len(set(rows))
    rng = np.random.default_rng(ctx.seed)
    x = rng.random((sides[0] * sides[0], 1))
    tokens = pyramid_upsampling_matrix(Pyramid(sides[:3]), "paper") @ x
    refused = False
    try:
        TokenFamily(tokens.reshape(1, -1, 1) + 1)
    except VarcheckError as exc:
        refused = "repeats a token" in str(exc)
    with_codes = np.concatenate([tokens + 1, np.arange(len(tokens)).reshape(-1, 1)], axis=1).reshape(1, -1, 2)
    TokenFamily(with_codes)  # accepted: raises if not
    ok = counts["paper"] > 0 and counts["nearest"] > 0 and refused
    return EvidenceResult(
        "passed" if ok else "failed",
        f"var256 from 2×2: repeated tokens among {pyr.length} — paper form {counts['paper']}, nearest "
        f"{counts['nearest']}, bicubic {counts['bicubic']}; the constructor refuses the paper-form family ({refused}) "
        "and accepts it with positions appended.",
        observed=counts["paper"],
    )


@lru_cache(maxsize=1)
def effective_map_deviations() -> dict:
    """{(p, q): max |E_k − D_k|} over the consecutive var256 scale pairs, exactly over Q (E_k VAR's next-scale map
    bicubic→16→area, D_k direct bicubic)."""
    sides = PRESETS["var256"]
    devs = {}
    for p, q in zip(sides, sides[1:]):
        diff = var_effective_map(p, q, exact=True) - interpolation_matrix_1d(p, q, "bicubic", exact=True)
        devs[(p, q)] = max(abs(Fraction(str(v))) for v in diff.entries())
    return devs


def plot_effective_map(ax) -> None:
    """The HTML report's figure of F8: the largest entry of E_k − D_k per var256 scale pair."""
    devs = effective_map_deviations()
    ax.bar([f"{p}→{q}" for p, q in devs], [float(v) for v in devs.values()], color="#00838f")
    ax.set_ylabel("max |E_k − D_k|")
    ax.set_title("VAR's next-scale map vs direct bicubic (F8, claim I8)", fontsize=10)
    ax.tick_params(axis="x", labelsize=8)


EFFECTIVE_MAP_PLOT = Plot("var_effective_map",
                          "Largest entry of E_k − D_k per var256 scale pair (exact over Q): finding F8.",
                          plot_effective_map)


def effective_map_constants() -> list:
    """VAR's effective-map deviation from direct bicubic on var256 (I8): its maximum and where it is attained."""
    (p, q), worst = max(effective_map_deviations().items(), key=lambda kv: kv[1])
    return [
        Constant("var_effective_map_max_deviation", worst, True,
                 f"max |E_k − D_k| over var256 scale pairs (VAR's bicubic→16→area vs direct bicubic), at {p}→{q}",
                 "interp.var-effective-map", "exact"),
        Constant("var_effective_map_worst_from", p, True, "source side of the worst var256 pair",
                 "interp.var-effective-map"),
        Constant("var_effective_map_worst_to", q, True, "target side of the worst var256 pair",
                 "interp.var-effective-map"),
    ]


def pyramid_constants() -> list:
    """The token count L and the number of scales K of every preset pyramid (docs/theory.md §1)."""
    out = []
    for name in PRESETS:
        pyr = Pyramid.preset(name)
        out.append(Constant(f"{name}_tokens", pyr.length, True,
                            f"L, tokens of the {name} pyramid (sides {', '.join(map(str, PRESETS[name]))})"))
        out.append(Constant(f"{name}_scales", len(pyr), True, f"K, scales of the {name} pyramid"))
    return out



CLAIMS = (
    Claim(
        id="interp.var-effective-map",
        label="I8",
        title="VAR's effective next-scale map differs from direct bicubic",
        statement=(
            "For VAR's next-scale chain with φ = identity (quant_resi = 0) and the var256 scales, the newest residual "
            "enters the next input through E_k = A_{p_{k+1}←16}·B_{16←p_k}, which equals the direct bicubic D_k only "
            "for 1→2 and 13→16; max |E_k − D_k| is largest at 10→13 (≈ 0.38); A_p B_p ≠ I for every 2 ≤ p < 16 (area "
            "after bicubic does not give the map back). VAR ships quant_resi = 0.5, where φ_k adds a learned 3×3 "
            "convolution and the map is A·φ_k·B (docs/theory.md §2.3), which this statement does not describe."
        ),
        paper_ref="VAR (arXiv:2404.02905) released code; docs/theory.md §2.3",
        expected="holds",
        finding="F8",
        hypotheses=(
            "φ = identity, i.e. quant_resi = 0: every φ_j(h) = (1 − ρ)·h + ρ·(conv3×3_j(h) + b_j) with ρ = 0; VAR's "
            "released models use ρ = quant_resi = 0.5, where the linear part A((1 − ρ)I + ρC_k)B involves the learned "
            "convolution C_k and E_k is not VAR's map",
        ),
        depends_on=("interp.torch-parity",),
        evidence=(
            E("construction", exact_var_effective_map, "exact E_k, D_k and A_p B_p over Q for var256 (and FlowAR's s → "
                                                       "2s)"),
            E("numeric", torch_var_effective_map, "torch's bicubic→16 then area chain equals E ⊗ E on random maps"),
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
            E("construction", exact_repeated_tokens, "exact duplicate rows of the pyramid matrix on var256, and the "
                                                     "constructor's refusal"),
        ),
    ),
)


FINDINGS = (
    Finding(
        "F3", "Up-interpolation repeats tokens",
        paper="Kajitsuka & Sato's contextual mapping (A4) assumes no repeated token inside a sequence; the "
              "paper applies it to up-interpolated pyramids.",
        theory="F3: up-interpolation (nearest, or §2.2) repeats tokens, which breaks the \"no repeated token\" "
               "hypothesis of A4 unless positional codes are added.",
        corrected="Append positional/level codes E to every token (docs/theory.md §6.1) before the attention layer.",
        related=("interp.integer-offset-is-nearest",),
    ),
    Finding(
        "F8", "VAR's real next-scale input is not Φ_up",
        paper="The next scale's input is the up-interpolation Φ_up of the previous scales (docs/theory.md §2.3).",
        theory="F8 = I8: VAR's code feeds area_{p_{k+1}}(Σ_j φ_j(bicubic_{→16}(r_j))), which differs from Φ_up.",
        corrected="Model VAR's effective map E_k = A_{p_{k+1}←16}·B_{16←p_k} (varcheck.var_effective_map), VAR's map "
                  "for φ = identity (quant_resi = 0); with VAR's quant_resi = 0.5 the map is A·φ_k·B, φ_k holding a "
                  "learned 3×3 convolution.",
        figure="VAR's effective map (figure `var_effective_map` of the HTML report)",
    ),
)
