"""Lipschitz targets with certified constants (THEORY.md §0 and §4): the maps f the partition step approximates.

A :class:`Target` is an L-Lipschitz map from (R^{input_shape}, ‖·‖_α) to (R^{output_shape}, ‖·‖_β) (entrywise
norms of flattened arrays; default α = β = ∞) whose constant ``lipschitz`` is an exact rational *upper
bound proved from the construction*, never a sampled estimate:

* linear image operations (blur, resize) X ↦ U_h X U_wᵀ per channel: the exact operator norm of U_h ⊗ U_w
  (∞ → ∞: ‖U_h‖_∞‖U_w‖_∞, I3; 1 → 1: column sums; 2 → 2: certified σ_max bounds);
* ReLU networks x ↦ A_k(ReLU(…ReLU(xA_1 + b_1)…)): the Jacobian is A_1D_1A_2…A_k with diagonal
  0 ≤ D ≤ I, so |J| ≤ |A_1|…|A_k| =: P entrywise and Lip ≤ ‖P‖ (∞: exact; 2: certified, also ≤ Π‖A_i‖₂);
* pixel-wise maps with slope ≤ s (tanh(sx), a clipped contrast stretch, a rational gamma-like tone curve):
  s, for every α = β;
* a smooth field over a pyramid parametrised by a word x (word-to-image): Σ_j A_cj tanh(⟨B_j, x⟩ + P_tj)
  with tanh' ≤ 1: max_c Σ_j |A_cj|‖B_j‖₁ (∞ → ∞);
* compositions: the product of the constants (norms must chain).

Every target runs on torch tensors (float64) of shape (B, *input_shape) and returns (B, *output_shape).
It also evaluates one example exactly (:meth:`Target.exact`, rational targets) or in ball arithmetic
(:meth:`Target.ball`, all targets), and bounds its own float64 rounding entrywise
(:meth:`Target.entrywise_error`, THEORY/DESIGN: floats are compared against bounds, not tolerances).
The rounding analysis is Higham's (varcheck.exact.floating_point); ``torch.tanh`` is assumed accurate to
:data:`TANH_MAX_ULPS` units in the last place (a documented libm property, tested against arb).
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from fractions import Fraction

import numpy as np
import torch

from ..errors import VarcheckError, require_choice, require_int, require_rational_text
from ..exact.floating_point import UNIT_ROUNDOFF, gamma
from ..exact.injectivity import is_positive_definite
from ..exact.interpolation import interpolation_matrix_1d
from ..exact.quantizer import exact_rational
from ..spec.partition import INF, parse_exponent
from ..spec.pyramid import PRESETS, Pyramid
from .feedforward import ReluMLP, affine_rounding_factor, as_float64

__all__ = [
    "Target",
    "TANH_MAX_ULPS",
    "TARGET_FACTORIES",
    "relu_network",
    "blur",
    "resize",
    "tanh_map",
    "clip_map",
    "gamma_map",
    "image_pipeline",
    "smooth_field",
    "compose",
    "target_from_name",
    "cell_centres",
    "grid_approximation",
    "spectral_norm_upper",
]

#: Accuracy assumed of torch.tanh in float64, in ulps: torch's CPU kernel uses SLEEF's ``tanh_u10`` (≤ 1.0 ulp)
#: in its vectorised path and the C library's ``tanh`` (glibc lists ≤ 2 ulp for double on x86-64 and
#: aarch64) otherwise. Since |tanh| ≤ 1 and ulp(y) ≤ 2⁻⁵² for |y| ≤ 1, the absolute error is ≤ TANH_MAX_ULPS·2⁻⁵².
#: tests/test_targets.py measures torch.tanh against arb enclosures so that a platform violating this fails.
TANH_MAX_ULPS = 2
TANH_ABS_ERROR = TANH_MAX_ULPS * 2.0**-52

#: Ball-arithmetic working precision (bits) of :meth:`Target.ball`; enclosures are rigorous at any precision,
#: this one keeps their radii near 2⁻¹²⁰ for the sizes used here.
BALL_PREC = 128

#: Relative slack above the float estimate when proposing a rational spectral-norm bound; any positive value is
#: sound (the exact LDLᵀ test proves the bound), this keeps it within 10⁻⁹ of σ_max.
SPECTRAL_SLACK = Fraction(1, 10**9)
#: Bits of the dyadic denominator of a proposed spectral bound (keeps the exact numbers short; any value is sound).
SPECTRAL_BITS = 40

#: Dekker's splitting constant 2²⁷ + 1 (exact two-product without FMA).
_SPLITTER = 134217729.0
#: Largest grid for :func:`cell_centres`: G < 2²⁶ fits half a mantissa, so x_hi·G and x_lo·G are exact.
MAX_TORCH_GRID = 2**26 - 1
#: Bounds of a target, refused up front: entries of one input or output example, the side of an image
#: target, and the weights and shape of a ReLU network / smooth field.
MAX_TARGET_ENTRIES = 2**16
MAX_TARGET_SIDE = 256
MAX_RELU_WIDTH, MAX_RELU_DEPTH, MAX_RELU_WEIGHTS = 4096, 64, 2**20
MAX_FIELD_FEATURES = 256


@contextmanager
def _precision(bits: int):
    from flint import ctx

    old = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = old


def _fmt_norm(p) -> str:
    return "∞" if p == INF else str(p)


def _shape(name, shape) -> tuple:
    try:
        items = tuple(shape)
    except TypeError:
        raise VarcheckError(f"{name} must be a tuple of positive integers, got {shape!r}.") from None
    if not items:
        raise VarcheckError(f"{name} must be a non-empty tuple of positive integers, got {shape!r}.")
    out = tuple(require_int(f"{name}[{i}]", s, minimum=1, maximum=MAX_TARGET_ENTRIES) for i, s in enumerate(items))
    _require_entries(name, math.prod(out))
    return out


def _require_entries(name: str, count: int) -> None:
    if count > MAX_TARGET_ENTRIES:
        raise VarcheckError(f"{name} gives {count} entries per example, above the limit of {MAX_TARGET_ENTRIES}.")


def _vector_norm(err: torch.Tensor, beta) -> torch.Tensor:
    """β-norm over all but the batch axis, rounded up by a γ factor for its own evaluation."""
    flat = err.reshape(err.shape[0], -1)
    if beta == INF:
        return flat.max(dim=1).values
    b = float(beta)
    return flat.pow(b).sum(dim=1).pow(1 / b) * (1 + gamma(flat.shape[1] + 4))


def _arb_relu(z):
    return (z + abs(z)) / 2


def _arb_clip01(z):
    return (abs(z) - abs(z - 1) + 1) / 2


# --------------------------------------------------------------------------- the base class


class Target:
    """A Lipschitz map with a certified constant; subclasses implement the four evaluation paths."""

    rational: bool = True

    def __init__(self, name, input_shape, output_shape, lipschitz, norms=(INF, INF)):
        self.name = str(name)
        self.input_shape = _shape("input_shape", input_shape)
        self.output_shape = _shape("output_shape", output_shape)
        self.lipschitz = Fraction(lipschitz)
        alpha, beta = norms
        self.norms = (parse_exponent("alpha", alpha), parse_exponent("beta", beta))

    # sizes
    @property
    def input_size(self) -> int:
        return math.prod(self.input_shape)

    @property
    def output_size(self) -> int:
        return math.prod(self.output_shape)

    def __repr__(self):
        a, b = self.norms
        return (f"<Target {self.name}: {self.input_shape} → {self.output_shape}, "
                f"Lip ≤ {self.lipschitz} ({_fmt_norm(a)} → {_fmt_norm(b)})>")

    # float64 torch path
    def check_input(self, x) -> torch.Tensor:
        """x as float64 of shape (B, *input_shape), or a VarcheckError naming the expected shape."""
        x = as_float64(x)
        if x.ndim != len(self.input_shape) + 1 or tuple(x.shape[1:]) != self.input_shape:
            raise VarcheckError(f"x must have shape (B, {', '.join(map(str, self.input_shape))}) for target "
                                f"{self.name}, got {tuple(x.shape)}.")
        return x

    def __call__(self, x) -> torch.Tensor:
        return self._forward(self.check_input(x))

    def entrywise_error(self, x, input_error=None) -> torch.Tensor:
        """Entrywise bound on |f̃(x̃) − f(x)| for the float evaluation at x̃, given |x̃ − x| ≤ input_error."""
        x = self.check_input(x)
        if input_error is not None:
            input_error = as_float64(input_error, "input_error")
            if tuple(input_error.shape) != tuple(x.shape):
                raise VarcheckError(f"input_error must have the shape of x, {tuple(x.shape)}, got {tuple(input_error.shape)}.")
        return self._error(x, input_error)

    def rounding_bound(self, x, input_error=None) -> torch.Tensor:
        """(B,) bound on ‖f̃(x̃) − f(x)‖_β (β = norms[1])."""
        return _vector_norm(self.entrywise_error(x, input_error), self.norms[1])

    def output_norm(self, y) -> torch.Tensor:
        """(B,) β-norms of non-negative (B, *output_shape) arrays (e.g. entrywise bounds), rounded up by γ."""
        y = as_float64(y, "y")
        if tuple(y.shape[1:]) != self.output_shape:
            raise VarcheckError(f"y must have shape (B, {', '.join(map(str, self.output_shape))}), got {tuple(y.shape)}.")
        return _vector_norm(y.abs(), self.norms[1])

    # exact paths
    def _flat_input(self, x) -> list:
        items = list(np.asarray(x, dtype=object).reshape(-1)) if not isinstance(x, (list, tuple)) else list(x)
        if len(items) != self.input_size:
            raise VarcheckError(f"x must hold {self.input_size} entries (input_shape {self.input_shape}, row-major) "
                                f"for target {self.name}, got {len(items)}.")
        return items

    def exact(self, x) -> tuple:
        """f(x) over Q for a flat (row-major) sequence of rationals; raises for transcendental targets."""
        if not self.rational:
            raise VarcheckError(f"target {self.name} is not rational (it uses tanh); use .ball(x) for an enclosure.")
        items = [exact_rational("x", v) for v in self._flat_input(x)]
        return tuple(self._exact(items))

    def ball(self, x, prec: int = BALL_PREC) -> tuple:
        """Ball-arithmetic enclosures of f(x) (flint ``arb``) for a flat sequence of rationals or arbs."""
        from flint import arb, fmpq

        prec = require_int("prec", prec, minimum=16)
        items = self._flat_input(x)
        with _precision(prec):
            balls = [v if isinstance(v, arb) else arb(fmpq(*_nd(exact_rational("x", v)))) for v in items]
            return tuple(self._ball(balls))

    # to be implemented
    def _forward(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    def _error(self, x, input_error):  # pragma: no cover - abstract
        raise NotImplementedError

    def _exact(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    def _ball(self, x):  # pragma: no cover - abstract
        raise NotImplementedError


def _nd(q: Fraction) -> tuple:
    return q.numerator, q.denominator


# --------------------------------------------------------------------------- exact norms


def _fmpq_mat(rows):
    from flint import fmpq, fmpq_mat

    rows = [list(r) for r in rows]
    return fmpq_mat(len(rows), len(rows[0]), [fmpq(*_nd(Fraction(v))) for r in rows for v in r])


def _rows(m) -> list:
    return [[Fraction(str(m[i, j])) for j in range(m.ncols())] for i in range(m.nrows())]


def _row_sum_norm(rows) -> Fraction:
    return max(sum(abs(v) for v in r) for r in rows)


def _col_sum_norm(rows) -> Fraction:
    return max(sum(abs(r[j]) for r in rows) for j in range(len(rows[0])))


def spectral_norm_upper(rows) -> Fraction:
    """A rational s ≥ σ_max(A), proved by exact LDLᵀ: s²I − AᵀA positive definite over Q."""
    a = _fmpq_mat(rows)
    g = a.transpose() * a
    neg = -g
    dense = np.array([[float(v) for v in r] for r in rows], dtype=float)
    estimate = float(np.linalg.norm(dense, 2)) if dense.size else 0.0
    # a short dyadic just above the estimate (the exact test below is the proof)
    s = Fraction(math.ceil(Fraction(estimate) * (1 + SPECTRAL_SLACK) * 2**SPECTRAL_BITS) + 1, 2**SPECTRAL_BITS)
    while not is_positive_definite(neg, -(s * s)):
        s *= 1 + 1000 * SPECTRAL_SLACK
    return s


def _operator_norm(rows, norm) -> Fraction:
    """‖A‖ from ‖·‖_p to ‖·‖_p for column vectors (y = A x): ∞ row sums, 1 column sums, 2 certified σ_max."""
    if norm == INF:
        return _row_sum_norm(rows)
    if norm == 1:
        return _col_sum_norm(rows)
    return spectral_norm_upper(rows)


def _require_norm(norm, allowed=(INF, Fraction(1), Fraction(2))):
    p = parse_exponent("norm", norm)
    if p not in allowed:
        raise VarcheckError(f"norm must be one of {', '.join(_fmt_norm(a) for a in allowed)} for this target, got {norm!r}.")
    return p


def _seed(seed) -> int:
    return require_int("seed", seed, minimum=0)


# --------------------------------------------------------------------------- linear image operations


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
    name = f"blur(seed={seed},side={side},channels={channels},radius={radius},signed={int(signed)},norm={_fmt_norm(p).replace('∞', 'inf')})"
    t = SeparableLinear(name, _blur_matrix(kernels[0], side), _blur_matrix(kernels[1], side), channels, p,
                        extra={"kernel_h": kernels[0], "kernel_w": kernels[1]})
    t.kernel_l1 = sum(abs(v) for v in kernels[0]) * sum(abs(v) for v in kernels[1])
    return t


RESIZE_MODES = ("nearest", "bilinear", "bicubic", "area")


def resize(*, seed: int, mode: str = "bicubic", src=None, dst=None, channels: int = 1, max_side: int = 8, norm=INF) -> Target:
    """VAR's resizes (torch semantics, exact operators of THEORY.md §2.1) on (h, w, channels) maps.

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


