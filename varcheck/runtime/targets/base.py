"""The base class of the targets: a Lipschitz map with a certified constant and four evaluation paths
(float64 torch with a rounding bound, exact over Q, ball arithmetic); the limits every factory enforces.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import torch

from ...errors import VarcheckError, require_int
from ...exact.directed_rounding import working_precision
from ...exact.floating_point import gamma
from ...exact.quantizer import exact_rational
from ...theory.partition import INF, parse_exponent
from ..feedforward import as_float64

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
                raise VarcheckError(f"input_error must have the shape of x, {tuple(x.shape)}, got "
                                    f"{tuple(input_error.shape)}.")
        return self._error(x, input_error)

    def rounding_bound(self, x, input_error=None) -> torch.Tensor:
        """(B,) bound on ‖f̃(x̃) − f(x)‖_β (β = norms[1])."""
        return _vector_norm(self.entrywise_error(x, input_error), self.norms[1])

    def output_norm(self, y) -> torch.Tensor:
        """(B,) β-norms of non-negative (B, *output_shape) arrays (e.g. entrywise bounds), rounded up by γ."""
        y = as_float64(y, "y")
        if tuple(y.shape[1:]) != self.output_shape:
            raise VarcheckError(f"y must have shape (B, {', '.join(map(str, self.output_shape))}), got "
                                f"{tuple(y.shape)}.")
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
        with working_precision(prec):
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


def _seed(seed) -> int:
    return require_int("seed", seed, minimum=0)
