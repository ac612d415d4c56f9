"""Word-to-image targets: a smooth field over a pyramid parametrised by a word x, Σ_j A_cj tanh(⟨B_j, x⟩ + P_tj)
with tanh' ≤ 1, so Lip ≤ max_c Σ_j |A_cj|‖B_j‖₁ (∞ → ∞).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import torch

from ...errors import VarcheckError, require_int
from ...exact.floating_point import gamma
from ...theory.pyramid import PRESETS, Pyramid
from ..feedforward import affine_rounding_factor
from .base import (
    MAX_FIELD_FEATURES,
    MAX_RELU_WEIGHTS,
    MAX_TARGET_ENTRIES,
    TANH_ABS_ERROR,
    Target,
    _nd,
    _require_entries,
    _seed,
)


class SmoothField(Target):
    """y_{t,c} = Σ_j A_cj tanh(⟨B_j, x⟩ + P_tj) on the tokens t of a pyramid, for a word x ∈ R^{1×d}."""

    rational = False

    def __init__(self, name, pyramid, A, B, P):
        self.pyramid = pyramid
        self.A, self.B, self.P = A, B, P  # C×J, J×d, L×J (Fractions)
        C, J, d = len(A), len(B), len(B[0])
        lip = max(sum(abs(A[c][j]) * sum(abs(v) for v in B[j]) for j in range(J)) for c in range(C))
        super().__init__(name, (1, d), (pyramid.length, C), lip)
        self._A = torch.tensor([[float(v) for v in r] for r in A], dtype=torch.float64)
        self._B = torch.tensor([[float(v) for v in r] for r in B], dtype=torch.float64)
        self._P = torch.tensor([[float(v) for v in r] for r in P], dtype=torch.float64)

    def _forward(self, x):
        z = (x @ self._B.T) + self._P  # (B, 1, J) + (L, J) → (B, L, J)
        return torch.tanh(z) @ self._A.T

    def _error(self, x, input_error):
        J, d = len(self.B), len(self.B[0])
        absB, absA = self._B.abs().T, self._A.abs().T
        ez = affine_rounding_factor(d) * (x.abs() @ absB + self._P.abs())
        if input_error is not None:
            ez = ez + input_error @ absB
        ez = ez * (1 + gamma(d + 2))
        t = torch.tanh(x @ self._B.T + self._P)
        et = ez + TANH_ABS_ERROR
        ey = affine_rounding_factor(J) * (t.abs() @ absA) + et @ absA
        return ey * (1 + gamma(J + 2))

    def _ball(self, x):
        from flint import arb, fmpq

        def q(v):
            return arb(fmpq(*_nd(v)))

        J, d = len(self.B), len(self.B[0])
        A = [[q(v) for v in r] for r in self.A]
        proj = [sum((x[i] * q(self.B[j][i]) for i in range(d)), arb(0)) for j in range(J)]
        out = []
        for prow in self.P:
            th = [(proj[j] + q(prow[j])).tanh() for j in range(J)]
            out += [sum((A[c][j] * th[j] for j in range(J)), arb(0)) for c in range(len(A))]
        return out


def _as_pyramid(pyramid) -> Pyramid:
    if isinstance(pyramid, Pyramid):
        return pyramid
    if isinstance(pyramid, str):
        try:
            return Pyramid.parse(pyramid)
        except VarcheckError:
            raise VarcheckError(f"pyramid must be a Pyramid, a preset ({', '.join(PRESETS)}) or sides like '1-2-4', "
                                f"'1x2-2x4' or '[1,2,4]', got {pyramid!r}.") from None
    return Pyramid(pyramid)


def smooth_field(*, seed: int, pyramid, d: int, channels: int | None = None, features: int = 4) -> Target:
    """A word-to-image target: a smooth field over every token of ``pyramid``, parametrised by x ∈ [0,1]^{1×d}.

    Token t at pixel (i, j) of an h×w scale has centre (u, v) = ((i+½)/h, (j+½)/w); feature j has phase
    P_tj = ω_j u + ν_j v + φ_j. The seed draws B (features × d, entries k/4, k ∈ −4..4), A (channels ×
    features, k/(2·features)), ω, ν ∈ {−3..3} and φ ∈ {−2..2}/4, all rational. Constant (∞ → ∞):
    max_c Σ_j |A_cj|·‖B_j‖₁, since tanh is 1-Lipschitz.
    """
    seed = _seed(seed)
    pyr = _as_pyramid(pyramid)
    d = require_int("d", d, minimum=1, maximum=MAX_TARGET_ENTRIES)
    channels = d if channels is None else require_int("channels", channels, minimum=1, maximum=MAX_TARGET_ENTRIES)
    features = require_int("features", features, minimum=1, maximum=MAX_FIELD_FEATURES)
    _require_entries(f"the pyramid's L = {pyr.length} tokens times channels = {channels}", pyr.length * channels)
    _require_entries("features·d", features * d)
    if pyr.length * features > MAX_RELU_WEIGHTS:
        raise VarcheckError(f"a smooth field on {pyr.length} tokens with {features} features needs "
                            f"{pyr.length * features} phases, above the limit of {MAX_RELU_WEIGHTS} (lower features or "
                            "use a smaller pyramid).")
    rng = np.random.default_rng([seed, 5])
    B = [[Fraction(int(v), 4) for v in row] for row in rng.integers(-4, 5, size=(features, d))]
    A = [[Fraction(int(v), 2 * features) for v in row] for row in rng.integers(-4, 5, size=(channels, features))]
    omega, nu = rng.integers(-3, 4, size=features), rng.integers(-3, 4, size=features)
    phi = rng.integers(-2, 3, size=features)
    P = []
    for h, w in pyr.scales:
        for i in range(h):
            for j in range(w):
                u, v = Fraction(2 * i + 1, 2 * h), Fraction(2 * j + 1, 2 * w)
                P.append([int(omega[k]) * u + int(nu[k]) * v + Fraction(int(phi[k]), 4) for k in range(features)])
    name = f"smooth_field(seed={seed},pyramid={pyr.label},d={d},channels={channels},features={features})"
    return SmoothField(name, pyr, A, B, P)