# --------------------------------------------------------------------------- pixel-wise maps


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


# --------------------------------------------------------------------------- ReLU networks


class ReluNetwork(Target):
    """A ReLU MLP on the flattened input (row convention x ↦ xA + b), reshaped to output_shape."""

    def __init__(self, name, input_shape, output_shape, layers, norm=INF):
        self.mlp = ReluMLP(layers)
        p = _require_norm(norm, (INF, Fraction(2)))
        # row convention y = xP: as an operator on column vectors it is Pᵀ
        abs_product = None
        for w, _ in layers:
            a = _fmpq_mat([[abs(Fraction(v)) for v in r] for r in w])
            abs_product = a if abs_product is None else abs_product * a
        pt = [list(r) for r in zip(*_rows(abs_product))]
        lip = _operator_norm(pt, p)
        if p == Fraction(2):
            per_layer = Fraction(1)
            for w, _ in layers:
                per_layer *= spectral_norm_upper([list(r) for r in zip(*w)])
            lip = min(lip, per_layer)
        super().__init__(name, input_shape, output_shape, lip, (p, p))
        if self.mlp.d_in != self.input_size or self.mlp.d_out != self.output_size:
            raise VarcheckError("layers must map input_size to output_size entries.")

    def _forward(self, x):
        return self.mlp(x.reshape(x.shape[0], -1)).reshape((x.shape[0],) + self.output_shape)

    def _error(self, x, input_error):
        flat = x.reshape(x.shape[0], -1)
        e = None if input_error is None else input_error.reshape(x.shape[0], -1)
        return self.mlp.error_bound(flat, e).reshape((x.shape[0],) + self.output_shape)

    def _exact(self, x):
        return self.mlp.exact(x)

    def _ball(self, x):
        from flint import arb, fmpq

        for k, layer in enumerate(self.mlp.layers):
            x = [sum((xi * arb(fmpq(*_nd(layer.w_exact[i][j]))) for i, xi in enumerate(x)), arb(0))
                 + arb(fmpq(*_nd(layer.b_exact[j]))) for j in range(layer.n_out)]
            if k + 1 < len(self.mlp.layers):
                x = [_arb_relu(v) for v in x]
        return x


