"""Evidence for the universality claims built so far: T2 word-to-image, F4 (no positional codes) and F9
(attention is not needed for word-to-image)."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np
from hypothesis import strategies as st

from ..exact.floating_point import gamma
from ..spec.pyramid import Pyramid
from ..spec.registry import Context, EvidenceResult
from .properties import run_property

#: The T2 instance of THEORY.md §6.2 / the issue: var256, d = 2, two channels, ε = 10⁻² per entry in d̄_2.
T2_EPS = Fraction(1, 100)
T2_P = 2


def _t2(ctx: Context, attention="identity", positional=True):
    """The T2 target and its approximator (built once per seed and variant: a build takes seconds)."""
    return _t2_cached(ctx.seed, attention, positional)


@lru_cache(maxsize=4)
def _t2_cached(seed, attention, positional):
    from ..runtime import targets as T
    from ..runtime.approximator import build_var_approximator

    pyr = Pyramid.preset("var256")
    target = T.smooth_field(seed=seed, pyramid=pyr, d=2, channels=2)
    return target, build_var_approximator(target, pyr, T2_EPS, p=T2_P, setting="word_to_image",
                                          attention=attention, positional=positional)


def _bad(x, plan) -> bool:
    """Whether a word lies in the quantizer's ramps (gδ − η, gδ) for some coordinate (exact test)."""
    for v in x:
        q = Fraction(float(v))
        g = math.ceil(q * plan.G)  # smallest grid index with gδ ≥ q
        if 1 <= g <= plan.G - 1 and Fraction(g, plan.G) - plan.eta < q < Fraction(g, plan.G):
            return True
    return False


def word_to_image_certificate(ctx: Context) -> EvidenceResult:
    """Build T2 on var256 (d = 2, ε = 10⁻² per entry) and certify d̄_2 ≤ ε from the ledger in ball arithmetic."""
    target, approx = _t2(ctx)
    cert = approx.certificate()
    ok = cert["certified"]
    return EvidenceResult(
        "passed" if ok else "failed",
        f"{target.name}: G = {approx.plan.G}, η = {approx.plan.eta}, L_f = {approx.plan.lipschitz}, parameters "
        f"{approx.constants['parameter_count']}; ledger {', '.join(f'{k} {v:.3g}' for k, v in approx.ledger.items())}; "
        f"certified d̄_2 ≤ {cert['lp_bound']:.6g} (d_2 ≤ {cert['lp_bound_unnormalised']:.4g}) vs ε = {float(T2_EPS)}",
        observed=cert["lp_bound"], bound=float(T2_EPS),
    )


def word_to_image_samples(ctx: Context) -> EvidenceResult:
    """Hypothesis over words x: off the ramps every entry error ≤ the certified interior sup bound; on a ramp
    ≤ the bad-set sup bound (M plus rounding). The target search pushes the error towards the bound."""
    import torch

    target, approx = _t2(ctx)
    cert = approx.certificate()
    plan = approx.plan

    def prop(example):
        a, b, near = example
        x = np.array([a, b], dtype=np.float64)
        if near:  # land inside a ramp: just below a grid point
            x = np.clip(np.floor(x * plan.G) / plan.G - float(plan.eta) / 2, 0, 1)
        t = torch.from_numpy(x).reshape(1, 1, 2)
        err = float((approx.module(t) - target(t)).abs().max())
        bound = cert["bad_set_sup_bound"] if _bad(x, plan) else cert["sup_interior_bound"]
        return err / bound, f"x = {x.tolist()} ({'ramp' if _bad(x, plan) else 'interior'})"

    strategy = st.tuples(st.floats(0, 1), st.floats(0, 1), st.booleans())
    return run_property(prop, strategy, ctx, quick=12, full=120, label="T2 entry error / certified sup bound")


def attention_not_needed(ctx: Context) -> EvidenceResult:
    """F9: the construction with the contextual SA and with SA = identity produce bit-identical outputs, and
    both certify the same ledger (the SA writes only into a channel FF₂ does not read)."""
    import torch

    target, ident = _t2(ctx, attention="identity")
    _, ctxmap = _t2(ctx, attention="contextual")
    x = torch.rand(6, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(ctx.seed))
    same = torch.equal(ident.module(x), ctxmap.module(x))
    both = ident.certificate()["certified"] and ctxmap.certificate()["certified"]
    return EvidenceResult(
        "passed" if same and both else "failed",
        f"contextual SA (c = {ctxmap.constants['attention_c']}, M = {ctxmap.constants['attention_M']}) vs identity: outputs "
        f"{'bit-identical' if same else 'DIFFER'} on 6 words; both certified d̄_2 ≤ {ident.certificate()['lp_bound']:.4g} ≤ ε",
    )


def no_positional_codes_lower_bound(ctx: Context) -> EvidenceResult:
    """F4: without E every output token is the same function of x, so for each channel the per-entry error is at
    least the spread of the target across positions: d̄_2(f, g)² ≥ ∫ (1/L) Σ_t (f_t(x) − mean_t f(x))² dx. A
    certified lower bound: on each cell of a grid, the positional standard deviation moves by at most L_f·δ/2
    from its value at the centre (it is 1-Lipschitz in the sup norm of f)."""
    import torch

    from ..runtime import targets as T

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
        f"any position-independent approximator has d̄_2 ≥ {lower:.4f} > ε = {float(T2_EPS)} on {target.name} "
        f"(certified on a {G}×{G} grid of cells)",
        observed=lower, bound=float(T2_EPS),
        counterexample={"target": target.name, "lower_bound_d2_per_entry": f"{lower:.6f}", "eps": str(T2_EPS)},
    )
