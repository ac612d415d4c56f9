"""Single-head self-attention evaluated in ball arithmetic (python-flint ``arb``) at a chosen precision.

SA(X) = X + softmax_row(X W_Q (X W_K)ᵀ + M)·X W_V W_O (docs/theory.md §3.1), with exact rational weights and
tokens; every output entry is an arb ball that contains the exact real value. Masked entries (M = −∞)
are left out of the row's softmax. The softmax is evaluated stably: exp(a_j − max_j a_j).
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import VarcheckError
from .directed_rounding import working_precision

__all__ = ["arb_of", "ball_self_attention", "ball_softmax_readout", "working_precision"]


def arb_of(q):
    """An exact rational (Fraction/int) as an arb ball (exact when the denominator is a power of 2)."""
    from flint import arb, fmpq

    q = Fraction(q)
    return arb(fmpq(q.numerator, q.denominator))


def _matmul(a, b):
    return [[sum((x * y for x, y in zip(row, col)), Fraction(0)) for col in zip(*b)] for row in a]


def ball_softmax_readout(scores, values):
    """Σ_j softmax(scores)_j·values_j with exact rational scores and arb/rational values."""
    top = max(scores)
    weights = [arb_of(s - top).exp() for s in scores]
    total = sum(weights[1:], weights[0])
    cols = [[arb_of(v) if isinstance(v, (Fraction, int)) else v for v in col] for col in zip(*values)]
    return [sum((w * v for w, v in zip(weights, col)), arb_of(0)) / total for col in cols]


def ball_self_attention(x, w_q, w_k, w_v, w_o, *, mask=None, precision: int = 128):
    """SA(X) in arb balls for exact X (n × d) and weights; ``mask[i][j]`` False hides key j from query i."""
    n = len(x)
    if mask is not None and (len(mask) != n or any(len(row) != n for row in mask)):
        raise VarcheckError(f"mask must be {n} × {n} for {n} tokens.")
    with working_precision(precision):
        q, k = _matmul(x, w_q), _matmul(x, w_k)
        values = _matmul(_matmul(x, w_v), w_o)
        out = []
        for i in range(n):
            keys = [j for j in range(n) if mask is None or mask[i][j]]
            if not keys:
                raise VarcheckError(f"mask leaves query {i} with no key to attend to.")
            scores = [sum((a * b for a, b in zip(q[i], k[j])), Fraction(0)) for j in keys]
            read = ball_softmax_readout(scores, [values[j] for j in keys])
            out.append([arb_of(xi) + r for xi, r in zip(x[i], read)])
        return out
