"""The sampled Lipschitz check of a target (docs/theory.md §0): every builder refuses a target whose declared constant a
sampled pair certifiably violates, float rounding accounted."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ...errors import VarcheckError, require_int
from ...exact.floating_point import gamma
from ...theory.partition import INF
from .base import Target, _fmt_norm

__all__ = ["LipschitzCheck", "check_lipschitz", "flat_norm"]


@dataclass(frozen=True)
class LipschitzCheck:
    """Outcome of :func:`check_lipschitz`: the largest sampled ratio ‖Δf‖_β/(L‖Δx‖_α) and the pair count."""

    target: str
    pairs: int
    worst_ratio: float
    lipschitz: Fraction


def flat_norm(x, p):
    """The p-norm of each example of a batch (all axes but the first flattened)."""
    flat = x.reshape(x.shape[0], -1).abs()
    if p == INF:
        return flat.max(dim=1).values
    return flat.pow(float(p)).sum(dim=1).pow(1 / float(p))


def check_lipschitz(target, *, pairs: int = 256, seed: int = 0, radii=(1.0, 2.0**-4, 2.0**-12)) -> LipschitzCheck:
    """Sample pairs and raise VarcheckError if any certifiably violates the declared constant.

    Pairs are x ~ U[0,1]^shape and y = x + r·s with s ~ U[−1,1]^shape and r cycling through ``radii``. In
    float64, ‖f̃(x) − f̃(y)‖_β ≤ (1+γ)‖f(x) − f(y)‖_β + (1+γ)(e(x) + e(y)) with e the target's proved rounding
    bound; a violation is reported only when even the exact values must exceed L‖x − y‖_α.
    """
    import torch

    if not isinstance(target, Target):
        raise VarcheckError(f"target must be a varcheck Target, got {type(target).__name__}.")
    pairs = require_int("pairs", pairs, minimum=1)
    seed = require_int("seed", seed, minimum=0)
    gen = torch.Generator().manual_seed(seed)
    shape = (pairs,) + target.input_shape
    x = torch.rand(shape, generator=gen, dtype=torch.float64)
    r = torch.tensor([radii[i % len(radii)] for i in range(pairs)], dtype=torch.float64).reshape(
        (pairs,) + (1,) * len(target.input_shape)
    )
    y = x + r * (2 * torch.rand(shape, generator=gen, dtype=torch.float64) - 1)
    alpha, beta = target.norms
    num = flat_norm(target(x) - target(y), beta)
    den = flat_norm(x - y, alpha)
    ex, ey = target.rounding_bound(x), target.rounding_bound(y)
    n_out, n_in = target.output_size, target.input_size
    lip = float(target.lipschitz) * (1 + gamma(1))
    # exact ‖f(x)−f(y)‖ ≥ num/(1+γ) − e(x) − e(y);  exact ‖x − y‖ ≤ den·(1+γ)
    lower = num / (1 + gamma(n_out + 6)) - (ex + ey) * (1 + gamma(2))
    upper_allowed = lip * den * (1 + gamma(n_in + 6))
    scale = float(target.lipschitz) if target.lipschitz > 0 else 1.0
    ratio = torch.where(den > 0, num / (scale * den), torch.zeros_like(num))
    bad = (lower > upper_allowed).nonzero().flatten()
    if len(bad):
        i = int(bad[torch.argmax(ratio[bad])])
        raise VarcheckError(
            f"target {target.name} is not {target.lipschitz}-Lipschitz ({_fmt_norm(alpha)} → {_fmt_norm(beta)}): "
            f"sampled pair {i} has ‖f(x) − f(y)‖/‖x − y‖ = {float(num[i] / den[i]):.6g}, "
            f"{float(ratio[i]):.6g} times the declared constant, beyond float rounding.")
    return LipschitzCheck(target.name, pairs, float(ratio.max()), target.lipschitz)
