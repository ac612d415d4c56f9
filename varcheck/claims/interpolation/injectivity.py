"""Injectivity of up-sampling (docs/theory.md §2.4): I6 (up-sampling has full column rank with a certified σ_min; area
down-sampling is not injective) and I7 (up-sampling transfers token separation with factor σ_min)."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from ...exact import injectivity
from ...exact.ball_attention import arb_of
from ...exact.directed_rounding import format_bound
from ...exact.floating_point import gamma
from ...exact.interpolation import interpolation_matrix_1d
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from .. import strategies as vst
from ..properties import run_property
from .operators import config_label, preset_pairs, size_pairs

__all__ = ["CLAIMS", "UP_CONFIGS"]

_VAR = "varcheck formalisation"


UP_CONFIGS = (("nearest", False), ("bilinear", False), ("bilinear", True), ("bicubic", False), ("bicubic", True))


def exact_upsampling_rank(ctx: Context) -> EvidenceResult:
    """Exact full column rank of every up-sampling matrix (h ≤ h'); area down-sampling: exact kernel vectors."""
    count = 0
    for (h, hp), (mode, ac) in itertools.product(size_pairs(ctx, "up"), UP_CONFIGS):
        u = interpolation_matrix_1d(h, hp, mode, align_corners=ac, exact=True)
        if injectivity.column_rank(u) != h:
            return EvidenceResult("refuted", f"{config_label((mode, ac))} {h}→{hp} has rank {u.rank()} < {h}",
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
            return EvidenceResult("refuted", f"{config_label((mode, ac))} {h}→{hp}: no positive lower bound",
                                  counterexample={"mode": mode, "h": h, "h_prime": hp})
        if worst is None or tau < worst[0]:
            worst = (tau, f"{config_label((mode, ac))} {h}→{hp}")
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
            return EvidenceResult("refuted", f"{config_label((mode, ac))} {h}→{hp}: min ‖Uz‖² = {best[0]} < τ/G² = "
                                             f"{bound}",
                                  counterexample={"mode": mode, "h": h, "h_prime": hp, "z": best[1]})
        lines.append(f"{config_label((mode, ac))} {h}→{hp}: {format_bound(best[0], 'lower', 4)} ≥ "
                     f"{format_bound(bound, 'lower', 4)}")
    return EvidenceResult("passed", f"G = {G}; min squared output distance ≥ certified "
                                    "σ_min²·δ²: " + "; ".join(lines[:5]) + " …")


def separation_property(ctx: Context) -> EvidenceResult:
    """Random x ≠ y in [0,1]^h: ‖U(x − y)‖ ≥ √τ‖x − y‖ with τ certified, rounding of the float evaluation accounted."""

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
        return rhs / (lhs + slack), f"{config_label((mode, ac))} {h}→{hp} seed {s}"

    strategy = st.tuples(vst.size_pairs(20, direction="up"), st.sampled_from(UP_CONFIGS), st.integers(0, 2**32 - 1))
    return run_property(prop, strategy, ctx, quick=30, full=300, label="σ_min separation")



CLAIMS = (
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
            E("construction", exact_upsampling_rank, "exact rank over Q for every up pair of the profile; exact kernel "
                                                     "vectors (two inputs, equal outputs) for area down pairs"),
            E("certified", certified_sigma_min, "σ_min lower bound √τ: UᵀU − τI positive definite by exact LDLᵀ over "
                                                "Q"),
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
            E("certified", exact_grid_separation, "exact minimum of ‖U(x−y)‖² over all distinct grid pairs vs "
                                                  "certified τ·δ²"),
            E("numeric", separation_property, "Hypothesis: random pairs satisfy the bound, float rounding accounted"),
        ),
    ),
)
