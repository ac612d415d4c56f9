"""Exact operator norms of rational matrices (∞, 1 and certified 2-norm bounds): the Lipschitz constants of the
linear targets and of ReLU networks.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ...errors import VarcheckError
from ...exact.injectivity import is_positive_definite
from ...theory.partition import INF, parse_exponent
from .base import SPECTRAL_BITS, SPECTRAL_SLACK, _fmt_norm, _nd


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
        raise VarcheckError(f"norm must be one of {', '.join(_fmt_norm(a) for a in allowed)} for this target, got "
                            f"{norm!r}.")
    return p