def _dyadic_weights(rng, n_in, n_out, scale_bits):
    """Integer numerators in −4..4 over 2^scale_bits (dyadic, so exactly representable in float64)."""
    return [[Fraction(int(v), 2**scale_bits) for v in row] for row in rng.integers(-4, 5, size=(n_in, n_out))]


def relu_network(*, seed: int, input_shape=(2, 2), output_shape=(2, 2), width: int = 8, depth: int = 2, norm=INF) -> Target:
    """A random ReLU network with ``depth`` hidden layers of ``width`` units and dyadic rational weights.

    Weights are k/2^b with k ∈ −4..4 and 2^b ≥ 2·fan-in (outputs stay O(1) on [0,1]); biases k/8. The
    constant is ‖|A₁|⋯|A_k|‖ (∞ → ∞ exactly; 2 → 2 certified, also capped by Π‖A_i‖₂).
    """
    seed = _seed(seed)
    input_shape, output_shape = _shape("input_shape", input_shape), _shape("output_shape", output_shape)
    width = require_int("width", width, minimum=1, maximum=MAX_RELU_WIDTH)
    depth = require_int("depth", depth, minimum=0, maximum=MAX_RELU_DEPTH)
    p = _require_norm(norm, (INF, Fraction(2)))
    rng = np.random.default_rng([seed, 4])
    sizes = [math.prod(input_shape)] + [width] * depth + [math.prod(output_shape)]
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if weights > MAX_RELU_WEIGHTS:
        raise VarcheckError(f"the network (input_shape, width, depth, output_shape) would have {weights} weights, above "
                            f"the limit of {MAX_RELU_WEIGHTS}.")
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        bits = max(1, math.ceil(math.log2(2 * n_in)))
        w = _dyadic_weights(rng, n_in, n_out, bits)
        b = [Fraction(int(v), 8) for v in rng.integers(-2, 3, size=n_out)]
        layers.append((w, b))
    name = (f"relu_network(seed={seed},input_shape={'x'.join(map(str, input_shape))},"
            f"output_shape={'x'.join(map(str, output_shape))},width={width},depth={depth},"
            f"norm={_fmt_norm(p).replace('∞', 'inf')})")
    return ReluNetwork(name, input_shape, output_shape, layers, p)


