"""Linear image operations X ↦ U_h X U_wᵀ per channel (blur, resize): their constant is the exact operator norm
of U_h ⊗ U_w (∞ → ∞: ‖U_h‖_∞‖U_w‖_∞, I3; 1 → 1: column sums; 2 → 2: certified σ_max bounds).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import torch

from ...errors import VarcheckError, require_choice, require_int
from ...exact.floating_point import gamma
from ...exact.interpolation import interpolation_matrix_1d
from ...theory.partition import INF
from .base import MAX_TARGET_ENTRIES, MAX_TARGET_SIDE, Target, _fmt_norm, _nd, _require_entries, _seed, _shape
from .norms import _fmpq_mat, _operator_norm, _require_norm, _rows


class SeparableLinear(Target):
    """X ↦ U_h X U_wᵀ on every channel of an (h, w, C) token map; exact rational U_h (h'×h), U_w (w'×w)."""

    def __init__(self, name, uh_rows, uw_rows, channels, norm=INF, *, extra=None):
        self.uh_rows, self.uw_rows = [list(r) for r in uh_rows], [list(r) for r in uw_rows]
        h, w = len(self.uh_rows[0]), len(self.uw_rows[0])
        hp, wp = len(self.uh_rows), len(self.uw_rows)
        norm = _require_norm(norm)
        lip = _operator_norm(self.uh_rows, norm) * _operator_norm(self.uw_rows, norm)
        super().__init__(name, (h, w, channels), (hp, wp, channels), lip, (norm, norm))
        self.extra = dict(extra or {})
        self._uh_q, self._uw_q = _fmpq_mat(self.uh_rows), _fmpq_mat(self.uw_rows)
        self.uh = torch.tensor([[float(v) for v in r] for r in self.uh_rows], dtype=torch.float64)
        self.uw = torch.tensor([[float(v) for v in r] for r in self.uw_rows], dtype=torch.float64)

    def _forward(self, x):
        chw = x.permute(0, 3, 1, 2)
        return (self.uh @ chw @ self.uw.T).permute(0, 2, 3, 1)

    def _error(self, x, input_error):
        chw = x.permute(0, 3, 1, 2).abs()
        h, w = self.input_shape[:2]
        mag = self.uh.abs() @ chw @ self.uw.abs().T
        # rounded entries (1+u)² and the two products (1+γ_h)(1+γ_w): together ≤ 1 + γ_{h+w+2}
        bound = gamma(h + w + 2) * mag
        if input_error is not None:
            bound = bound + self.uh.abs() @ input_error.permute(0, 3, 1, 2) @ self.uw.abs().T
        return (bound * (1 + gamma(h + w + 1))).permute(0, 2, 3, 1)

    def _channel(self, x, c, make):
        h, w, C = self.input_shape
        return make(h, w, [x[(i * w + j) * C + c] for i in range(h) for j in range(w)])

    def _exact(self, x):
        from flint import fmpq, fmpq_mat

        hp, wp, C = self.output_shape
        out = [None] * (hp * wp * C)
        for c in range(C):
            xm = self._channel(x, c, lambda h, w, e: fmpq_mat(h, w, [fmpq(*_nd(v)) for v in e]))
            y = self._uh_q * xm * self._uw_q.transpose()
            for i in range(hp):
                for j in range(wp):
                    out[(i * wp + j) * C + c] = Fraction(str(y[i, j]))
        return out

    def _ball(self, x):
        from flint import arb_mat

        hp, wp, C = self.output_shape
        uh, uw = arb_mat(self._uh_q), arb_mat(self._uw_q)
        out = [None] * (hp * wp * C)
        for c in range(C):
            xm = self._channel(x, c, lambda h, w, e: arb_mat(h, w, e))
            y = uh * xm * uw.transpose()
            for i in range(hp):
                for j in range(wp):
                    out[(i * wp + j) * C + c] = y[i, j]
        return out


def _blur_matrix(kernel, n) -> list:
    """Replicate-padded 1-D correlation with an odd kernel: out_i = Σ_t k_t x[clamp(i + t − r)]."""
    r = len(kernel) // 2
    rows = []
    for i in range(n):
        row = [Fraction(0)] * n
        for t, k in enumerate(kernel):
            row[min(max(i + t - r, 0), n - 1)] += k
        rows.append(row)
    return rows


#: Gains (ℓ1 norms of the 2-D kernel) a seeded blur draws from: a contraction, an average, an amplifier.
BLUR_GAINS = (Fraction(1, 2), Fraction(1), Fraction(2))


def blur(*, seed: int, side: int = 4, channels: int = 1, radius: int = 1, signed: bool = False, norm=INF) -> Target:
    """Separable blur k_h ⊗ k_w with replicate padding on (side, side, channels) maps.

    The seed draws integer kernel weights (in 0..4, or −3..4 when ``signed``) and a gain from BLUR_GAINS;
    the 2-D kernel has ℓ1 norm exactly the gain (recorded as ``kernel_l1``). The declared constant is the
    exact operator norm ‖B_h ⊗ B_w‖, ≤ ‖k‖₁ (equal for a non-negative kernel, where it is attained: an
    extremal target).
    """
    seed = _seed(seed)
    side = require_int("side", side, minimum=1, maximum=MAX_TARGET_SIDE)
    channels = require_int("channels", channels, minimum=1, maximum=MAX_TARGET_ENTRIES)
    _require_entries("side²·channels", side * side * channels)
    radius = require_int("radius", radius, minimum=0, maximum=8)
    if not isinstance(signed, bool):
        raise VarcheckError(f"signed must be True or False, got {signed!r}.")
    rng = np.random.default_rng([seed, 1])
    gain = BLUR_GAINS[int(rng.integers(len(BLUR_GAINS)))]
    kernels = []
    for _ in range(2):
        ints = [0]
        while not any(ints):
            ints = [int(v) for v in rng.integers(-3 if signed else 0, 5, size=2 * radius + 1)]
        total = sum(abs(v) for v in ints)
        kernels.append([Fraction(v, total) for v in ints])
    kernels[0] = [gain * v for v in kernels[0]]
    p = _require_norm(norm)
    name = (f"blur(seed={seed},side={side},channels={channels},radius={radius},signed={int(signed)},"
            f"norm={_fmt_norm(p).replace('∞', 'inf')})")
    t = SeparableLinear(name, _blur_matrix(kernels[0], side), _blur_matrix(kernels[1], side), channels, p,
                        extra={"kernel_h": kernels[0], "kernel_w": kernels[1]})
    t.kernel_l1 = sum(abs(v) for v in kernels[0]) * sum(abs(v) for v in kernels[1])
    return t


RESIZE_MODES = ("nearest", "bilinear", "bicubic", "area")


def resize(
    *, seed: int, mode: str = "bicubic", src=None, dst=None, channels: int = 1, max_side: int = 8, norm=INF
) -> Target:
    """VAR's resizes (torch semantics, exact operators of docs/theory.md §2.1) on (h, w, channels) maps.

    Without ``src``/``dst`` the seed draws a square size pair with sides ≤ max_side: up-sampling for
    bicubic/bilinear/nearest (VAR's p → 16), down-sampling for area (VAR's 16 → p). The constant is the
    exact ‖U_h ⊗ U_w‖ (∞: the I3 norms, 1 for area, ≤ 121/64 for bicubic).
    """
    seed = _seed(seed)
    require_choice("mode", mode, RESIZE_MODES)
    channels = require_int("channels", channels, minimum=1, maximum=MAX_TARGET_ENTRIES)
    max_side = require_int("max_side", max_side, minimum=2, maximum=MAX_TARGET_SIDE)
    if (src is None) != (dst is None):
        raise VarcheckError("src and dst must be given together (or both left to the seed).")
    if src is None:
        rng = np.random.default_rng([seed, 2])
        a, b = sorted(int(v) for v in rng.choice(np.arange(1, max_side + 1), size=2, replace=False))
        small, large = a, b
        src, dst = ((large, large), (small, small)) if mode == "area" else ((small, small), (large, large))
    src, dst = _shape("src", src), _shape("dst", dst)
    if len(src) != 2 or len(dst) != 2:
        raise VarcheckError(f"src and dst must be (h, w) pairs, got {src!r} and {dst!r}.")
    if max(*src, *dst) > MAX_TARGET_SIDE:
        raise VarcheckError(f"src and dst sides must be at most {MAX_TARGET_SIDE}, got {src!r} and {dst!r}.")
    _require_entries("src·channels", src[0] * src[1] * channels)
    _require_entries("dst·channels", dst[0] * dst[1] * channels)
    uh = interpolation_matrix_1d(src[0], dst[0], mode, exact=True)
    uw = interpolation_matrix_1d(src[1], dst[1], mode, exact=True)
    p = _require_norm(norm)
    name = (f"resize(seed={seed},mode={mode},src={src[0]}x{src[1]},dst={dst[0]}x{dst[1]},channels={channels},"
            f"norm={_fmt_norm(p).replace('∞', 'inf')})")
    return SeparableLinear(name, _rows(uh), _rows(uw), channels, p, extra={"mode": mode})
