"""Pixel-wise maps with slope ≤ s (tanh(sx), a clipped contrast stretch, a rational gamma-like tone curve): s,
for every α = β.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import torch

from ...errors import VarcheckError, require_choice
from ...exact.floating_point import gamma
from ...exact.quantizer import exact_rational
from ...theory.partition import INF, parse_exponent
from .base import TANH_ABS_ERROR, Target, _arb_clip01, _fmt_norm, _nd, _seed, _shape

#: Slopes a seeded pixel-wise map draws from (its Lipschitz constant is the slope).
PIXEL_SLOPES = (Fraction(1, 2), Fraction(3, 4), Fraction(1), Fraction(3, 2), Fraction(2))


class Pixelwise(Target):
    """y = φ(x) entrywise with |φ'| ≤ s: Lipschitz s for every α = β (|Δy_j| ≤ s|Δx_j|)."""

    KINDS = ("tanh", "clip", "gamma")

    def __init__(self, name, kind, shape, slope, norm=INF):
        self.kind = require_choice("kind", kind, self.KINDS)
        self.slope = Fraction(slope)
        p = parse_exponent("norm", norm)
        # tanh(s x): s;  clip(s(x − ½) + ½, 0, 1): s;  gamma (1+k)x/(1+k|x|) with k = s − 1: s (at x = 0)
        super().__init__(name, shape, shape, self.slope, (p, p))
        self.rational = kind != "tanh"
        self._s = float(self.slope)

    def _forward(self, x):
        s = self._s
        if self.kind == "tanh":
            return torch.tanh(s * x)
        if self.kind == "clip":
            return torch.clamp(s * (x - 0.5) + 0.5, 0.0, 1.0)
        k = float(self.slope - 1)
        return (1 + k) * x / (1 + k * x.abs())

    def _error(self, x, input_error):
        s = self._s
        if self.kind == "tanh":
            # |fl(s̃x) − sx| ≤ γ₂|s||x|, tanh is 1-Lipschitz, then torch.tanh's own error
            bound = gamma(2) * s * x.abs() + TANH_ABS_ERROR
        elif self.kind == "clip":
            # x − ½, ·s̃, + ½: three roundings on magnitudes ≤ s(|x| + ½) + ½; clamping is exact and 1-Lipschitz
            bound = gamma(4) * (s * (x.abs() + 0.5) + 0.5)
        else:
            # k̃, 1 + k̃, ·x (numerator: (1+u)³); k̃|x|, 1 + · (denominator ≥ 1: (1+u)³ relative); ÷ (1+u):
            # relative error ≤ (1+u)⁴/(1−u)³ − 1 ≤ γ₈, on |y| ≤ s|x|
            bound = gamma(8) * s * x.abs()
        if input_error is not None:
            bound = bound + s * input_error
        return bound * (1 + gamma(3))

    def _exact(self, x):
        s = self.slope
        if self.kind == "clip":
            return [min(max(s * (v - Fraction(1, 2)) + Fraction(1, 2), Fraction(0)), Fraction(1)) for v in x]
        k = s - 1
        return [(1 + k) * v / (1 + k * abs(v)) for v in x]

    def _ball(self, x):
        from flint import arb, fmpq

        s = arb(fmpq(*_nd(self.slope)))
        if self.kind == "tanh":
            return [(s * v).tanh() for v in x]
        if self.kind == "clip":
            half = arb(fmpq(1, 2))
            return [_arb_clip01(s * (v - half) + half) for v in x]
        k = s - 1
        return [(1 + k) * v / (1 + k * abs(v)) for v in x]


def _pixelwise(kind, seed, shape, slope, norm):
    seed = _seed(seed)
    shape = _shape("shape", shape)
    if slope is None:
        slope = PIXEL_SLOPES[int(np.random.default_rng([seed, 3]).integers(len(PIXEL_SLOPES)))]
    slope = exact_rational("slope", slope)
    if slope <= 0 or (kind == "gamma" and slope < 1):
        low = "≥ 1" if kind == "gamma" else "> 0"
        raise VarcheckError(f"slope must be a rational {low} for a {kind} map, got {slope}.")
    p = parse_exponent("norm", norm)
    name = (f"{kind}_map(seed={seed},shape={'x'.join(map(str, shape))},slope={slope},"
            f"norm={_fmt_norm(p).replace('∞', 'inf')})")
    return Pixelwise(name, kind, shape, slope, p)


def tanh_map(*, seed: int, shape=(4, 4, 1), slope=None, norm=INF) -> Target:
    """x ↦ tanh(s·x) entrywise (Lipschitz s; the seed draws s from PIXEL_SLOPES unless given)."""
    return _pixelwise("tanh", seed, shape, slope, norm)


def clip_map(*, seed: int, shape=(4, 4, 1), slope=None, norm=INF) -> Target:
    """x ↦ clip(s(x − ½) + ½, 0, 1) entrywise: a contrast stretch with clipping (Lipschitz s)."""
    return _pixelwise("clip", seed, shape, slope, norm)


def gamma_map(*, seed: int, shape=(4, 4, 1), slope=None, norm=INF) -> Target:
    """x ↦ (1+k)x/(1+k|x|), k = s − 1 ≥ 0: a rational gamma-like tone curve, slope s at 0 (its maximum)."""
    if slope is None:
        slope = PIXEL_SLOPES[int(np.random.default_rng([_seed(seed), 3]).integers(2, len(PIXEL_SLOPES)))]
    return _pixelwise("gamma", seed, shape, slope, norm)