# --------------------------------------------------------------------------- word-to-image


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
        if pyramid in PRESETS:
            return Pyramid.preset(pyramid)
        try:
            sides = [int(s) for s in pyramid.split("-")]
        except ValueError:
            raise VarcheckError(f"pyramid must be a Pyramid, a preset ({', '.join(PRESETS)}) or sides like '1-2-4', got {pyramid!r}.") from None
        return Pyramid(sides)
    return Pyramid(pyramid)


def _pyramid_label(pyr: Pyramid) -> str:
    if pyr.name:
        return pyr.name
    if all(h == w for h, w in pyr.scales):
        return "-".join(str(h) for h, _ in pyr.scales)
    raise VarcheckError("pyramid must have square scales to be named (use a preset or square sides).")


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
        raise VarcheckError(f"a smooth field on {pyr.length} tokens with {features} features needs {pyr.length * features} "
                            f"phases, above the limit of {MAX_RELU_WEIGHTS} (lower features or use a smaller pyramid).")
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
    name = f"smooth_field(seed={seed},pyramid={_pyramid_label(pyr)},d={d},channels={channels},features={features})"
    return SmoothField(name, pyr, A, B, P)


# --------------------------------------------------------------------------- compositions


class Composition(Target):
    """Apply targets[0], then targets[1], …; constant = product (norms and shapes must chain)."""

    def __init__(self, targets):
        targets = list(targets)
        if not targets or not all(isinstance(t, Target) for t in targets):
            raise VarcheckError("compose needs at least one Target.")
        for a, b in zip(targets, targets[1:]):
            if a.output_shape != b.input_shape:
                raise VarcheckError(f"cannot compose {a.name} (output {a.output_shape}) with {b.name} (input {b.input_shape}).")
            if a.norms[1] != b.norms[0]:
                raise VarcheckError(f"cannot compose {a.name} (β = {_fmt_norm(a.norms[1])}) with {b.name} (α = {_fmt_norm(b.norms[0])}): "
                                    "the norms must chain.")
        self.parts = tuple(targets)
        lip = math.prod((t.lipschitz for t in targets), start=Fraction(1))
        super().__init__(" >> ".join(t.name for t in targets), targets[0].input_shape, targets[-1].output_shape, lip,
                         (targets[0].norms[0], targets[-1].norms[1]))
        self.rational = all(t.rational for t in targets)

    def _forward(self, x):
        for t in self.parts:
            x = t._forward(x)
        return x

    def _error(self, x, input_error):
        err = input_error
        for t in self.parts:
            err = t._error(x, err)
            x = t._forward(x)
        return err

    def _exact(self, x):
        for t in self.parts:
            x = t._exact(x)
        return x

    def _ball(self, x):
        for t in self.parts:
            x = t._ball(x)
        return x


