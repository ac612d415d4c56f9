"""HOFAR's order-k sampler over Q, its error on straight and curved trajectories, and certified bounds (docs/hofar.md).

**The step.** FlowAR integrates dx/dt = v(x, t) from t = 1 to t = 0; an order-k HOFAR step uses the velocity
and its time derivatives along the flow (varcheck.theory.hofar): with h = t_next − t < 0 and c_j = h^j/j!,

    x_next = x + Σ_{j=1}^k c_j·(D^{j−1}v)(x, t).

The heads here are the exact trajectory terms of the marginal velocity of FlowAR's linear path for data of
spread s (std) around Ŷ: D^{j−1}v_s(x, t) = A_j(t)·x + B_j(t) with A_j = N_j/q^j, B_j = −Ŷ·[j = 1] − A_j(1 − t)Ŷ,
q(t) = s²(1 − t)² + t², N_0 = 1, N_{j+1} = N_j'q − (j − ½)N_j q'. **s = 0 is T3's head**: A_1 = 1/t, B_1 = −Ŷ/t
and N_j = 0 for j ≥ 2 (N_2 = s²), so every higher term is 0 and the order-k step is the Euler step.
The heads are evaluated at grid times t > 0 only (for s = 0, q(0) = 0: the 1/t of T3's head is never met).

**Error on curved trajectories (s > 0).** The step is affine: x_next − (1 − t_next)Ŷ = P·(x − (1 − t)Ŷ) with
P = Σ_{j=0}^k c_j A_j(t) (A_0 = 1) = T_kσ(t; h)/σ(t), T_kσ the order-k Taylor polynomial of σ = √q. From
x_0 = ε at t_0 = 1 the sampler ends at x_K = Ŷ + ε·Π_n P_n, while the exact flow x(t) = (1 − t)Ŷ + σ(t)ε ends at
Ŷ + sε, so the error is exactly

    e_K = ε·(Π_n P_n − s),   and Π_n P_n / s = Π_n (1 − r_n),   r_n = ρ_n/σ(t_{n+1}),   ρ_n = σ(t_{n+1}) − T_kσ(t_n;
    h_n)

(σ(1) = 1, σ(0) = s: the exact ratios σ(t_{n+1})/σ(t_n) telescope to s). Since |Π(1 − r_n) − 1| ≤ Π(1 + |r_n|) − 1
≤ exp(Σ|r_n|) − 1 and by Lagrange's remainder |ρ_n| ≤ |h_n|^{k+1}/(k+1)!·max_{[t_{n+1}, t_n]}|σ^{(k+1)}|,

    |e_K| ≤ |ε|·s·(exp(R_k) − 1),   R_k = Σ_n |h_n|^{k+1}/(k+1)!·max_{[t_{n+1},t_n]}|σ^{(k+1)}| / σ(t_{n+1}),

and with h = max |h_n|, S_{k+1} = max_{[0,1]}|σ^{(k+1)}|, σ_min = s/√(1 + s²), Σ|h_n| = 1:
R_k ≤ C_k·h^k with C_k = S_{k+1}/((k+1)!·σ_min), hence (e^x − 1 ≤ x·e^x)

    |e_K| ≤ |ε|·K_k·h^k·exp(C_k h^k),   K_k = s·C_k = √(1 + s²)·S_{k+1}/(k+1)!:   global order k.

The maxima are certified in ball arithmetic (python-flint arb): σ^{(k+1)} = N_{k+1}/q^{k+1/2} is enclosed on a
subdivision of each interval by evaluating the polynomials on balls.

**Inexact heads on the straight path.** With heads D^{j−1}v + e_j, ‖e_j‖_∞ ≤ ε_j, the deviation from the exact
run obeys d_{n+1} = (t_{n+1}/t_n)·d_n + Σ_j c_j(h_n)e_{j,n} (the exact step's slope is t_{n+1}/t_n), so

    ‖x̂_K − Ŷ‖_∞ ≤ (t_K/t_0)‖x_0 − Ŷ‖_∞ + Σ_n Σ_j |h_n|^j/j!·ε_j·Π_{m>n} t_{m+1}/t_m  =  Σ_j ε_j·t_{K−1}^j/j!  (t_K = 0),

attained by sign-aligned errors e_j = (−1)^j·ε_j·σ: the higher heads can only add worst-case error.

**Rounding of one float step** (varcheck.runtime.hofar computes, in this order, h = t_next − t, d_j = x·ã_j + b̃_j
[+ ẽ_j], inc = h·d_1, c_j = (c_{j−1}·h)/j, inc = inc + c_j·d_j, x' = x + inc, every operation correctly rounded,
|δ| ≤ u). Each elementary term of x + Σ_j c_j(x·ã_j + b̃_j + ẽ_j) passes through at most M = 3k + 4 roundings
(c̃_j: j factors from h̃ and 2(j − 1) from the chain; 1 for c̃_j·d̃_j; ≤ 3 inside d̃_j; ≤ k − j + 2 additions), so

    |x̃' − Φ(x̃)| ≤ Σ_j |c_j|(|ã_j − A_j||x̃| + |b̃_j − B_j|) + γ_M(|x̃| + Σ_j |c_j|(|x̃ã_j| + |b̃_j| + |ẽ_j|)) + z,

Φ the exact step with exact coefficients (and the same ẽ), γ_M = Mu/(1 − Mu), and z = 4η₀Σ_j(1 + j(2D_j + 1)),
D_j = |x̃ã_j| + |b̃_j| + |ẽ_j|, the allowance for gradual underflow (each multiplicative operation may add an
absolute η₀, Higham (2.8); |c_j| ≤ 1 because |h| ≤ 1, and (1 + u)^M ≤ 2).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

from ..errors import VarcheckError, require_int
from .flowar import validate_grid
from .quantizer import exact_rational

__all__ = [
    "MAX_ORDER",
    "poly_add",
    "poly_mul",
    "poly_derivative",
    "validate_spread",
    "spread_polynomial",
    "numerator_step",
    "derivative_numerators",
    "trajectory_coefficient",
    "head_coefficients",
    "taylor_coefficients",
    "head_terms",
    "step_factor",
    "hofar_step",
    "hofar_trajectory",
    "flow_endpoint",
    "global_error_factor",
    "max_step",
    "inexact_head_bound",
    "rounding_ops",
    "step_rounding_bound",
    "remainder_weight",
    "certified_remainder_sum",
    "certified_error_factor",
    "certified_rate_constants",
    "certified_rate_bound",
    "upper_fraction",
]

#: Highest order of trajectory terms the sampler accepts (the claims use k ≤ 4).
MAX_ORDER = 8


def validate_spread(spread) -> Fraction:
    """The spread s (data standard deviation) as an exact rational ≥ 0, or a VarcheckError."""
    s = exact_rational("spread", spread)
    if s < 0:
        raise VarcheckError(f"spread must be ≥ 0 (the data's standard deviation; 0 is T3's point mass), got {s}.")
    return s


def _order(order) -> int:
    return require_int("order", order, minimum=1, maximum=MAX_ORDER)


# --------------------------------------------------------------------------- polynomials over Q (low degree first)


def poly_add(a, b):
    """a + b for coefficient tuples (lowest degree first)."""
    n = max(len(a), len(b))
    return tuple((a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n))


def poly_mul(a, b):
    """a·b for coefficient tuples (lowest degree first)."""
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return tuple(out)


def poly_derivative(a):
    """a′ for a coefficient tuple (lowest degree first)."""
    return tuple(i * a[i] for i in range(1, len(a))) or (Fraction(0),)


def _eval(a, t):
    out = Fraction(0)
    for c in reversed(a):
        out = out * t + c
    return out


def spread_polynomial(spread) -> tuple:
    """q(t) = s²(1 − t)² + t² as coefficients (s², −2s², 1 + s²), the variance of x_t."""
    s2 = validate_spread(spread) ** 2
    return (s2, -2 * s2, 1 + s2)


def _trim(a) -> tuple:
    a = list(a)
    while len(a) > 1 and a[-1] == 0:
        a.pop()
    return tuple(a)


def numerator_step(N, q, dq, j: int) -> tuple:
    """N_{j+1} = N_j'·q − (j − ½)·N_j·q' (the total derivative: ∂_t plus the transport term ½N_jq')."""
    return poly_add(
        poly_mul(poly_derivative(N), q), tuple(-(Fraction(j) - Fraction(1, 2)) * c for c in poly_mul(N, dq))
    )


@functools.lru_cache(maxsize=128)
def _numerators(s: Fraction, count: int) -> tuple:
    q = spread_polynomial(s)
    dq = poly_derivative(q)
    out = [(Fraction(1),)]
    for j in range(count):
        out.append(_trim(numerator_step(out[-1], q, dq, j)))
    return tuple(out)


def derivative_numerators(spread, count: int) -> tuple:
    """(N_0, …, N_count), σ^{(j)} = N_j/q^{j−1/2} for σ = √q (N_1 = q'/2, N_2 = s², N_j = 0 for j ≥ 2 when s = 0)."""
    return _numerators(validate_spread(spread), require_int("count", count, minimum=0, maximum=MAX_ORDER + 1))


def _q_at(s: Fraction, t: Fraction) -> Fraction:
    qt = _eval(spread_polynomial(s), t)
    if qt <= 0:
        raise VarcheckError(f"t must be positive for the point-mass head (spread 0), got t = {t}.")
    return qt


def trajectory_coefficient(spread, j: int, t) -> Fraction:
    """A_j(t) = N_j(t)/q(t)^j = σ^{(j)}(t)/σ(t) (A_0 = 1; q(t) > 0 is required: t > 0 or spread > 0)."""
    s, t = validate_spread(spread), exact_rational("t", t)
    j = require_int("j", j, minimum=0, maximum=MAX_ORDER + 1)
    return _eval(_numerators(s, j)[j], t) / _q_at(s, t) ** j


def _coefficients(s: Fraction, y: tuple, t: Fraction, order: int) -> list:
    out = []
    for j in range(1, order + 1):
        a = _eval(_numerators(s, j)[j], t) / _q_at(s, t) ** j
        out.append((a, tuple(-(yi if j == 1 else 0) - a * (1 - t) * yi for yi in y)))
    return out


def head_coefficients(y_hat, spread, t, order: int) -> list:
    """[(A_j, B_j)] for j = 1..order: D^{j−1}v_s(x, t) = A_j·x + B_j, B_j = −Ŷ·[j = 1] − A_j(1 − t)Ŷ (entrywise)."""
    return _coefficients(validate_spread(spread), _vector("y_hat", y_hat), exact_rational("t", t), _order(order))


def taylor_coefficients(h, order: int) -> tuple:
    """(c_1, …, c_k), c_j = h^j/j!."""
    h, order = exact_rational("h", h), _order(order)
    return tuple(h**j / math.factorial(j) for j in range(1, order + 1))


def _vector(name, values) -> tuple:
    try:
        return tuple(exact_rational(f"{name}[{i}]", v) for i, v in enumerate(values))
    except TypeError:
        raise VarcheckError(f"{name} must be a sequence of rationals, got {values!r}.") from None


def head_terms(x, y_hat, spread, t, order: int) -> list:
    """[D^{j−1}v_s(x, t)] for j = 1..order, entrywise over Q."""
    x = _vector("x", x)
    return [tuple(a * xi + bi for xi, bi in zip(x, b)) for a, b in head_coefficients(y_hat, spread, t, order)]


def step_factor(spread, t, t_next, order: int) -> Fraction:
    """P = Σ_{j=0}^k c_j A_j(t): x_next − (1 − t_next)Ŷ = P·(x − (1 − t)Ŷ) (= t_next/t for spread 0)."""
    s = validate_spread(spread)
    t, t_next = exact_rational("t", t), exact_rational("t_next", t_next)
    cs = taylor_coefficients(t_next - t, order)
    return 1 + sum((c * trajectory_coefficient(s, j, t) for j, c in enumerate(cs, start=1)), Fraction(0))


def _step(x: tuple, y: tuple, s: Fraction, t: Fraction, t_next: Fraction, order: int, errors) -> tuple:
    cs = taylor_coefficients(t_next - t, order)
    coeffs = _coefficients(s, y, t, order)
    out = []
    for i, xi in enumerate(x):
        inc = Fraction(0)
        for j, (c, (a, b)) in enumerate(zip(cs, coeffs)):
            term = a * xi + b[i] if a or b[i] else Fraction(0)
            if errors is not None:
                term += errors[j][i]
            if term:
                inc += c * term
        out.append(xi + inc)
    return tuple(out)


def _errors(errors, order: int, n: int, size: int):
    if errors is None:
        return None
    if len(errors) != order:
        raise VarcheckError(f"errors must hold one vector per order ({order}), got {len(errors)} at step {n}.")
    out = tuple(_vector(f"errors[{j}]", e) for j, e in enumerate(errors))
    if any(len(e) != size for e in out):
        raise VarcheckError(f"every error vector must have length {size} (step {n}).")
    return out


def hofar_step(x, y_hat, spread, t, t_next, order: int, errors=None) -> tuple:
    """x + Σ_j c_j·(D^{j−1}v_s(x, t) + e_j) over Q (``errors``: ``order`` vectors e_j, or None)."""
    x, y = _vector("x", x), _vector("y_hat", y_hat)
    if len(x) != len(y):
        raise VarcheckError(f"x and y_hat must have the same length, got {len(x)} and {len(y)}.")
    order = _order(order)
    return _step(x, y, validate_spread(spread), exact_rational("t", t), exact_rational("t_next", t_next), order,
                 _errors(errors, order, 0, len(x)))


def hofar_trajectory(noise, y_hat, times, order: int, *, spread=0, errors=None, terminal_zero: bool = True) -> list:
    """[x_0 = noise, …, x_K] of the order-k sampler with the exact heads of spread s (0: T3's head), over Q.

    ``errors``: a callable (n, x_n) → [e_1, …, e_k] or a sequence of K such lists (inexact heads)."""
    x, y = _vector("noise", noise), _vector("y_hat", y_hat)
    if len(x) != len(y):
        raise VarcheckError(f"noise and y_hat must have the same length, got {len(x)} and {len(y)}.")
    grid, order, s = validate_grid(times, terminal_zero=terminal_zero), _order(order), validate_spread(spread)
    states = [x]
    for n, (t, t_next) in enumerate(zip(grid, grid[1:])):
        e = None if errors is None else _errors(errors(n, x) if callable(errors) else errors[n], order, n, len(x))
        x = _step(x, y, s, t, t_next, order, e)
        states.append(x)
    return states


def flow_endpoint(noise, y_hat, spread) -> tuple:
    """Ŷ + s·ε: where the exact flow of v_s from x(1) = ε lands at t = 0 (exact for rational s)."""
    s = validate_spread(spread)
    return tuple(yi + s * ei for ei, yi in zip(_vector("noise", noise), _vector("y_hat", y_hat)))


def _unit_grid(times) -> tuple:
    grid = validate_grid(times, terminal_zero=True)
    if grid[0] != 1:
        raise VarcheckError(f"times must start at t = 1 (the noise end of the path), got {grid[0]}.")
    return grid


def global_error_factor(spread, times, order: int) -> Fraction:
    """Π_n P_n − s: the sampler's error from x_0 = ε is exactly e_K = ε·(Π_n P_n − s) (module doc)."""
    s, grid = validate_spread(spread), _unit_grid(times)
    return math.prod((step_factor(s, a, b, order) for a, b in zip(grid, grid[1:])), start=Fraction(1)) - s


def max_step(times) -> Fraction:
    """h = max_n |t_{n+1} − t_n|."""
    grid = validate_grid(times, terminal_zero=False)
    return max(a - b for a, b in zip(grid, grid[1:]))


def inexact_head_bound(times, eps, *, noise_gap=0) -> Fraction:
    """(t_K/t_0)·noise_gap + Σ_n Σ_j |h_n|^j/j!·ε_j·Π_{m>n} t_{m+1}/t_m for heads with ‖e_j‖_∞ ≤ ε_j (= Σ_j ε_j
    t_{K−1}^j/j!
    on grids ending at 0); ``eps`` = (ε_1, …, ε_k), noise_gap ≥ ‖x_0 − Ŷ‖_∞."""
    grid = validate_grid(times, terminal_zero=False)
    try:
        eps = tuple(exact_rational(f"eps[{j}]", e) for j, e in enumerate(eps))
    except TypeError:
        raise VarcheckError(f"eps must be a sequence of head accuracies, got {eps!r}.") from None
    if not eps or len(eps) > MAX_ORDER or any(e < 0 for e in eps):
        raise VarcheckError(f"eps must hold 1 to {MAX_ORDER} accuracies ≥ 0 (one per order), got "
                            f"{[str(e) for e in eps]}.")
    gap = exact_rational("noise_gap", noise_gap)
    if gap < 0:
        raise VarcheckError(f"noise_gap must be ≥ 0, got {gap}.")
    K = len(grid) - 1
    total = grid[-1] / grid[0] * gap
    for n in range(K):
        h = grid[n] - grid[n + 1]
        local = sum((h ** (j + 1) / math.factorial(j + 1) * e for j, e in enumerate(eps)), Fraction(0))
        total += local * math.prod((grid[m + 1] / grid[m] for m in range(n + 1, K)), start=Fraction(1))
    return total


# --------------------------------------------------------------------------- rounding of one float step


def rounding_ops(order: int) -> int:
    """M = 3k + 4: the most roundings an elementary term of one float step passes through (module doc)."""
    return 3 * _order(order) + 4


def step_rounding_bound(
    x, scales, shifts, exact_scales, exact_shifts, h, unit_roundoff, underflow, errors=None
) -> tuple:
    """Entrywise bound on |x̃' − Φ(x̃)| for one float step from x̃ = ``x`` (module doc): ``scales``/``shifts`` the float
    head coefficients ã_j, b̃_j (as exact rationals), ``exact_*`` the exact A_j, B_j, ``errors`` the float ẽ_j."""
    x = _vector("x", x)
    k = len(scales)
    h, u, eta0 = exact_rational("h", h), exact_rational("unit_roundoff", unit_roundoff), exact_rational(
        "underflow", underflow)
    if not 0 < u < Fraction(1, 64) or eta0 < 0 or abs(h) > 1:
        raise VarcheckError(f"need 0 < unit_roundoff < 1/64, underflow ≥ 0 and |h| ≤ 1, got {u}, {eta0}, {h}.")
    if not (len(shifts) == len(exact_scales) == len(exact_shifts) == k) or (errors is not None and len(errors) != k):
        raise VarcheckError("scales, shifts, exact_scales, exact_shifts (and errors) must hold one entry per order.")
    M = rounding_ops(k)
    gamma = M * u / (1 - M * u)
    cs = taylor_coefficients(h, k)
    out = []
    for i, xi in enumerate(x):
        coefficient_error, magnitude, under = Fraction(0), abs(xi), Fraction(0)
        for j in range(k):
            a, b = exact_rational("scale", scales[j]), exact_rational("shift", shifts[j][i])
            e = abs(exact_rational("error", errors[j][i])) if errors is not None else Fraction(0)
            c = abs(cs[j])
            coefficient_error += c * (abs(a - exact_scales[j]) * abs(xi) + abs(b - exact_shifts[j][i]))
            D = abs(xi * a) + abs(b) + e
            magnitude += c * D
            under += 1 + (j + 1) * (2 * D + 1)
        out.append(coefficient_error + gamma * magnitude + 4 * eta0 * under)
    return tuple(out)


# --------------------------------------------------------------------------- certified bounds (ball arithmetic)


def upper_fraction(ball) -> Fraction:
    """The upper end of an arb ball as an exact Fraction (mantissa·2^exponent of ``ball.upper()``)."""
    man, exp = ball.upper().man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2 ** (-exp))


