"""Rigorous float64 rounding bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, §3).

With unit roundoff u = 2⁻⁵³ and γ_n = n·u/(1 − n·u): a float64 inner product of length n satisfies
|fl(aᵀb) − aᵀb| ≤ γ_n |a|ᵀ|b|, and a matrix whose entries are correctly rounded from exact values
satisfies |Ũ − U| ≤ u|U| entrywise. These give the tolerance every float comparison is held to.
"""

from __future__ import annotations

import numpy as np

__all__ = ["UNIT_ROUNDOFF", "gamma", "separable_apply_error_factor", "separable_apply_error_bound", "TORCH_PARITY_TOL"]

#: Unit roundoff of IEEE binary64.
UNIT_ROUNDOFF = 2.0**-53

#: THEORY.md §2.1: torch's float64 interpolation and the exact rational operator must agree to ≤ 1e−13
#: (absolute, on inputs in [0, 1]). This is the specification's contract, checked, not a fitted tolerance.
TORCH_PARITY_TOL = 1e-13


def gamma(n: int) -> float:
    """γ_n = n u / (1 − n u)."""
    nu = n * UNIT_ROUNDOFF
    return nu / (1 - nu)


def separable_apply_error_factor(h: int, w: int) -> float:
    """Relative factor c with |fl(Ũ_h X Ũ_wᵀ) − U_h X U_wᵀ| ≤ c·|U_h||X||U_w|ᵀ.

    Rounded entries contribute (1+u)² and the two products (1+γ_h)(1+γ_w) (inner lengths h and w);
    the factor is their product minus one, rounded up by one further γ_2 for its own evaluation.
    """
    u = UNIT_ROUNDOFF
    return ((1 + u) ** 2 * (1 + gamma(h)) * (1 + gamma(w)) - 1) * (1 + gamma(2))


def separable_apply_error_bound(uh: np.ndarray, x: np.ndarray, uw: np.ndarray) -> np.ndarray:
    """Entrywise bound on |fl(Ũ_h X Ũ_wᵀ) − U_h X U_wᵀ| for the float64 reference computation."""
    h, w = x.shape[-2:]
    mag = np.abs(uh) @ np.abs(x) @ np.abs(uw).T
    return separable_apply_error_factor(h, w) * mag * (1 + gamma(h + w))