def compose(*targets) -> Target:
    """The composition targets[-1] ∘ … ∘ targets[0] (apply in the order given); Lipschitz = product."""
    if len(targets) == 1 and isinstance(targets[0], (list, tuple)):
        targets = tuple(targets[0])
    if len(targets) == 1 and isinstance(targets[0], Target):
        return targets[0]
    return Composition(targets)


def image_pipeline(*, seed: int, side: int = 4, channels: int = 1, out_side: int | None = None) -> Target:
    """blur → pixel-wise tone map (tanh or gamma-like) → bicubic resize to ``out_side``: a composite image target."""
    seed = _seed(seed)
    side = require_int("side", side, minimum=1, maximum=MAX_TARGET_SIDE)
    out_side = side + 2 if out_side is None else require_int("out_side", out_side, minimum=1, maximum=MAX_TARGET_SIDE)
    rng = np.random.default_rng([seed, 6])
    tone = (tanh_map, gamma_map)[int(rng.integers(2))]
    return compose(
        blur(seed=seed, side=side, channels=channels),
        tone(seed=seed, shape=(side, side, channels)),
        resize(seed=seed, mode="bicubic", src=(side, side), dst=(out_side, out_side), channels=channels),
    )


# --------------------------------------------------------------------------- names


TARGET_FACTORIES = {
    "relu_network": relu_network,
    "blur": blur,
    "resize": resize,
    "tanh_map": tanh_map,
    "clip_map": clip_map,
    "gamma_map": gamma_map,
    "image_pipeline": image_pipeline,
    "smooth_field": smooth_field,
}


