"""Interpolation operators as matrices (docs/theory.md §2.4): I1 (matrix form and the Kronecker structure), I1-torch
(the exact operators reproduce torch's F.interpolate) and I2 (partition of unity), with the mutants that attack them.

Instance sizes grow with the profile: the quick profile checks every size pair up to ``QUICK_MAX_SIDE`` plus all
preset pairs, the full profile every pair up to 64 (docs/theory.md's range). The other interpolation modules of this
family use the size pairs and configurations defined here.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ...exact import interpolation as exact_interpolation
from ...exact.floating_point import TORCH_PARITY_TOL, separable_apply_error_bound
from ...exact.interpolation import (
    ALIGN_MODES,
    MODES,
    TORCH_A,
    floor_nearest_index,
    interpolate_direct,
    interpolation_matrix,
    interpolation_matrix_1d,
    interpolation_taps,
)
from ...theory import cubic_kernel as ck
from ...theory.mutants import Check, Mutant
from ...theory.pyramid import PRESETS
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from .. import strategies as vst
from ..properties import run_property

__all__ = ["QUICK_MAX_SIDE", "FULL_MAX_SIDE", "KEYS_PARAMETERS", "TORCH_CONFIGS", "EXACT_CONFIGS", "preset_pairs",
           "size_pairs", "config_label", "torch_unit_responses", "patch_taps", "CLAIMS", "MUTANTS"]

_VAR = "varcheck formalisation"


QUICK_MAX_SIDE = 16
FULL_MAX_SIDE = 64
#: Keys parameters checked: torch's −3/4 and the classic −1/2.
KEYS_PARAMETERS = (Fraction(-3, 4), Fraction(-1, 2))
#: docs/theory.md I3: the exact 1-D bicubic ∞-norm bound for each a (derived in varcheck.theory.cubic_kernel).
TORCH_CONFIGS = tuple(
    (m, ac) for m in MODES if m != "paper" for ac in ((False, True) if m in ALIGN_MODES else (False,))
)
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


def config_label(config):
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
                        f"{config_label((mode, ac))} {src}→{dst}: direct formula differs from the matrix at output "
                        f"({i}, {j})",
                        counterexample={"mode": mode, "src": src, "dst": dst, "output": (i, j),
                                        "direct": fx[i][j], "matrix": by_matrix[i * dst[1] + j]},
                    )
                if sp.expand(fxy[i][j] - alpha * fx[i][j] - beta * fy[i][j]) != 0:
                    return EvidenceResult("refuted", f"{config_label((mode, ac))} {src}→{dst}: not linear at ({i}, "
                                                     f"{j})",
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

    from ...runtime.interpolation import Interpolation

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
        return float(np.max(err / np.maximum(allowed, 1e-300))), f"{config_label((mode, ac))} ({h},{w})→({hp},{wp})"

    strategy = st.tuples(vst.size_pairs(24), vst.size_pairs(24), vst.interpolation_configs(), st.integers(0, 2**32 - 1))
    return run_property(prop, strategy, ctx, quick=40, full=300, label="separable vs Kronecker")


def _kron_bound(big, x, hp, wp):
    from ...exact.floating_point import UNIT_ROUNDOFF, gamma

    n = big.shape[1]
    mag = (np.abs(x).reshape(-1, n) @ np.abs(big).T).reshape(x.shape[:-2] + (hp, wp))
    return ((1 + UNIT_ROUNDOFF) * (1 + gamma(n)) - 1) * mag


# --------------------------------------------------------------------------- torch parity


def torch_unit_responses(h, hp, mode, ac):
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
        dev = float(np.max(np.abs(torch_unit_responses(h, hp, mode, ac) - exact)))
        limit = 0.0 if mode in ("nearest", "area") else TORCH_PARITY_TOL
        if dev > limit:
            return EvidenceResult("failed", f"{config_label((mode, ac))} {h}→{hp}: max |torch − exact| = {dev:.3e} > "
                                            f"{limit:g}",
                                  observed=dev, bound=limit)
        if dev >= worst[0]:
            worst = (dev, f"{config_label((mode, ac))} {h}→{hp}")
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
    from ...runtime.interpolation import torch_interpolate

    def prop(example):
        (h, hp), (w, wp), (mode, ac), s = example
        x = np.random.default_rng(s).random((1, 2, h, w))
        uh = interpolation_matrix_1d(h, hp, mode, align_corners=ac)
        uw = interpolation_matrix_1d(w, wp, mode, align_corners=ac)
        ref = uh @ x @ uw.T
        got = torch_interpolate(x, (hp, wp), mode, align_corners=ac)
        where = f"{config_label((mode, ac))} ({h},{w})→({hp},{wp}) seed {s}"
        if mode == "nearest":
            return (0.0 if np.array_equal(got, ref) else 2.0), where
        allowed = TORCH_PARITY_TOL - separable_apply_error_bound(uh, x, uw)
        return float(np.max(np.abs(got - ref) / allowed)), where

    strategy = st.tuples(
        vst.size_pairs(64),
        vst.size_pairs(64),
        vst.interpolation_configs(tuple(m for m in MODES if m != "paper")),
        st.integers(0, 2**32 - 1),
    )
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
                    return EvidenceResult("refuted", f"{config_label((mode, ac))} {h}→{hp} row {i} sums to {total}",
                                          counterexample={"mode": mode, "h": h, "h_prime": hp, "row": i, "sum": total})
                count += 1
    return EvidenceResult("passed", f"{count} rows checked exactly over Q: every row sums to 1", observed=count)


def torch_preserves_constants(ctx: Context) -> EvidenceResult:
    """torch's interpolate maps a constant map c ∈ [0, 1] to c, within TORCH_PARITY_TOL."""
    from ...runtime.interpolation import torch_interpolate

    def prop(example):
        (h, hp), (w, wp), (mode, ac), c = example
        got = torch_interpolate(np.full((1, 1, h, w), c), (hp, wp), mode, align_corners=ac)
        return float(np.max(np.abs(got - c)) / TORCH_PARITY_TOL), (f"{config_label((mode, ac))} ({h},{w})→({hp},{wp}) "
                                                                   f"c={c!r}")

    strategy = st.tuples(
        vst.size_pairs(64),
        vst.size_pairs(64),
        vst.interpolation_configs(tuple(m for m in MODES if m != "paper")),
        st.floats(0, 1),
    )
    return run_property(prop, strategy, ctx, quick=60, full=600, label="constants preserved")


