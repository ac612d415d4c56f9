"""FlowAR's per-scale flow head and Euler sampler in torch (docs/theory.md §6.3, claims T3 and T3-robust).

**Grids.** FlowAR samples with explicit Euler from t = 1 (noise) to t = 0 (data): x ← x + (t_next − t)·v.
Its 25-step grid is ``torch.cat([torch.linspace(1, 0.3, 12), torch.linspace(0.25, 0, 13)])`` and its 50-step grid
``torch.linspace(1, 0, 51)`` (51 points, 50 Euler steps), both built in float64 (docs/var-facts.md §5); they are
built here exactly as FlowAR's sampler builds them — ``torch.linspace`` with ``dtype=torch.float64`` — and then
rounded to the run's dtype (exactly, for float64). The float values are not the decimal grid (0.3 and 1/50 are
not floats): T3 holds for *any* grid that decreases to 0, so the exact evidence checks the rationals of these float
grids too.

**The head.** The constructed velocity head is v(x, t, S) = (x − Ŷ(S))/t, written in FlowAR's AdaLN form
as a modulation of x by the time embedding and a shift by the condition:

    v(x, t, S) = x·(1 + s(t)) + b(S, t),   s(t) = 1/t − 1,   b(S, t) = −Ŷ(S)/t,

(AdaLN's scale-and-shift x·(1 + scale) + shift, with the scale a function of t only and the shift of
(S, t)); Ŷ is the VAR-style approximator of the per-scale target (any callable S ↦ Ŷ(S) here). With it,
Euler returns Ŷ(S) exactly in exact arithmetic (varcheck.exact.flowar). In floating point the last step
computes, in this order, r = 1/t, s = r − 1, m = 1 + s, b = −Ŷ/t, p = x·m, v = p + b (+ e), w = (0 − t)·v,
x' = x + w; :func:`final_step_rounding_bound` is the bound derived in varcheck.exact.flowar for exactly
this sequence of correctly rounded operations (no fused operations are used).
"""

from __future__ import annotations

import math
from fractions import Fraction

import torch

from ..errors import VarcheckError, require_int
from ..exact import flowar as ef
from ..exact.floating_point import FORMATS, gamma
from .var_transformer import DTYPES

__all__ = [
    "FLOAT_FORMATS",
    "require_dtype",
    "FLOWAR_GRID_DTYPE",
    "flowar_grid",
    "flowar_grid_25",
    "flowar_grid_50",
    "uniform_grid",
    "check_grid",
    "FlowHead",
    "PerturbedHead",
    "euler_sample",
    "final_step_rounding_bound",
]

#: (unit roundoff u, underflow allowance η₀ = half the smallest subnormal) of the formats the sampler runs in
#: (from varcheck.exact.floating_point.FORMATS).
FLOAT_FORMATS = {DTYPES[name]: (FORMATS[name].u, FORMATS[name].underflow) for name in ("float64", "float32")}


def require_dtype(name, dtype):
    """``dtype`` if the sampler runs in it (float64 or float32), else a VarcheckError naming ``name``."""
    if dtype not in FLOAT_FORMATS:
        raise VarcheckError(f"{name} must be torch.float64 or torch.float32, got {dtype!r}.")
    return dtype


#: The dtype FlowAR's sampler builds its grids in (``euler_sampler``: ``torch.linspace(..., dtype=torch.float64)``).
FLOWAR_GRID_DTYPE = torch.float64