_SHAPE_KEYS = ("input_shape", "output_shape", "shape", "src", "dst")


def _parse_value(key, text):
    if text == "inf":
        return INF
    if key == "pyramid":
        return text
    if key in _SHAPE_KEYS and all(p.isdigit() for p in text.split("x")):
        return tuple(int(p) for p in text.split("x"))
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return Fraction(require_rational_text(key, text))  # "1e999999999" stays text: a 10⁹-digit number is no argument
    except (ValueError, ZeroDivisionError):  # "0/0" too: the factory then refuses the text
        return text


def target_from_name(name: str) -> Target:
    """Rebuild a target from its ``.name`` (e.g. ``blur(seed=3,side=4)`` or ``a(...) >> b(...)``)."""
    if not isinstance(name, str) or not name.strip():
        raise VarcheckError(f"name must be a target name like 'blur(seed=0)', got {name!r}.")
    parts = []
    for piece in name.split(">>"):
        piece = piece.strip()
        head, sep, rest = piece.partition("(")
        if head not in TARGET_FACTORIES or not sep or not rest.endswith(")"):
            raise VarcheckError(f"name must be factory(key=value,...) with a factory among {', '.join(TARGET_FACTORIES)}, got {piece!r}.")
        kwargs = {}
        for item in filter(None, rest[:-1].split(",")):
            key, eq, value = item.partition("=")
            if not eq:
                raise VarcheckError(f"name argument {item!r} of {head} must be key=value.")
            if key.strip() in kwargs:
                raise VarcheckError(f"name argument {key.strip()!r} of {head} is given twice.")
            kwargs[key.strip()] = _parse_value(key.strip(), value.strip())
        if "signed" in kwargs:
            kwargs["signed"] = bool(kwargs["signed"])
        try:
            parts.append(TARGET_FACTORIES[head](**kwargs))
        except TypeError as exc:
            raise VarcheckError(f"bad arguments for {head}: {exc}.") from None
    return compose(*parts)


# --------------------------------------------------------------------------- the partition approximant


def cell_centres(x, G: int) -> torch.Tensor:
    """q(x) + δ/2 entrywise for float64 x (THEORY.md §4), with the exact cell index.

    The index ⌊xG⌋ is computed exactly: Dekker's two-product gives xG = p + e with p = fl(xG) (G < 2²⁶
    is split-free), and ⌊xG⌋ = ⌊p⌋ − [p integral and e < 0]. It is clipped to 0..G−1; the centre
    (2k+1)/(2G) is then rounded once (relative error ≤ u).
    """
    G = require_int("G", G, minimum=1, maximum=MAX_TORCH_GRID)
    x = as_float64(x)
    g = float(G)
    p = x * g
    c = _SPLITTER * x
    hi = c - (c - x)
    lo = x - hi
    e = (hi * g - p) + lo * g
    k = torch.floor(p)
    k = torch.where((p == k) & (e < 0), k - 1, k)
    k = torch.clamp(k, 0, G - 1)
    return (2 * k + 1) / (2 * g)


def grid_approximation(target: Target, G: int):
    """f̄ = f(q(·) + δ/2) as a function on torch tensors, with its entrywise rounding bound.

    Returns ``(fbar, error)``: ``fbar(x)`` evaluates f at the cell centres; ``error(x)`` bounds
    |fbar(x) − f(c(x))| entrywise (the centre's rounding u|c| propagated through the target).
    """
    if not isinstance(target, Target):
        raise VarcheckError(f"target must be a varcheck Target, got {type(target).__name__}.")

    def fbar(x):
        return target(cell_centres(target.check_input(x), G))

    def error(x):
        c = cell_centres(target.check_input(x), G)
        return target.entrywise_error(c, UNIT_ROUNDOFF * c.abs())

    return fbar, error
