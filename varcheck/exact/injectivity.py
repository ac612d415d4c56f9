"""Injectivity of interpolation operators, certified over Q (docs/theory.md §2.4, claims I6–I7).

* Full column rank is decided exactly (``fmpq_mat.rank``).
* A lower bound on σ_min(U) is certified by an exact LDLᵀ factorisation of UᵀU − τI over Q: all
  pivots positive ⇔ UᵀU − τI is positive definite ⇔ λ_min(UᵀU) > τ ⇔ σ_min(U) > √τ. τ is a rational
  just below a float estimate of λ_min, so the float only *proposes* the bound; the rational
  factorisation proves it.
* Non-injectivity of down-sampling is exhibited by an exact kernel vector (two distinct inputs with
  equal outputs).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["column_rank", "gram", "is_positive_definite", "certified_lambda_min_lower", "kernel_vector"]

#: Relative slack below the float estimate of λ_min when proposing τ; any value in (0, 1) is sound
#: (the certificate is the exact factorisation), this one keeps τ within 10⁻⁶ of λ_min.
TAU_RELATIVE_SLACK = Fraction(1, 10**6)


def column_rank(u) -> int:
    """Exact rank of an ``fmpq_mat``."""
    return u.rank()


def gram(u):
    """UᵀU as an ``fmpq_mat``."""
    return u.transpose() * u


def is_positive_definite(g, shift=Fraction(0)) -> bool:
    """Exact test that G − shift·I is positive definite (G symmetric ``fmpq_mat``), by LDLᵀ over Q."""
    from flint import fmpq

    n = g.nrows()
    shift = fmpq(shift.numerator, shift.denominator)
    a = [[g[i, j] - (shift if i == j else 0) for j in range(n)] for i in range(n)]
    for k in range(n):
        pivot = a[k][k]
        if pivot <= 0:
            return False
        row_k = a[k]
        for i in range(k + 1, n):
            factor = a[i][k] / pivot
            if factor == 0:
                continue
            row_i = a[i]
            for j in range(k + 1, i + 1):
                row_i[j] -= factor * row_k[j]
        # mirror the updated lower triangle into the upper one for the next step
        for i in range(k + 1, n):
            for j in range(k + 1, i):
                a[j][i] = a[i][j]
    return True


def certified_lambda_min_lower(u) -> Fraction:
    """A rational τ ≥ 0 with λ_min(UᵀU) > τ, proved exactly (so σ_min(U) > √τ).

    Returns 0 when U does not have full column rank. The float estimate comes from numpy; the proof
    is :func:`is_positive_definite` over Q. If the first proposal fails (float error), τ is halved
    until the exact test passes; a rank-full Gram matrix always admits some τ > 0.
    """
    if column_rank(u) < u.ncols():
        return Fraction(0)
    g = gram(u)
    dense = np.array([[float(Fraction(str(g[i, j]))) for j in range(g.ncols())] for i in range(g.nrows())])
    estimate = Fraction(float(np.linalg.eigvalsh(dense)[0])) * (1 - TAU_RELATIVE_SLACK)
    tau = max(estimate, Fraction(0))
    while tau > 0 and not is_positive_definite(g, tau):
        tau /= 2
    if tau == 0:
        # eigen-estimate was ≤ 0 by rounding: fall back to halving from the smallest diagonal entry
        tau = min(Fraction(str(g[i, i])) for i in range(g.nrows()))
        while not is_positive_definite(g, tau):
            tau /= 2
    return tau


def kernel_vector(u):
    """A non-zero exact vector z (list of Fractions) with Uz = 0, or None when U has full column rank."""
    import sympy as sp

    m = sp.Matrix(u.nrows(), u.ncols(), [sp.Rational(str(e)) for e in u.entries()])
    basis = m.nullspace()
    if not basis:
        return None
    z = basis[0]
    return [Fraction(int(sp.Rational(v).p), int(sp.Rational(v).q)) for v in z]