def flowar_grid(num_steps: int, dtype=torch.float64) -> torch.Tensor:
    """FlowAR's grid for ``num_steps`` built as its sampler builds it, in float64 — linspace(1, 0, 51) for 50 steps,
    else linspace(1, 0.3, n//2) ++ linspace(0.25, 0, n//2 + 1) — then rounded to ``dtype``."""
    n = require_int("num_steps", num_steps, minimum=2)
    require_dtype("dtype", dtype)
    if n == ef.FLOWAR_UNIFORM_STEPS:
        grid = torch.linspace(1, 0, n + 1, dtype=FLOWAR_GRID_DTYPE)
    else:
        grid = torch.cat([torch.linspace(1, 0.3, n // 2, dtype=FLOWAR_GRID_DTYPE),
                          torch.linspace(0.25, 0, n // 2 + 1, dtype=FLOWAR_GRID_DTYPE)])
    return check_grid(grid.to(dtype))


def flowar_grid_25(dtype=torch.float64) -> torch.Tensor:
    """FlowAR's 25-step grid linspace(1, 0.3, 12) ++ linspace(0.25, 0, 13) (25 points), built in float64."""
    return flowar_grid(25, dtype)


def flowar_grid_50(dtype=torch.float64) -> torch.Tensor:
    """FlowAR's 50-step grid linspace(1, 0, 51) (51 points, t_{K−1} = 1/50 rounded), built in float64."""
    return flowar_grid(ef.FLOWAR_UNIFORM_STEPS, dtype)


def uniform_grid(points: int = ef.FLOWAR_UNIFORM_POINTS, dtype=torch.float64) -> torch.Tensor:
    """linspace(1, 0, points) built in float64 (FlowAR's 50-step grid by default), rounded to ``dtype``."""
    points = require_int("points", points, minimum=2)
    require_dtype("dtype", dtype)
    return check_grid(torch.linspace(1, 0, points, dtype=FLOWAR_GRID_DTYPE).to(dtype))


def check_grid(times) -> torch.Tensor:
    """A 1-D float tensor that decreases strictly to exactly 0 with positive entries before (else VarcheckError)."""
    t = torch.as_tensor(times)
    if t.ndim != 1 or not torch.is_floating_point(t):
        raise VarcheckError(f"times must be a 1-D floating-point tensor, got shape {tuple(t.shape)} and dtype "
                            f"{t.dtype}.")
    ef.validate_grid([float(v) for v in t.tolist()], terminal_zero=True)
    return t


class FlowHead:
    """v(x, t, S) = x·(1 + s(t)) + b(S, t) with s(t) = 1/t − 1 and b(S, t) = −Ŷ(S)/t, i.e. (x − Ŷ(S))/t."""

    def __init__(self, y_hat):
        if not callable(y_hat):
            raise VarcheckError(f"y_hat must be a callable S ↦ Ŷ(S), got {type(y_hat).__name__}.")
        self.y_hat = y_hat

    def target(self, S, like: torch.Tensor) -> torch.Tensor:
        """Ŷ(S) in the dtype of ``like`` (the head's Ŷ: what exact recovery returns)."""
        y = torch.as_tensor(self.y_hat(S)).to(like.dtype)
        if tuple(y.shape) != tuple(like.shape):
            raise VarcheckError(f"y_hat(S) must have the shape of x, {tuple(like.shape)}, got {tuple(y.shape)}.")
        if not bool(torch.isfinite(y).all()):
            raise VarcheckError("y_hat(S) must hold finite numbers only.")
        return y

    def __call__(self, x: torch.Tensor, t, S) -> torch.Tensor:
        t = torch.as_tensor(t, dtype=x.dtype)
        r = 1 / t
        s = r - 1                    # AdaLN scale s(t) = 1/t − 1
        m = 1 + s
        b = -self.target(S, x) / t   # AdaLN shift b(S, t) = −Ŷ(S)/t
        return x * m + b


class PerturbedHead:
    """head + e(x, t): a head that is only ε_v-accurate (T3-robust); ``perturbation(x, t)`` returns e.

    HOFAR's heads are perturbed term by term by the subclass varcheck.runtime.hofar.PerturbedHOFARHead."""

    #: The head type this perturbs, and the perturbation's signature (for the message when either is wrong).
    HEAD = FlowHead
    SIGNATURE = "perturbation(x, t)"

    def __init__(self, head, perturbation):
        if not isinstance(head, self.HEAD) or not callable(perturbation):
            raise VarcheckError(f"{type(self).__name__} needs a {self.HEAD.__name__} and a callable {self.SIGNATURE}.")
        self.head, self.perturbation = head, perturbation
        self.y_hat = head.y_hat

    def target(self, S, like):
        return self.head.target(S, like)

    def __call__(self, x, t, S):
        return self.head(x, t, S) + self.perturbation(x, t)


def euler_sample(head, noise, S, times, *, trajectory: bool = False):
    """Explicit Euler x ← x + (t_next − t)·head(x, t, S) over ``times`` from x = noise (dtype of ``noise``).

    Returns x_K, or the list [x_0, …, x_K] with ``trajectory``.
    """
    if not isinstance(head.head if isinstance(head, PerturbedHead) else head, FlowHead):
        raise VarcheckError(f"head must be a FlowHead or PerturbedHead, got {type(head).__name__}.")
    x = torch.as_tensor(noise)
    require_dtype("noise.dtype", x.dtype)
    if not bool(torch.isfinite(x).all()):
        raise VarcheckError("noise must hold finite numbers only (no NaN or inf).")
    grid = check_grid(torch.as_tensor(times).to(x.dtype))
    if not torch.equal(grid.to(torch.float64), torch.as_tensor(times).to(torch.float64)):
        raise VarcheckError(f"times must be exactly representable in the noise dtype {x.dtype}.")
    states = [x]
    for t, t_next in zip(grid[:-1], grid[1:]):
        v = head(x, t, S)
        x = x + (t_next - t) * v
        states.append(x)
    return states if trajectory else x


def _round_up(q: Fraction) -> float:
    f = float(q)
    return f if Fraction(f) >= q else math.nextafter(f, math.inf)


def final_step_rounding_bound(x_prev, y_hat, t, *, e=None) -> torch.Tensor:
    """Entrywise bound (float64) on |x̃_K − (Ŷ − t·ẽ)| for the last step from x̃_{K−1} = ``x_prev`` at time t
    (to 0) with the head's Ŷ = ``y_hat`` (and its perturbation value ẽ = ``e``), in the dtype of ``x_prev``.

    Coefficients from :func:`varcheck.exact.flowar.final_step_rounding_coefficients` (exact, rounded up); the
    float64 evaluation of a|x| + b|Ŷ| + c·t|e| + z (≤ 4 roundings per term, and the scaling itself) is rounded up by a
    factor 1 + γ₆.
    """
    x = torch.as_tensor(x_prev)
    dtype = require_dtype("x_prev.dtype", x.dtype)
    u, eta0 = FLOAT_FORMATS[dtype]
    t = Fraction(float(t))
    if t <= 0:
        raise VarcheckError(f"t must be positive, got {float(t)!r}.")
    a, b, c, z = ef.final_step_rounding_coefficients(t, u, eta0, perturbed=e is not None)
    y = torch.as_tensor(y_hat).to(torch.float64)
    bound = _round_up(a) * x.to(torch.float64).abs() + _round_up(b) * y.abs() + _round_up(z)
    if e is not None:
        bound = bound + _round_up(c * t) * torch.as_tensor(e).to(torch.float64).abs()
    return bound * (1 + gamma(6))