def remainder_weight(h, order: int) -> Fraction:
    """|h|^{k+1}/(k+1)!: Lagrange's remainder of the order-k Taylor polynomial, per unit of max|σ^{(k+1)}|."""
    h, order = exact_rational("h", h), _order(order)
    return abs(h) ** (order + 1) / math.factorial(order + 1)


def _ball_sup(N, q, j: int, a: Fraction, b: Fraction, pieces: int):
    """An upper bound (arb point) of max_{[a,b]} |N(t)|/q(t)^{j−1/2}, from ball evaluations on ``pieces``
    subintervals."""
    from flint import arb, arb_poly

    from .ball_attention import arb_of

    Np, qp = arb_poly([arb_of(c) for c in N]), arb_poly([arb_of(c) for c in q])
    best = arb(0)
    for i in range(pieces):
        lo, hi = a + (b - a) * Fraction(i, pieces), a + (b - a) * Fraction(i + 1, pieces)
        T = arb(arb_of((lo + hi) / 2), arb_of((hi - lo) / 2))
        den = qp(T)
        if not den.lower() > 0:
            raise VarcheckError(f"q(t) is not certified positive on [{lo}, {hi}] (spread 0 reaches t = 0); use spread "
                                "> 0.")
        value = (abs(Np(T)).upper() / den.lower().sqrt() ** (2 * j - 1)).upper()
        if value > best:
            best = value
    return best


