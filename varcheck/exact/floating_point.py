"""Rigorous float64 rounding bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, §3).

With unit roundoff u = 2⁻⁵³ and γ_n = n·u/(1 − n·u): a float64 inner product of length n satisfies
|fl(aᵀb) − aᵀb| ≤ γ_n |a|ᵀ|b|, and a matrix whose entries are correctly rounded from exact values
satisfies |Ũ − U| ≤ u|U| entrywise. These give the tolerance every float comparison is held to.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

__all__ = ["UNIT_ROUNDOFF", "gamma", "separable_apply_error_factor", "separable_apply_error_bound", "TORCH_PARITY_TOL"]

#: Unit roundoff of IEEE binary64.
UNIT_ROUNDOFF = 2.0**-53

#: THEORY.md §2.1: torch's float64 interpolation and the exact rational operator must agree to ≤ 1e−13
#: (absolute, on inputs in [0, 1]). This is the specification's contract, checked, not a fitted tolerance.
TORCH_PARITY_TOL = 1e-13


def _round_up(q: Fraction) -> float:
    """The smallest float64 ≥ the rational q."""
    f = float(q)
    return f if Fraction(f) >= q else math.nextafter(f, math.inf)


def gamma(n: int) -> float:
    """γ_n = n u / (1 − n u)."""
    nu = n * UNIT_ROUNDOFF
    return nu / (1 - nu)


def separable_apply_error_factor(h: int, w: int) -> float:
    """Relative factor c with |fl(Ũ_h X Ũ_wᵀ) − U_h X U_wᵀ| ≤ c·|U_h||X||U_w|ᵀ.

    Rounded entries contribute (1+u)² and the two products (1+γ_h)(1+γ_w) (inner lengths h and w);
    the factor is their product minus one, rounded up by one further γ_2 for its own evaluation.
    """
    # evaluated over Q: in float64 1 + u rounds to 1 and the rounded-entry term would vanish
    u = Fraction(1, 2**53)
    g = lambda n: n * u / (1 - n * u)  # noqa: E731
    return _round_up((1 + u) ** 2 * (1 + g(h)) * (1 + g(w)) - 1)


def separable_apply_error_bound(uh: np.ndarray, x: np.ndarray, uw: np.ndarray) -> np.ndarray:
    """Entrywise bound on |fl(Ũ_h X Ũ_wᵀ) − U_h X U_wᵀ| for the float64 reference computation."""
    h, w = x.shape[-2:]
    mag = np.abs(uh) @ np.abs(x) @ np.abs(uw).T
    return separable_apply_error_factor(h, w) * mag * (1 + gamma(h + w))


#: torch's CPU exp (Sleef u10 vector kernels, glibc scalar) is accurate to within 1 ulp; an assumption
#: of the float64 softmax bound below, not an IEEE guarantee.
EXP_ULPS = 1


def softmax_readout_error_bound(score_abs_max: float, n: int, d: int, value_abs_max: float) -> float:
    """Bound on |ρ̃ − ρ| for a float64 single-query read-out ρ = Σ softmax(a)_l y_l (rank-1 values).

    Scores are dot products of length d twice (x·W_Q, x·W_K, then their product): each ã has absolute
    error ≤ γ_{2d+1}·A with A ≥ the magnitude bound of the scores. Subtracting the row maximum and exp
    add u·2A and EXP_ULPS·2u, so every weight carries a relative error ≤ κ = e^η − 1 with
    η = 2γ_{2d+1}A + 2uA + 2·EXP_ULPS·u. Normalising (n terms) and the weighted sum of values (each
    with error γ_d·Y) give |ρ̃ − ρ| ≤ Y·(2κ/(1 − κ) + γ_{n+1}) + γ_d·Y + γ_n·Y, doubled for the
    products of these factors (all first-order terms are below 1).
    """
    u = UNIT_ROUNDOFF
    eta = 2 * gamma(2 * d + 1) * score_abs_max + 2 * u * score_abs_max + 2 * EXP_ULPS * u
    kappa = np.expm1(eta)
    if kappa >= 0.5:
        return float("inf")
    rel = 2 * kappa / (1 - kappa) + gamma(n + 1)
    return 2 * value_abs_max * (rel + gamma(d) + gamma(n))
