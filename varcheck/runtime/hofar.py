"""HOFAR-style heads (velocity and its time derivatives along the flow) and the order-k sampler in torch.

docs/hofar.md (docs/theory.md §6.4) and varcheck.exact.hofar hold the mathematics. A head of order k returns
k tensors v_1, …, v_k with v_j ≈ D^{j−1}v (x^{(j)} along the flow), each in FlowAR's AdaLN form

    v_j(x, t, S) = x·scale_j(t) + shift_j(S, t),

for the marginal velocity of FlowAR's linear path with data of spread s around Ŷ(S):

* **spread 0 (T3's head).** scale_1 = 1 + (1/t − 1), shift_1 = −Ŷ(S)/t, computed exactly as
  :class:`varcheck.runtime.flowar.FlowHead` does, and scale_j = shift_j = 0 for j ≥ 2 — the exact higher-order
  terms of the straight path are 0, so the order-k sampler is FlowAR's Euler sampler bit for bit.
* **spread s > 0.** scale_j(t) = N_j(t)/q(t)^j (Horner in the run's dtype, the rational coefficients of N_j and
  q from varcheck.exact.hofar rounded to it), shift_j = −(scale_j·(1 − t))·Ŷ − Ŷ·[j = 1].

:func:`hofar_sample` computes each step in the order varcheck.exact.hofar's rounding model assumes:
h = t_next − t, inc = h·v_1, then c_j = (c_{j−1}·h)/j and inc = inc + c_j·v_j, and x = x + inc (for k = 1 this is
exactly FlowAR's x + (t_next − t)·v). The heads are evaluated at grid times t > 0 only.
"""

from __future__ import annotations

from fractions import Fraction

import torch

from ..errors import VarcheckError, require_int
from ..exact import hofar as eh
from . import flowar as rf

__all__ = ["HOFARHead", "PerturbedHOFARHead", "hofar_sample", "step_rounding_bound", "propagated_rounding_bound"]


def _horner(coefficients, t):
    out = torch.zeros_like(t) + coefficients[-1]
    for c in reversed(coefficients[:-1]):
        out = out * t + c
    return out


class HOFARHead:
    """Order-k head [v_1, …, v_k], v_j(x, t, S) = x·scale_j(t) + shift_j(S, t) ≈ D^{j−1}v_s (module doc)."""

    def __init__(self, y_hat, order: int, spread=0):
        self.order = require_int("order", order, minimum=1, maximum=eh.MAX_ORDER)
        self.spread = eh.validate_spread(spread)
        self.flow = rf.FlowHead(y_hat)  # validates y_hat; Ŷ(S) with the FlowHead's checks
        self.y_hat = y_hat
        nums = eh.derivative_numerators(self.spread, self.order)
        self._q = [float(c) for c in eh.spread_polynomial(self.spread)]
        self._numerators = [[float(c) for c in nums[j]] for j in range(self.order + 1)]

    def target(self, S, like: torch.Tensor) -> torch.Tensor:
        return self.flow.target(S, like)

    def coefficients(self, x: torch.Tensor, t, S) -> list:
        """[(scale_j, shift_j)] for j = 1..order in the dtype of x (scale 0-d, shift shaped like x)."""
        t = torch.as_tensor(t, dtype=x.dtype)
        y = self.target(S, x)
        out = []
        if self.spread == 0:
            r = 1 / t
            s = r - 1
            out.append((1 + s, -y / t))  # FlowHead's AdaLN scale and shift, same operations
            zero = torch.zeros((), dtype=x.dtype)
            out += [(zero, torch.zeros_like(y)) for _ in range(self.order - 1)]
            return out
        q = _horner(self._q, t)
        qj = q
        for j in range(1, self.order + 1):
            if j > 1:
                qj = qj * q
            scale = _horner(self._numerators[j], t) / qj
            shift = -((scale * (1 - t)) * y)
            if j == 1:
                shift = shift - y
            out.append((scale, shift))
        return out

    def __call__(self, x: torch.Tensor, t, S) -> list:
        return [x * scale + shift for scale, shift in self.coefficients(x, t, S)]