def certified_remainder_sum(spread, times, order: int, pieces: int = 8):
    """R_k = Σ_n remainder_weight(h_n)·max_{[t_{n+1},t_n]}|σ^{(k+1)}|/σ(t_{n+1}) as an arb ball (0 for spread 0)."""
    from flint import arb

    from .ball_attention import arb_of, working_precision

    s, grid, order = validate_spread(spread), _unit_grid(times), _order(order)
    pieces = require_int("pieces", pieces, minimum=1)
    if s == 0:
        return arb(0)  # N_{k+1} = 0 for k ≥ 1: straight trajectories, no remainder
    N, q = _numerators(s, order + 1)[order + 1], spread_polynomial(s)
    with working_precision(128):
        total = arb(0)
        for t, t_next in zip(grid, grid[1:]):
            S = _ball_sup(N, q, order + 1, t_next, t, pieces)
            total += arb_of(remainder_weight(t_next - t, order)) * S / arb_of(_eval(q, t_next)).sqrt()
        return total


def certified_error_factor(spread, times, order: int, pieces: int = 8):
    """An arb upper bound F with |e_K,i| ≤ |ε_i|·F: F = s·(exp(R_k) − 1) (module doc)."""
    from .ball_attention import arb_of, working_precision

    with working_precision(128):
        R = certified_remainder_sum(spread, times, order, pieces)
        return (arb_of(validate_spread(spread)) * (R.exp() - 1)).upper()


