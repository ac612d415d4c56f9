"""Evidence for the interpolation claims I1–I9 (THEORY.md §2.4).

Each function takes a :class:`~varcheck.spec.registry.Context` and returns an
:class:`~varcheck.spec.registry.EvidenceResult`. Instance sizes grow with the profile: the quick
profile checks every size pair up to ``QUICK_MAX_SIDE`` plus all preset pairs, the full profile every
pair up to 64 (THEORY.md's range).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ..exact import injectivity
from ..exact.ball_attention import arb_of
from ..exact.directed_rounding import format_bound
from ..exact.floating_point import TORCH_PARITY_TOL, separable_apply_error_bound, separable_apply_error_factor
from ..exact.interpolation import (
    ALIGN_MODES,
    MODES,
    TORCH_A,
    floor_nearest_index,
    interpolate_direct,
    interpolation_matrix,
    interpolation_matrix_1d,
    interpolation_taps,
    torch_nearest_index,
)
from ..exact.pyramid_maps import VAR_LATENT_SIDE, var_effective_map
from ..spec import cubic_kernel as ck
from ..spec.pyramid import PRESETS
from ..spec.registry import Context, EvidenceResult
from . import strategies as vst
from .properties import run_property

QUICK_MAX_SIDE = 16
FULL_MAX_SIDE = 64
#: Keys parameters checked: torch's −3/4 and the classic −1/2.
KEYS_PARAMETERS = (Fraction(-3, 4), Fraction(-1, 2))
#: THEORY.md I3: the exact 1-D bicubic ∞-norm bound for each a (derived in spec.cubic_kernel).
TORCH_CONFIGS = tuple((m, ac) for m in MODES if m != "paper" for ac in ((False, True) if m in ALIGN_MODES else (False,)))
EXACT_CONFIGS = TORCH_CONFIGS + (("paper", False),)


def _max_side(ctx: Context) -> int:
    return ctx.pick(QUICK_MAX_SIDE, FULL_MAX_SIDE)


def preset_pairs(direction="up"):
    """Consecutive side pairs of every preset (up), or their reverses (down), without repeats."""
    pairs = set()
    for sides in PRESETS.values():
        for p, q in zip(sides, sides[1:]):
            pairs.add((p, q) if direction == "up" else (q, p))
    return sorted(pairs)


def size_pairs(ctx: Context, direction="any"):
    """Every (h, h') up to the profile's side, plus every preset pair (both directions)."""
    n = _max_side(ctx)
    pairs = {(h, hp) for h in range(1, n + 1) for hp in range(1, n + 1)}
    pairs |= set(preset_pairs("up")) | set(preset_pairs("down"))
    if direction == "up":
        pairs = {p for p in pairs if p[0] <= p[1]}
    elif direction == "down":
        pairs = {p for p in pairs if p[0] > p[1]}
    return sorted(pairs)


def _fmt(config):
    mode, ac = config
    return f"{mode}" + (f"(align_corners={ac})" if mode in ALIGN_MODES else "")


# --------------------------------------------------------------------------- I1 matrix form


def symbolic_matrix_form(ctx: Context) -> EvidenceResult:
    """Direct pixel-wise formula on a map of free symbols equals (U_h ⊗ U_w)·vec(X); and it is linear."""
    shapes = [((2, 3), (5, 4)), ((3, 2), (2, 3)), ((1, 4), (3, 2))] + ctx.pick([], [((4, 3), (7, 5)), ((5, 5), (3, 4))])
    checked = 0
    for (src, dst), (mode, ac) in itertools.product(shapes, EXACT_CONFIGS):
        h, w = src
        xs = sp.Matrix(h, w, lambda i, j: sp.Symbol(f"x_{i}_{j}"))
        ys = sp.Matrix(h, w, lambda i, j: sp.Symbol(f"y_{i}_{j}"))
        alpha, beta = sp.symbols("alpha beta")
        direct = lambda m: interpolate_direct(m.tolist(), dst, mode, align_corners=ac)  # noqa: E731
        u = interpolation_matrix(src, dst, mode, align_corners=ac, exact=True)
        umat = sp.Matrix(u.nrows(), u.ncols(), [sp.Rational(str(e)) for e in u.entries()])
        by_matrix = umat * sp.Matrix(h * w, 1, list(xs))
        fx, fy = direct(xs), direct(ys)
        fxy = direct(alpha * xs + beta * ys)
        for i in range(dst[0]):
            for j in range(dst[1]):
                if sp.expand(fx[i][j] - by_matrix[i * dst[1] + j]) != 0:
                    return EvidenceResult(
                        "refuted",
                        f"{_fmt((mode, ac))} {src}→{dst}: direct formula differs from the matrix at output ({i}, {j})",
                        counterexample={"mode": mode, "src": src, "dst": dst, "output": (i, j),
                                        "direct": fx[i][j], "matrix": by_matrix[i * dst[1] + j]},
                    )
                if sp.expand(fxy[i][j] - alpha * fx[i][j] - beta * fy[i][j]) != 0:
                    return EvidenceResult("refuted", f"{_fmt((mode, ac))} {src}→{dst}: not linear at ({i}, {j})",
                                          counterexample={"mode": mode, "src": src, "dst": dst, "output": (i, j)})
        checked += 1
    return EvidenceResult(
        "proved",
        f"{checked} (mode, size) instances: the pixel-wise formula on free symbols x_ij equals "
        "(U_h ⊗ U_w)·vec(X) as an exact polynomial identity, and f(αX+βY) − αf(X) − βf(Y) expands to 0.",
        observed=checked,
    )


def separable_module_matches_kron(ctx: Context) -> EvidenceResult:
    """The torch module U_h X U_wᵀ equals (U_h ⊗ U_w)·vec(X) on random maps, within the float64 rounding bound."""
    import torch

    from ..runtime.interpolation import Interpolation

    def prop(example):
        (h, hp), (w, wp), (mode, ac), s = example
        x = np.random.default_rng(s).random((2, 3, h, w))
        module = Interpolation((h, w), (hp, wp), mode, align_corners=ac)
        y_sep = module(torch.from_numpy(x)).numpy()
        big = interpolation_matrix((h, w), (hp, wp), mode, align_corners=ac)
        y_kron = (x.reshape(6, h * w) @ big.T).reshape(2, 3, hp, wp)
        uh, uw = module.u_h.numpy(), module.u_w.numpy()
        # both are float64 evaluations of the same exact product: twice the one-evaluation bound
        allowed = 2 * separable_apply_error_bound(uh, x, uw) + 2 * _kron_bound(big, x, hp, wp)
        err = np.abs(y_sep - y_kron)
        return float(np.max(err / np.maximum(allowed, 1e-300))), f"{_fmt((mode, ac))} ({h},{w})→({hp},{wp})"

    strategy = st.tuples(vst.size_pairs(24), vst.size_pairs(24), vst.interpolation_configs(), st.integers(0, 2**32 - 1))
    return run_property(prop, strategy, ctx, quick=40, full=300, label="separable vs Kronecker")


def _kron_bound(big, x, hp, wp):
    from ..exact.floating_point import UNIT_ROUNDOFF, gamma

    n = big.shape[1]
    mag = (np.abs(x).reshape(-1, n) @ np.abs(big).T).reshape(x.shape[:-2] + (hp, wp))
    return ((1 + UNIT_ROUNDOFF) * (1 + gamma(n)) - 1) * mag


# --------------------------------------------------------------------------- torch parity


def _torch_unit_responses(h, hp, mode, ac):
    """torch's 1-D operator h → h' read off by interpolating the h unit vectors (columns)."""
    import torch
    import torch.nn.functional as F

    x = torch.eye(h, dtype=torch.float64).reshape(h, 1, h, 1)
    kwargs = {"align_corners": ac} if mode in ALIGN_MODES else {}
    return F.interpolate(x, size=(hp, 1), mode=mode, **kwargs).reshape(h, hp).T.numpy()


def parity_exhaustive_1d(ctx: Context) -> EvidenceResult:
    """Every size pair of the profile, every torch mode: exact matrix vs torch's operator, entry by entry.

    nearest and area must agree bit for bit; bilinear and bicubic within TORCH_PARITY_TOL (torch
    computes the weights in float64 from a float64 scale, the exact matrix from the rational h/h').
    """
    worst = (0.0, None)
    for (h, hp), (mode, ac) in itertools.product(size_pairs(ctx), TORCH_CONFIGS):
        exact = interpolation_matrix_1d(h, hp, mode, align_corners=ac)
        dev = float(np.max(np.abs(_torch_unit_responses(h, hp, mode, ac) - exact)))
        limit = 0.0 if mode in ("nearest", "area") else TORCH_PARITY_TOL
        if dev > limit:
            return EvidenceResult("failed", f"{_fmt((mode, ac))} {h}→{hp}: max |torch − exact| = {dev:.3e} > {limit:g}",
                                  observed=dev, bound=limit)
        if dev >= worst[0]:
            worst = (dev, f"{_fmt((mode, ac))} {h}→{hp}")
    n = len(size_pairs(ctx))
    return EvidenceResult(
        "passed",
        f"{n} size pairs × {len(TORCH_CONFIGS)} configurations: nearest and area bit-identical, "
        f"max |torch − exact| = {worst[0]:.3e} ({worst[1]}) ≤ {TORCH_PARITY_TOL:g}",
        observed=worst[0], bound=TORCH_PARITY_TOL,
    )


def parity_property_2d(ctx: Context) -> EvidenceResult:
    """Hypothesis over random 2-D size pairs (1..64, up and down), modes and maps in [0, 1]:
    |F.interpolate(x) − U x| ≤ TORCH_PARITY_TOL, with the reference's own rounding subtracted from the
    allowance; nearest must be bit-identical."""
    from ..runtime.interpolation import torch_interpolate

    def prop(example):
        (h, hp), (w, wp), (mode, ac), s = example
        x = np.random.default_rng(s).random((1, 2, h, w))
        uh = interpolation_matrix_1d(h, hp, mode, align_corners=ac)
        uw = interpolation_matrix_1d(w, wp, mode, align_corners=ac)
        ref = uh @ x @ uw.T
        got = torch_interpolate(x, (hp, wp), mode, align_corners=ac)
        where = f"{_fmt((mode, ac))} ({h},{w})→({hp},{wp}) seed {s}"
        if mode == "nearest":
            return (0.0 if np.array_equal(got, ref) else 2.0), where
        allowed = TORCH_PARITY_TOL - separable_apply_error_bound(uh, x, uw)
        return float(np.max(np.abs(got - ref) / allowed)), where

    strategy = st.tuples(vst.size_pairs(64), vst.size_pairs(64), vst.interpolation_configs(tuple(m for m in MODES if m != "paper")),
                         st.integers(0, 2**32 - 1))
    return run_property(prop, strategy, ctx, quick=60, full=600, label="torch parity (2-D)")


# --------------------------------------------------------------------------- I2 partition of unity


def symbolic_partition_of_unity(ctx: Context) -> EvidenceResult:
    """Σ of the four Keys tap weights ≡ 1 in Q[a, t]; linear (1−t)+t ≡ 1; paper Σ_s W(s) = 1; area k·(1/k) = 1."""
    identity = ck.tap_sum_identity()
    t = sp.Symbol("t")
    linear = sp.expand((1 - t) + t - 1)
    paper = sp.expand(sum(ck.integer_values().values()) - 1)
    if identity.is_zero and linear == 0 and paper == 0:
        return EvidenceResult(
            "proved",
            "W(t+1)+W(t)+W(1−t)+W(2−t) − 1 expands to the zero polynomial of Q[a, t] (every a, t); "
            "(1−t)+t−1 = 0; W(−1)+W(0)+W(1)+W(2) − 1 = 0 for every a; area rows hold k weights 1/k. "
            "Border clamping moves a tap's weight onto the edge pixel, so row sums are unchanged.",
        )
    return EvidenceResult("undecided", f"tap-sum identity not zero: {identity.as_expr()}, paper {paper}")


def exact_row_sums(ctx: Context) -> EvidenceResult:
    """Every row of every exact operator (all modes, both a, every size pair of the profile) sums to 1."""
    count = 0
    for (h, hp), (mode, ac) in itertools.product(size_pairs(ctx), EXACT_CONFIGS):
        for a in KEYS_PARAMETERS if mode in ("bicubic", "paper") else (TORCH_A,):
            for i, row in enumerate(interpolation_taps(h, hp, mode, ac, a)):
                total = sum(w for _, w in row)
                if total != 1:
                    return EvidenceResult("refuted", f"{_fmt((mode, ac))} {h}→{hp} row {i} sums to {total}",
                                          counterexample={"mode": mode, "h": h, "h_prime": hp, "row": i, "sum": total})
                count += 1
    return EvidenceResult("passed", f"{count} rows checked exactly over Q: every row sums to 1", observed=count)


def torch_preserves_constants(ctx: Context) -> EvidenceResult:
    """torch's interpolate maps a constant map c ∈ [0, 1] to c, within TORCH_PARITY_TOL."""
    from ..runtime.interpolation import torch_interpolate

    def prop(example):
        (h, hp), (w, wp), (mode, ac), c = example
        got = torch_interpolate(np.full((1, 1, h, w), c), (hp, wp), mode, align_corners=ac)
        return float(np.max(np.abs(got - c)) / TORCH_PARITY_TOL), f"{_fmt((mode, ac))} ({h},{w})→({hp},{wp}) c={c!r}"

    strategy = st.tuples(vst.size_pairs(64), vst.size_pairs(64), vst.interpolation_configs(tuple(m for m in MODES if m != "paper")),
                         st.floats(0, 1))
    return run_property(prop, strategy, ctx, quick=60, full=600, label="constants preserved")


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
        parts.append(f"a = {a}: signs (−,+,+,−) proved on (0,1), Σ|w| = {total.as_expr()}, max {got[0]} at t = {got[1]}")
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
                return EvidenceResult("refuted", f"{_fmt((mode, ac))} a={a} {h}→{hp}: ‖U‖∞ = {norm}",
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
    from ..runtime.interpolation import torch_interpolate

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


def symbolic_kernel_range(ctx: Context) -> EvidenceResult:
    """Exact range of W_a over R for a = −3/4, −1/2; and W_a(4/3) = 4a/27 < 0 for every a < 0."""
    general = sp.factor(ck.outer_piece(ck.a_sym, sp.Rational(4, 3)))
    found = []
    for a in KEYS_PARAMETERS:
        vmin, argmin, vmax, argmax = ck.kernel_range(a)
        found.append((a, vmin, argmin, vmax))
    a0, vmin, argmin, vmax = found[0]
    if vmin < 0:
        return EvidenceResult(
            "refuted",
            f"W_a(4/3) = {general} for all a (negative for a < 0); min W = {found[0][1]} (a = −3/4) and "
            f"{found[1][1]} (a = −1/2), both at |x| = {argmin}; max W = {vmax} at x = 0.",
            observed=str(vmin), bound="0",
            counterexample={"a": a0, "x": argmin, "W(x)": vmin, "a=-1/2: W(4/3)": found[1][1]},
        )
    return EvidenceResult("proved", f"W_a ≥ 0 for a = {a0}", observed=str(vmin), bound="0")


def torch_negative_weights(ctx: Context) -> EvidenceResult:
    """torch's bicubic weights (read off F.interpolate on unit vectors) for VAR's p → 16 up-sampling go below 0."""
    best = None
    for p in PRESETS["var256"][:-1]:
        got = _torch_unit_responses(p, VAR_LATENT_SIDE, "bicubic", False)
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
    from flint import arb, ctx as flint_ctx

    old = flint_ctx.prec
    flint_ctx.prec = 64
    try:
        uppers = []
        for a in KEYS_PARAMETERS:
            x, aa = arb(4) / 3, arb(a.numerator) / a.denominator
            w = aa * x**3 - 5 * aa * x**2 + 8 * aa * x - 4 * aa
            uppers.append((a, w))
    finally:
        flint_ctx.prec = old
    if all(w < 0 for _, w in uppers):
        a, w = uppers[0]
        return EvidenceResult(
            "refuted",
            "arb enclosures (64-bit balls, x = 4/3 rounded outward): " + ", ".join(f"W_{a}(4/3) ∈ {w.str(radius=True)}" for a, w in uppers),
            observed=w.str(radius=True), bound="0",
            counterexample={"a": a, "x": "4/3", "W(x) enclosure": w.str(radius=True)},
        )
    return EvidenceResult("undecided", "enclosure not strictly negative")


# --------------------------------------------------------------------------- I5 integer offsets


def symbolic_integer_offset(ctx: Context) -> EvidenceResult:
    """Σ_{s=−1}^{2} W(s)·x_{b+s} = x_b for any kernel with W(0) = 1, W(−1) = W(1) = W(2) = 0; Keys has these values for every a."""
    w = {s: sp.Symbol(f"W({s})") for s in (-1, 0, 1, 2)}
    x = {s: sp.Symbol(f"x_b{s:+d}") for s in (-1, 0, 1, 2)}
    general = sum(w[s] * x[s] for s in w).subs({w[0]: 1, w[-1]: 0, w[1]: 0, w[2]: 0})
    keys = ck.integer_values()
    if sp.expand(general - x[0]) == 0 and keys == {-1: 0, 0: 1, 1: 0, 2: 0}:
        return EvidenceResult(
            "proved",
            "interpolating-kernel conditions reduce the integer-offset sum to x_b; Keys W_a(−1), W_a(0), W_a(1), W_a(2) "
            f"= {keys[-1]}, {keys[0]}, {keys[1]}, {keys[2]} identically in a. Clamped taps carry weight 0 too, so "
            "Y_ij = X_{⌊ih/h'⌋, ⌊jw/w'⌋}.",
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


# --------------------------------------------------------------------------- I6 injectivity, I7 separation


UP_CONFIGS = (("nearest", False), ("bilinear", False), ("bilinear", True), ("bicubic", False), ("bicubic", True))


def exact_upsampling_rank(ctx: Context) -> EvidenceResult:
    """Exact full column rank of every up-sampling matrix (h ≤ h'); area down-sampling: exact kernel vectors."""
    count = 0
    for (h, hp), (mode, ac) in itertools.product(size_pairs(ctx, "up"), UP_CONFIGS):
        u = interpolation_matrix_1d(h, hp, mode, align_corners=ac, exact=True)
        if injectivity.column_rank(u) != h:
            return EvidenceResult("refuted", f"{_fmt((mode, ac))} {h}→{hp} has rank {u.rank()} < {h}",
                                  counterexample={"mode": mode, "h": h, "h_prime": hp, "rank": u.rank()})
        count += 1
    witnesses = []
    for h, hp in preset_pairs("down"):
        z = injectivity.kernel_vector(interpolation_matrix_1d(h, hp, "area", exact=True))
        if z is None:
            return EvidenceResult("failed", f"area {h}→{hp} is injective; expected a kernel vector")
        scale = max(abs(v) for v in z)
        x = [max(v, 0) / scale for v in z]
        y = [max(-v, 0) / scale for v in z]
        witnesses.append((h, hp, x, y))
    h, hp, x, y = next(w for w in witnesses if w[:2] == (16, 13))
    return EvidenceResult(
        "passed",
        f"{count} up-sampling matrices have exact full column rank; every preset down-pair ({len(witnesses)}) under "
        f"area has a non-zero kernel: e.g. 16→13 maps x = {[str(v) for v in x]} and y = {[str(v) for v in y]} "
        "to the same output.",
        observed=count,
    )


def certified_sigma_min(ctx: Context) -> EvidenceResult:
    """σ_min(U) > √τ with τ certified by exact LDLᵀ of UᵀU − τI, for every preset pair (full: all up pairs ≤ 64)."""
    pairs = size_pairs(ctx, "up") if ctx.full else preset_pairs("up")
    worst = None
    for (h, hp), (mode, ac) in itertools.product(pairs, UP_CONFIGS):
        tau = injectivity.certified_lambda_min_lower(interpolation_matrix_1d(h, hp, mode, align_corners=ac, exact=True))
        if tau <= 0:
            return EvidenceResult("refuted", f"{_fmt((mode, ac))} {h}→{hp}: no positive lower bound",
                                  counterexample={"mode": mode, "h": h, "h_prime": hp})
        if worst is None or tau < worst[0]:
            worst = (tau, f"{_fmt((mode, ac))} {h}→{hp}")
    return EvidenceResult(
        "passed",
        f"{len(pairs)} pairs × {len(UP_CONFIGS)} modes: every UᵀU − τI is positive definite over Q; smallest "
        f"certified σ_min > √τ ≥ {format_bound(arb_of(worst[0]).sqrt(), 'lower', 6)} ({worst[1]})",
        observed=format_bound(arb_of(worst[0]).sqrt(), "lower", 6), bound="0",
    )


def exact_grid_separation(ctx: Context) -> EvidenceResult:
    """For every input map on the grid {0, 1/G, …, 1}^h, min ‖Ux − Uy‖² over distinct pairs ≥ τ·min‖x − y‖², exactly."""
    G = ctx.pick(2, 3)
    cases = [(2, 3), (2, 4), (3, 4), (3, 5), (2, 16)] + ctx.pick([], [(4, 5), (3, 13), (4, 16)])
    lines = []
    for (h, hp), (mode, ac) in itertools.product(cases, UP_CONFIGS):
        u = interpolation_matrix_1d(h, hp, mode, align_corners=ac, exact=True)
        g = injectivity.gram(u)
        gram = [[Fraction(str(g[i, j])) for j in range(h)] for i in range(h)]
        tau = injectivity.certified_lambda_min_lower(u)
        # distinct grid pairs ↔ non-zero differences z ∈ {−G..G}^h / G; ‖Uz‖² = zᵀ(UᵀU)z.
        best = None
        for z in itertools.product(range(-G, G + 1), repeat=h):
            if not any(z):
                continue
            q = sum(gram[i][j] * z[i] * z[j] for i in range(h) for j in range(h)) / G**2
            if best is None or q < best[0]:
                best = (q, z)
        bound = tau / G**2
        if best[0] < bound:
            return EvidenceResult("refuted", f"{_fmt((mode, ac))} {h}→{hp}: min ‖Uz‖² = {best[0]} < τ/G² = {bound}",
                                  counterexample={"mode": mode, "h": h, "h_prime": hp, "z": best[1]})
        lines.append(f"{_fmt((mode, ac))} {h}→{hp}: {format_bound(best[0], 'lower', 4)} ≥ {format_bound(bound, 'lower', 4)}")
    return EvidenceResult("passed", f"G = {G}; min squared output distance ≥ certified σ_min²·δ²: " + "; ".join(lines[:5]) + " …")


def separation_property(ctx: Context) -> EvidenceResult:
    """Random x ≠ y in [0,1]^h: ‖U(x − y)‖ ≥ √τ‖x − y‖ with τ certified, rounding of the float evaluation accounted."""
    from ..exact.floating_point import gamma

    def prop(example):
        (h, hp), (mode, ac), s = example
        u_exact = interpolation_matrix_1d(h, hp, mode, align_corners=ac, exact=True)
        tau = injectivity.certified_lambda_min_lower(u_exact)
        u = interpolation_matrix_1d(h, hp, mode, align_corners=ac)
        rng = np.random.default_rng(s)
        x, y = rng.random(h), rng.random(h)
        z = x - y  # exact up to u|z|; both sides see the same z
        lhs = float(np.linalg.norm(u @ z))
        slack = (gamma(h + hp + 2) + 2**-52) * float(np.linalg.norm(np.abs(u) @ np.abs(z)))
        rhs = math.sqrt(float(tau)) * float(np.linalg.norm(z)) * (1 - gamma(h + 2))
        return rhs / (lhs + slack), f"{_fmt((mode, ac))} {h}→{hp} seed {s}"

    strategy = st.tuples(vst.size_pairs(20, direction="up"), st.sampled_from(UP_CONFIGS), st.integers(0, 2**32 - 1))
    return run_property(prop, strategy, ctx, quick=30, full=300, label="σ_min separation")


# --------------------------------------------------------------------------- I8 VAR's effective map


def exact_var_effective_map(ctx: Context) -> EvidenceResult:
    """E_k = A_{p_{k+1}←16}·B_{16←p_k} vs direct bicubic D_k on var256 (exact), and A_p B_p vs I."""
    sides = PRESETS["var256"]
    devs = {}
    for p, q in zip(sides, sides[1:]):
        e = var_effective_map(p, q, exact=True)
        d = interpolation_matrix_1d(p, q, "bicubic", exact=True)
        devs[(p, q)] = max(abs(Fraction(str(v))) for v in (e - d).entries())
    zero = sorted(k for k, v in devs.items() if v == 0)
    argmax = max(devs, key=devs.get)
    ident = {}
    for p in sides[1:-1]:
        m = var_effective_map(p, p, exact=True)
        ident[p] = max(abs(Fraction(str(m[i, j])) - (1 if i == j else 0)) for i in range(p) for j in range(p))
    flowar = PRESETS["flowar"]
    fdev = max(
        max(abs(Fraction(str(v))) for v in (var_effective_map(p, q, exact=True) - interpolation_matrix_1d(p, q, "bicubic", exact=True)).entries())
        for p, q in zip(flowar, flowar[1:])
    )
    # THEORY.md I8's research values: zero exactly at 1→2 and 13→16, maximum ≈ 0.38 (two digits) at 10→13.
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
    from ..runtime.interpolation import torch_interpolate

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
    return EvidenceResult("passed", f"all var256 pairs: torch chain = E ⊗ E, worst |Δ|/tol = {worst:.3g}", observed=worst, bound=1)


# --------------------------------------------------------------------------- I9 torch nearest


def exact_nearest_mismatches(ctx: Context) -> EvidenceResult:
    """Enumerate every size pair up to 64 where torch's float32 nearest index differs from ⌊i·h/h'⌋."""
    mismatches = [(h, hp, i) for h in range(1, 65) for hp in range(1, 65) for i in range(hp)
                  if torch_nearest_index(i, h, hp) != floor_nearest_index(i, h, hp)]
    pairs = sorted({(h, hp) for h, hp, _ in mismatches})
    if not mismatches:
        return EvidenceResult("passed", "torch nearest equals the floor formula for every pair up to 64")
    h, hp, i = next((m for m in mismatches if m[:2] == (26, 22)), mismatches[0])
    scale = np.float32(h) / np.float32(hp)
    product = np.float32(i) * scale
    return EvidenceResult(
        "refuted",
        f"{len(pairs)} size pairs up to 64 differ: " + ", ".join(f"{a}→{b}" for a, b in pairs)
        + f". E.g. {h}→{hp}, output {i}: float32({h}/{hp})·{i} = {Fraction(float(product))} < {i * h // hp}, "
        f"so torch copies input {torch_nearest_index(i, h, hp)}, not ⌊{i}·{h}/{hp}⌋ = {i * h // hp}.",
        observed=len(pairs), bound=0,
        counterexample={"h": h, "h_prime": hp, "output": i, "torch_index": torch_nearest_index(i, h, hp),
                        "floor_index": floor_nearest_index(i, h, hp), "float32_product": Fraction(float(product))},
    )


def torch_nearest_counterexample(ctx: Context) -> EvidenceResult:
    """Run torch itself on x = (0, 1, …, h−1) for each mismatching pair and read the copied index."""
    from ..runtime.interpolation import torch_interpolate

    found = None
    for h in range(1, 65):
        for hp in range(1, 65):
            got = torch_interpolate(np.arange(h, dtype=np.float64).reshape(1, 1, h, 1), (hp, 1), "nearest").reshape(hp)
            floor = np.array([floor_nearest_index(i, h, hp) for i in range(hp)])
            bad = np.nonzero(got != floor)[0]
            if bad.size and found is None:
                found = (h, hp, int(bad[0]), int(got[bad[0]]), int(floor[bad[0]]))
    if found:
        h, hp, i, t, f = found
        import torch
        import torch.nn.functional as F

        # torch's 1-D (3-D tensor) float64 kernel computes the index in float64: record what it does there
        one_d = F.interpolate(torch.arange(h, dtype=torch.float64).reshape(1, 1, h), size=hp, mode="nearest")[0, 0, i].item()
        return EvidenceResult("refuted", f"torch.nn.functional.interpolate(nearest) on a 4-D float64 tensor {h}→{hp} copies input {t} "
                              f"to output {i}; ⌊i·h/h'⌋ = {f}. (The 1-D call on a 3-D float64 tensor copies input {int(one_d)} there: "
                              "torch's nearest index depends on the tensor rank and dtype.)",
                              counterexample={"h": h, "h_prime": hp, "output": i, "torch_index": t, "floor_index": f})
    return EvidenceResult("passed", "torch nearest matched the floor formula everywhere")


# --------------------------------------------------------------------------- F3 repeated tokens


def exact_repeated_tokens(ctx: Context) -> EvidenceResult:
    """F3: under nearest or the paper's §2.2 form, Φ_up gives several tokens of a scale identical rows of P, so
    for every input those tokens coincide and the A4 hypothesis (no repeated token in a sequence) fails;
    the contextual-mapping constructor refuses such a family, and accepts it once positions are appended."""
    import numpy as np

    from ..exact.pyramid_maps import pyramid_upsampling_matrix
    from ..exact.token_family import TokenFamily
    from ..errors import VarcheckError
    from ..spec.pyramid import Pyramid

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
        f"var256 from 2×2: repeated tokens among {pyr.length} — paper form {counts['paper']}, nearest {counts['nearest']}, "
        f"bicubic {counts['bicubic']}; the constructor refuses the paper-form family ({refused}) and accepts it with "
        "positions appended.",
        observed=counts["paper"],
    )