class PerturbedHOFARHead(rf.PerturbedHead):
    """head + e_j: ``perturbation(j, x, t)`` returns the error of the j-th term (j = 1..order)."""

    HEAD = HOFARHead
    SIGNATURE = "perturbation(j, x, t)"

    def __init__(self, head, perturbation):
        super().__init__(head, perturbation)
        self.order, self.spread = head.order, head.spread

    def coefficients(self, x, t, S):
        return self.head.coefficients(x, t, S)

    def errors(self, x, t) -> list:
        return [torch.as_tensor(self.perturbation(j, x, t), dtype=x.dtype) for j in range(1, self.order + 1)]

    def __call__(self, x, t, S):
        return [d + e for d, e in zip(self.head(x, t, S), self.errors(x, t))]


def hofar_sample(head, noise, S, times, *, trajectory: bool = False):
    """The order-k sampler x ← x + Σ_j (h^j/j!)·v_j(x, t, S) over ``times`` from x = noise (dtype of ``noise``).

    Returns x_K, or [x_0, …, x_K] with ``trajectory``."""
    if not isinstance(head, (HOFARHead, PerturbedHOFARHead)):
        raise VarcheckError(f"head must be a HOFARHead or PerturbedHOFARHead, got {type(head).__name__}.")
    x = torch.as_tensor(noise)
    rf.require_dtype("noise.dtype", x.dtype)
    if not bool(torch.isfinite(x).all()):
        raise VarcheckError("noise must hold finite numbers only (no NaN or inf).")
    grid = rf.check_grid(torch.as_tensor(times).to(x.dtype))
    if not torch.equal(grid.to(torch.float64), torch.as_tensor(times).to(torch.float64)):
        raise VarcheckError(f"times must be exactly representable in the noise dtype {x.dtype}.")
    states = [x]
    for t, t_next in zip(grid[:-1], grid[1:]):
        terms = head(x, t, S)
        h = t_next - t
        inc = h * terms[0]
        c = h
        for j in range(2, len(terms) + 1):
            c = c * h / j
            inc = inc + c * terms[j - 1]
        x = x + inc
        states.append(x)
    return states if trajectory else x


def _rationals(tensor) -> list:
    return [Fraction(v) for v in torch.as_tensor(tensor).flatten().tolist()]


def step_rounding_bound(head, x, t, t_next, S) -> list:
    """Entrywise exact bound on |x̃' − Φ(x̃)| for one float step of :func:`hofar_sample` from x̃ = ``x`` at grid time t:
    varcheck.exact.hofar.step_rounding_bound with the head's float coefficients (and perturbation values), Φ the exact
    step with the exact coefficients of spread ``head.spread``."""
    if not isinstance(head, (HOFARHead, PerturbedHOFARHead)):
        raise VarcheckError(f"head must be a HOFARHead or PerturbedHOFARHead, got {type(head).__name__}.")
    x = torch.as_tensor(x)
    u, eta0 = rf.FLOAT_FORMATS[x.dtype]
    tq, tn = Fraction(float(t)), Fraction(float(t_next))
    coeffs = head.coefficients(x, t, S)
    exact = eh.head_coefficients(_rationals(head.target(S, x)), head.spread, tq, head.order)
    errors = [_rationals(e) for e in head.errors(x, t)] if isinstance(head, PerturbedHOFARHead) else None
    return list(
        eh.step_rounding_bound(
            _rationals(x),
            [Fraction(float(a)) for a, _ in coeffs],
            [_rationals(b) for _, b in coeffs],
            [a for a, _ in exact],
            [b for _, b in exact],
            tn - tq,
            u,
            eta0,
            errors=errors,
        )
    )


def propagated_rounding_bound(head, states, times, S) -> list:
    """Σ_n Π_{m>n}|P_m|·ℓ_n per entry (exact): a bound on |x̃_K − x_K| between the float run ``states`` of ``head`` on
    the
    grid ``times`` and the exact run from the same noise (ℓ_n = :func:`step_rounding_bound`, P_m the exact step
    factors)."""
    grid = torch.as_tensor(times)
    out = None
    for n in range(len(grid) - 1):
        ell = step_rounding_bound(head, states[n], grid[n], grid[n + 1], S)
        P = abs(eh.step_factor(head.spread, Fraction(float(grid[n])), Fraction(float(grid[n + 1])), head.order))
        out = ell if out is None else [P * r + e for r, e in zip(out, ell)]
    return out
