"""HOFAR's higher-order trajectory terms, symbolically (docs/hofar.md, docs/theory.md §6.4; claims hofar.*).

FlowAR integrates dx/dt = v(x, t) from t = 1 (noise) to t = 0 (data). HOFAR (arXiv:2503.08032) augments the
first-order velocity with **higher-order trajectory terms**: along a solution x(t) of the ODE,

    x^{(j)}(t) = (D^{j−1} v)(x(t), t),   D f = ∂_t f + (∂_x f)·v   (the total derivative along the flow),

and an order-k sampler takes the Taylor step x ← x + Σ_{j=1}^k h^j/j!·D^{j−1}v(x, t), h = t_next − t < 0
(k = 1 is FlowAR's Euler step).

**The straight path (T3's head).** For v(x, t) = (x − Ŷ)/t, D v = −(x − Ŷ)/t² + (1/t)·(x − Ŷ)/t = 0
identically, so every higher-order term vanishes and the order-k step *is* the Euler step; the conditional
path x_t = (1 − t)Y + tε has d^j x_t/dt^j = 0 for j ≥ 2 as well.

**Curved trajectories (the same linear path, spread-out data).** For data Y ~ N(μ, s²) (per entry) and noise
ε ~ N(0, 1), x_t = (1 − t)Y + tε is Gaussian with mean (1 − t)μ and variance q(t) = s²(1 − t)² + t²; Gaussian
regression gives the marginal velocity

    v_s(x, t) = E[ε − Y | x_t = x] = −μ + (q'(t)/(2q(t)))·(x − (1 − t)μ),

whose trajectories are x(t) = (1 − t)μ + σ(t)·ε with σ = √q (x(1) = ε, x(0) = μ + sε: the flow pushes the noise
to the data). s = 0 gives back T3's head ((x − μ)/t, the marginal velocity of a point mass); for s > 0,
σ'' = s²/σ³ > 0 and the trajectories bend. With σ^{(j)} = N_j/q^{j − 1/2}, N_0 = 1,
N_{j+1} = N_j'·q − (j − ½)·N_j·q' (polynomials; N_1 = q'/2, N_2 = s²), the trajectory terms are affine in x:

    D^{j−1} v_s(x, t) = −μ·[j = 1] + A_j(t)·(x − (1 − t)μ),   A_j = σ^{(j)}/σ = N_j/q^j.

The functions below build these expressions; the evidence (varcheck.claims.hofar) checks the identities.
"""

from __future__ import annotations

import math

import sympy as sp

from ..errors import require_int

__all__ = [
    "total_derivative",
    "trajectory_terms",
    "taylor_increment",
    "flowar_head",
    "straight_path",
    "spread_polynomial",
    "spread_numerators",
    "spread_derivative_numerator",
    "gaussian_marginal_velocity",
    "gaussian_flow",
    "gaussian_trajectory_term",
]


def total_derivative(f, v, x, t):
    """D f = ∂_t f + (∂_x f)·v, the derivative of f(x(t), t) along a solution of dx/dt = v."""
    return sp.diff(f, t) + sp.diff(f, x) * v


def trajectory_terms(v, x, t, order: int) -> list:
    """[v, D v, …, D^{order−1} v]: x', x'', …, x^{(order)} along the flow of v, as functions of (x, t)."""
    order = require_int("order", order, minimum=1)
    terms = [v]
    for _ in range(order - 1):
        terms.append(sp.cancel(sp.together(total_derivative(terms[-1], v, x, t))))
    return terms


def taylor_increment(terms, h):
    """Σ_j h^j/j!·terms[j−1]: the order-len(terms) Taylor (HOFAR) increment."""
    return sum((h**j / math.factorial(j) * term for j, term in enumerate(terms, start=1)), sp.Integer(0))


def flowar_head(x, t, y_hat):
    """T3's head v(x, t) = (x − Ŷ)/t."""
    return (x - y_hat) / t


def straight_path(t, y, eps):
    """FlowAR's training path x_t = (1 − t)·Y + t·ε (data at t = 0, noise at t = 1)."""
    return (1 - t) * y + t * eps


def spread_polynomial(t, s):
    """q(t) = s²(1 − t)² + t², the variance of x_t for data spread s (std) and unit noise."""
    return s**2 * (1 - t) ** 2 + t**2


def spread_numerators(t, s, count: int) -> list:
    """[N_0, …, N_count] with σ^{(j)} = N_j/q^{j−1/2}: N_0 = 1, N_{j+1} = N_j'q − (j − ½)N_j q' (expanded)."""
    count = require_int("count", count, minimum=0)
    q = spread_polynomial(t, s)
    dq = sp.diff(q, t)
    out = [sp.Integer(1)]
    for j in range(count):
        out.append(sp.expand(sp.diff(out[-1], t) * q - (j - sp.Rational(1, 2)) * out[-1] * dq))
    return out


def spread_derivative_numerator(t, s, j: int):
    """σ^{(j)}·σ^{2j−1} for σ = √q, by the chain rule alone: σ is a symbol Q with dQ/dt = q'/(2Q), and Q² = q
    is substituted at the end (a polynomial in t; equal to N_j exactly when σ^{(j)} = N_j/q^{j−1/2})."""
    j = require_int("j", j, minimum=0)
    q = spread_polynomial(t, s)
    Q = sp.Symbol("_Q", positive=True)
    expr = Q
    for _ in range(j):
        expr = sp.diff(expr, t) + sp.diff(expr, Q) * sp.diff(q, t) / (2 * Q)
    return sp.expand(sp.expand(expr * Q ** (2 * j - 1)).subs(Q, sp.sqrt(q)))


def gaussian_marginal_velocity(x, t, mu, s):
    """E[ε − Y | x_t = x] for Y ~ N(μ, s²), ε ~ N(0, 1) independent, x_t = (1 − t)Y + tε, by Gaussian regression.

    The moments are computed from E[Y] = μ, E[Y²] = μ² + s², E[ε] = 0, E[ε²] = 1, E[Yε] = 0, then
    E[u | x_t = x] = E[u] + Cov(u, x_t)/Var(x_t)·(x − E[x_t]) (exact for jointly Gaussian u, x_t)."""
    Y, E = sp.symbols("_Y _eps", real=True)
    moments = {(0, 0): 1, (1, 0): mu, (2, 0): mu**2 + s**2, (0, 1): 0, (0, 2): 1, (1, 1): 0}

    def expect(poly):
        p = sp.Poly(sp.expand(poly), Y, E)
        return sum((c * moments[m] for m, c in zip(p.monoms(), p.coeffs())), sp.Integer(0))

    u, xt = E - Y, straight_path(t, Y, E)
    mean_u, mean_x = expect(u), expect(xt)
    cov = expect((u - mean_u) * (xt - mean_x))
    var = expect((xt - mean_x) ** 2)
    return mean_u + cov / var * (x - mean_x)


def gaussian_flow(t, mu, s, eps):
    """x(t) = (1 − t)μ + σ(t)·ε, σ = √q: the solution of dx/dt = v_s through x(1) = ε."""
    return (1 - t) * mu + sp.sqrt(spread_polynomial(t, s)) * eps


def gaussian_trajectory_term(x, t, mu, s, j: int):
    """−μ·[j = 1] + (N_j/q^j)·(x − (1 − t)μ), the closed form of D^{j−1} v_s (module doc)."""
    j = require_int("j", j, minimum=1)
    N = spread_numerators(t, s, j)[j]
    return (-mu if j == 1 else 0) + N / spread_polynomial(t, s) ** j * (x - (1 - t) * mu)