def certified_rate_constants(spread, order: int, pieces: int = 256) -> dict:
    """S_{k+1} = max_{[0,1]}|σ^{(k+1)}|, σ_min = s/√(1+s²), C_k = S_{k+1}/((k+1)!σ_min), K_k = s·C_k (arb upper
    bounds)."""
    from flint import arb

    from .ball_attention import arb_of, working_precision

    s, order = validate_spread(spread), _order(order)
    if s == 0:
        zero = arb(0)
        return {"S": zero, "sigma_min": zero, "C": zero, "K": zero}
    with working_precision(128):
        S = _ball_sup(
            _numerators(s, order + 1)[order + 1], spread_polynomial(s), order + 1, Fraction(0), Fraction(1), pieces
        )
        sigma_min = arb_of(s * s / (1 + s * s)).sqrt().lower()
        C = (S / (math.factorial(order + 1) * sigma_min)).upper()
        return {"S": S, "sigma_min": sigma_min, "C": C, "K": (arb_of(s) * C).upper()}


def certified_rate_bound(spread, times, order: int, pieces: int = 256):
    """K_k·h^k·exp(C_k h^k) (arb upper bound), h = max_step(times): the grid-independent O(h^k) form."""
    from .ball_attention import arb_of, working_precision

    k = certified_rate_constants(spread, order, pieces)
    with working_precision(128):
        hk = arb_of(max_step(_unit_grid(times)) ** _order(order))
        return (k["K"] * hk * (k["C"] * hk).exp()).upper()
