"""FlowAR's Euler sampler over Q (docs/theory.md §6.3, claims T3 and T3-robust).

FlowAR integrates dx/dt = v(x, t) from t = 1 (noise) to t = 0 (data) with explicit Euler on a time grid
t_0 > t_1 > … > t_K = 0: x_{k+1} = x_k + (t_{k+1} − t_k)·v(x_k, t_k) (docs/var-facts.md §5). Its training path is
x_t = (1 − t)·Y + t·ε, whose velocity ε − Y equals (x_t − Y)/t.

**T3 (exact recovery).** With the head v(x, t) = (x − Ŷ)/t one Euler step is

    x_{k+1} = x_k + (t_{k+1} − t_k)(x_k − Ŷ)/t_k = x_k·(t_{k+1}/t_k) + Ŷ·(1 − t_{k+1}/t_k),

so x_{k+1} − Ŷ = (t_{k+1}/t_k)(x_k − Ŷ) and x_k − Ŷ = (t_k/t_0)(x_0 − Ŷ): for t_0 = 1, x_0 = ε, the iterates
are exactly the path points (1 − t_k)Ŷ + t_kε (Euler has no truncation error on a straight path), and the
last step (t_K = 0) gives x_K = Ŷ for every x_{K−1}, i.e. for every noise draw.

**T3-robust.** With a head v = v* + e_k, ‖e_k‖_∞ ≤ ε_v, the deviation d_k = x̂_k − x_k obeys
d_{k+1} = (t_{k+1}/t_k)·d_k + (t_{k+1} − t_k)·e_k, d_0 = 0, hence

    d_K = Σ_k (t_{k+1} − t_k)·e_k·Π_{j=k+1}^{K−1} (t_{j+1}/t_j),   ‖d_K‖_∞ ≤ ε_v·Γ,
    Γ = Σ_k (t_k − t_{k+1})·Π_{j=k+1}^{K−1} (t_{j+1}/t_j)      (the Grönwall factor of the grid).

Each product is t_K/t_{k+1} ∈ [0, 1], so Γ ≤ t_0 − t_K; when t_K = 0 every product but the last (empty)
one vanishes and Γ = t_{K−1}: the last step resets all earlier errors, only its own head error survives.
A constant sign-aligned e_k = ε_v·σ attains ‖d_K‖ = ε_v·Γ.

**Rounding of the last step** (the runtime's float evaluation, varcheck.runtime.flowar): with
r = fl(1/t), s = fl(r − 1), m = fl(1 + s), b = fl(−Ŷ/t), p = fl(x·m), v = fl(p + b) [v = fl(v + e) when
perturbed], w = fl((0 − t)·v) (0 − t is exact), x' = fl(x + w), every operation correctly rounded
(|δ| ≤ u), one finds t·(1 + s) = 1 + η with |η| ≤ u + (|1 − t| + u)u and

    x + w = Ŷ − t·e − x·A + Ŷ·B − t·e·C,   |A| ≤ (1+|η|)(1+u)^{4+π} − 1,  |B| ≤ (1+u)^{3+π} − 1,
    |C| ≤ (1+u)² − 1   (π = 1 with a perturbation e, else 0 and no e-terms),

so |x' − (Ŷ − t·e)| ≤ (1+u)(a|x| + b|Ŷ| + c·t|e|) + u(|Ŷ| + t|e|) + (2t + 1)(1+u)⁴·η₀, with η₀ the
underflow allowance of a product or quotient (half the smallest subnormal). The bound does not depend on
how x = x̃_{K−1} was reached: the last step forgets the rounding of all earlier steps.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..errors import VarcheckError, require_int
from .quantizer import exact_rational

__all__ = [
    "linspace",
    "flowar_grid",
    "flowar_grid_25",
    "flowar_grid_50",
    "uniform_grid",
    "FLOWAR_UNIFORM_STEPS",
    "FLOWAR_UNIFORM_POINTS",
    "validate_grid",
    "euler_step",
    "euler_trajectory",
    "path_point",
    "gronwall_factor",
    "robust_error_bound",
    "final_step_rounding_coefficients",
    "discretised_time",
]

#: FlowAR's sampler builds its grid for ``num_steps`` = 50 as linspace(1, 0, num_steps + 1): 51 points, 50 Euler steps,
#: last non-zero time 1/50 (docs/var-facts.md §5).
FLOWAR_UNIFORM_STEPS = 50
FLOWAR_UNIFORM_POINTS = FLOWAR_UNIFORM_STEPS + 1


def linspace(start, stop, num: int) -> tuple:
    """The exact rationals start + (stop − start)·i/(num − 1), i = 0..num−1 (num = 1: (start,))."""
    num = require_int("num", num, minimum=1)
    a, b = exact_rational("start", start), exact_rational("stop", stop)
    if num == 1:
        return (a,)
    return tuple(a + (b - a) * Fraction(i, num - 1) for i in range(num))


def flowar_grid(num_steps: int) -> tuple:
    """FlowAR's time grid for ``num_steps``, exactly, as its Euler sampler defines it (docs/var-facts.md §5):
    linspace(1, 0, 51) for 50 steps, else linspace(1, 0.3, n//2) ++ linspace(0.25, 0, n//2 + 1)."""
    n = require_int("num_steps", num_steps, minimum=2)
    if n == FLOWAR_UNIFORM_STEPS:
        return linspace(1, 0, n + 1)
    return linspace(1, Fraction(3, 10), n // 2) + linspace(Fraction(1, 4), 0, n // 2 + 1)


def flowar_grid_25() -> tuple:
    """FlowAR's 25-step grid linspace(1, 0.3, 12) ++ linspace(0.25, 0, 13), exactly (25 points, 24 Euler steps)."""
    return flowar_grid(25)


def flowar_grid_50() -> tuple:
    """FlowAR's 50-step grid linspace(1, 0, 51), exactly (51 points, 50 Euler steps, t_{K−1} = 1/50)."""
    return flowar_grid(FLOWAR_UNIFORM_STEPS)


def uniform_grid(points: int = FLOWAR_UNIFORM_POINTS) -> tuple:
    """linspace(1, 0, points), exactly (FlowAR's 50-step grid by default)."""
    return linspace(1, 0, require_int("points", points, minimum=2))


def validate_grid(times, *, terminal_zero: bool = True) -> tuple:
    """The grid as exact rationals, or a VarcheckError naming what is wrong.

    At least two points; every entry finite; strictly decreasing; t_k > 0 before the last point; the last
    point 0 (``terminal_zero``, the hypothesis of T3) or ≥ 0.
    """
    try:
        items = list(times)
    except TypeError:
        raise VarcheckError(f"times must be a sequence of numbers, got {times!r}.") from None
    if len(items) < 2:
        raise VarcheckError(f"times must hold at least two grid points, got {len(items)}.")
    grid = []
    for i, t in enumerate(items):
        if isinstance(t, float) and not math.isfinite(t):
            raise VarcheckError(f"times must be finite, got times[{i}] = {t!r}.")
        grid.append(exact_rational(f"times[{i}]", t))
    for i, (a, b) in enumerate(zip(grid, grid[1:])):
        if not b < a:
            raise VarcheckError(f"times must be strictly decreasing, got times[{i}] = {a} then times[{i + 1}] = {b}.")
    if grid[-2] <= 0:
        raise VarcheckError(f"times must be positive before the last point, got times[{len(grid) - 2}] = {grid[-2]}.")
    if terminal_zero and grid[-1] != 0:
        raise VarcheckError(f"times must end at t = 0 (the data end of the path), got {grid[-1]}.")
    if grid[-1] < 0:
        raise VarcheckError(f"times must end at t ≥ 0, got {grid[-1]}.")
    return tuple(grid)


def _vector(name, values) -> tuple:
    try:
        return tuple(exact_rational(f"{name}[{i}]", v) for i, v in enumerate(values))
    except TypeError:
        raise VarcheckError(f"{name} must be a sequence of rationals, got {values!r}.") from None


def euler_step(x, y_hat, t, t_next, error=None) -> tuple:
    """x + (t_next − t)·(v*(x, t) + e) with v*(x, t) = (x − Ŷ)/t, entrywise over Q (t > 0)."""
    t, t_next = exact_rational("t", t), exact_rational("t_next", t_next)
    if t <= 0:
        raise VarcheckError(f"t must be positive for an Euler step of the flow head, got {t}.")
    e = error if error is not None else (Fraction(0),) * len(x)
    return tuple(xi + (t_next - t) * ((xi - yi) / t + ei) for xi, yi, ei in zip(x, y_hat, e))


def euler_trajectory(noise, y_hat, times, *, errors=None, terminal_zero: bool = True) -> list:
    """[x_0 = noise, x_1, …, x_K] of Euler with the exact head (plus ``errors``, a callable (k, x_k) → e_k
    or a sequence of K vectors, for T3-robust), over Q."""
    x, y = _vector("noise", noise), _vector("y_hat", y_hat)
    if len(x) != len(y):
        raise VarcheckError(f"noise and y_hat must have the same length, got {len(x)} and {len(y)}.")
    grid = validate_grid(times, terminal_zero=terminal_zero)
    states = [x]
    for k, (t, t_next) in enumerate(zip(grid, grid[1:])):
        e = None
        if errors is not None:
            e = _vector(f"errors[{k}]", errors(k, x) if callable(errors) else errors[k])
            if len(e) != len(x):
                raise VarcheckError(f"errors[{k}] must have length {len(x)}, got {len(e)}.")
        x = euler_step(x, y, t, t_next, e)
        states.append(x)
    return states


def path_point(noise, y_hat, t) -> tuple:
    """(1 − t)·Ŷ + t·ε, the training path (data at t = 0, noise at t = 1)."""
    t = exact_rational("t", t)
    return tuple((1 - t) * yi + t * ei for ei, yi in zip(_vector("noise", noise), _vector("y_hat", y_hat)))


def gronwall_factor(times) -> Fraction:
    """Γ = Σ_k (t_k − t_{k+1})·Π_{j=k+1}^{K−1}(t_{j+1}/t_j) for a decreasing grid with t_K ≥ 0 (= t_{K−1} if t_K =
    0)."""
    grid = validate_grid(times, terminal_zero=False)
    K = len(grid) - 1
    total = Fraction(0)
    for k in range(K):
        prod = math.prod((grid[j + 1] / grid[j] for j in range(k + 1, K)), start=Fraction(1))
        total += (grid[k] - grid[k + 1]) * prod
    return total


def robust_error_bound(times, eps_v, *, noise_gap=0) -> Fraction:
    """T3-robust: (t_K/t_0)·noise_gap + ε_v·Γ bounds ‖x̂_K − Ŷ‖_∞ for a head with ‖e_k‖_∞ ≤ ε_v, where
    noise_gap ≥ ‖x_0 − Ŷ‖_∞ (irrelevant on grids ending at 0, where the bound is ε_v·t_{K−1})."""
    grid = validate_grid(times, terminal_zero=False)
    if isinstance(eps_v, float) and not math.isfinite(eps_v):
        raise VarcheckError(f"eps_v must be finite, got {eps_v!r}.")
    eps_v, gap = exact_rational("eps_v", eps_v), exact_rational("noise_gap", noise_gap)
    if eps_v < 0:
        raise VarcheckError(f"eps_v must be ≥ 0 (a sup-norm accuracy of the head), got {eps_v}.")
    if gap < 0:
        raise VarcheckError(f"noise_gap must be ≥ 0, got {gap}.")
    return grid[-1] / grid[0] * gap + eps_v * gronwall_factor(grid)


def final_step_rounding_coefficients(t, unit_roundoff, underflow, *, perturbed: bool = False) -> tuple:
    """(a, b, c, z) with |x̃' − (Ŷ − t·e)| ≤ a|x| + b|Ŷ| + c·t|e| + z, exact rationals (module doc):
    a = (1+u)·((1+|η|)(1+u)^{4+π} − 1), b = (1+u)((1+u)^{3+π} − 1) + u, c = (1+u)((1+u)² − 1) + u (0 unperturbed),
    z = (2t + 1)(1+u)⁴·underflow, |η| ≤ u + (|1 − t| + u)u. Hence |x̃' − Ŷ| ≤ t|e| + a|x| + b|Ŷ| + c·t|e| + z."""
    t, u, eta0 = exact_rational("t", t), exact_rational("unit_roundoff", unit_roundoff), exact_rational(
        "underflow", underflow)
    if t <= 0:
        raise VarcheckError(f"t must be positive, got {t}.")
    if not 0 < u < Fraction(1, 64):
        raise VarcheckError(f"unit_roundoff must lie in (0, 1/64), got {u}.")
    extra = 1 if perturbed else 0
    eta = u + (abs(1 - t) + u) * u
    a = (1 + u) * ((1 + eta) * (1 + u) ** (4 + extra) - 1)
    b = (1 + u) * ((1 + u) ** (3 + extra) - 1) + u
    c = (1 + u) * ((1 + u) ** 2 - 1) + u if perturbed else Fraction(0)
    z = (2 * t + 1) * (1 + u) ** 4 * eta0
    return a, b, c, z


def discretised_time(t, resolution: int = 1000, mode: str = "floor") -> Fraction:
    """⌊resolution·t⌋/resolution (``floor``, what FlowAR's head sees with resolution 1000: docs/var-facts.md §5) or
    ⌊resolution·t⌉/resolution (``nearest``, halves up): the time a head that discretises t to multiples of
    1/resolution sees."""
    t = exact_rational("t", t)
    resolution = require_int("resolution", resolution, minimum=1)
    if mode == "nearest":
        return Fraction(math.floor(resolution * t + Fraction(1, 2)), resolution)
    if mode == "floor":
        return Fraction(math.floor(resolution * t), resolution)
    raise VarcheckError(f"mode must be 'nearest' or 'floor', got {mode!r}.")