# --------------------------------------------------------------------------- mutants


def patch_taps(p, mutate) -> None:
    """Replace ``interpolation_taps`` (in varcheck.exact.interpolation and wherever it is bound by name) by
    ``mutate(original, rows, h, h', mode, align_corners, a)``."""
    original = exact_interpolation.interpolation_taps.__wrapped__  # the uncached builder: its cache is untouched

    @lru_cache(maxsize=4096)
    def taps(h, hp, mode, align_corners=False, a=TORCH_A):
        return mutate(original, original(h, hp, mode, align_corners, a), h, hp, mode, align_corners, a)

    p.setattr(exact_interpolation, "interpolation_taps", taps)


def _drop_last_bicubic_tap(original, rows, h, hp, mode, ac, a):
    if mode != "bicubic":
        return rows
    return tuple(row[:-1] if len(row) == 4 else row for row in rows)


def _floor_nearest(original, rows, h, hp, mode, ac, a):
    if mode != "nearest":
        return rows
    return tuple(((floor_nearest_index(i, h, hp), Fraction(1)),) for i in range(hp))


def _align_corners_ignored(original, rows, h, hp, mode, ac, a):
    if mode != "bilinear" or not ac:
        return rows
    return original(h, hp, mode, False, a)


# --------------------------------------------------------------------------- claims



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
            E("symbolic", symbolic_matrix_form, "pixel-wise formula on free symbols vs (U_h ⊗ U_w)·vec(X), and "
                                                "linearity, as exact polynomial identities"),
            E("numeric", separable_module_matches_kron, "Hypothesis: the torch module U_h X U_wᵀ equals the Kronecker "
                                                        "matrix within the float64 rounding bound"),
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
        paper_ref="docs/theory.md §2.1 (torch semantics contract)",
        expected="holds",
        depends_on=("interp.matrix-form",),
        hypotheses=("float64 inputs in [0, 1]", "torch's bicubic a = −3/4"),
        constants=(("TORCH_PARITY_TOL", "1e-13", "docs/theory.md §2.1 contract; the float64 reference's own rounding "
                                                 "bound "
                                                 "is subtracted"),),
        evidence=(
            E("numeric", parity_exhaustive_1d, "every 1-D size pair of the profile (quick ≤ 16 plus presets, full ≤ "
                                               "64): torch on unit vectors vs the exact matrix"),
            E("numeric", parity_property_2d, "Hypothesis over random 2-D size pairs up to 64, modes and maps"),
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
            E("symbolic", symbolic_partition_of_unity, "Keys tap weights sum to 1 as a polynomial identity in Q[a, t]; "
                                                       "linear, paper and area rows likewise"),
            E("construction", exact_row_sums, "exact row sums over Q for every size pair of the profile, every mode, a "
                                              "∈ {−3/4, −1/2}"),
            E("numeric", torch_preserves_constants, "Hypothesis: torch maps constant maps to themselves within 1e−13"),
        ),
    ),
)


MUTANTS = (
    Mutant("interp.dropped-bicubic-tap", ("interp.partition-of-unity", "interp.torch-parity"),
           "the fourth Keys tap of every bicubic row dropped",
           lambda p: patch_taps(p, _drop_last_bicubic_tap),
           (Check(exact_row_sums, caught_if=("refuted",)), Check(parity_exhaustive_1d, caught_if=("failed",)))),
    Mutant("interp.floor-nearest", ("interp.torch-parity",),
           "nearest copies ⌊i·h/h'⌋ instead of torch's float32 index",
           lambda p: patch_taps(p, _floor_nearest),
           # the float32 index differs from the floor only from size 14 on: the full profile reaches it
           (Check(parity_exhaustive_1d, profile="full", caught_if=("failed",)),)),
    Mutant("interp.align-corners-ignored", ("interp.torch-parity",),
           "bilinear with align_corners=True built as align_corners=False",
           lambda p: patch_taps(p, _align_corners_ignored),
           (Check(parity_exhaustive_1d, caught_if=("failed",)),)),
)
