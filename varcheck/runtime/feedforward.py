"""Token-wise ReLU feed-forward layers built from exact rational weights (docs/theory.md §3.1).

    FF(X) = X + ReLU(X W₁ + 1b₁ᵀ) W₂ + 1b₂ᵀ          (residual, the transformer block)
    FF(X) =     ReLU(X W₁ + 1b₁ᵀ) W₂ + 1b₂ᵀ          (plain)

Weights are given exactly (anything :func:`fractions.Fraction` accepts) and kept twice: as Fractions for
the exact evaluation of a token and as correctly rounded float64 buffers for torch. Every float evaluation
comes with a rigorous entrywise bound on its distance to the exact map at the same (float) input, by the
standard forward analysis (Higham §3): with u = 2⁻⁵³ and γ_n = nu/(1 − nu), an affine layer y = xW + b
evaluated in float64 from rounded weights satisfies

    |fl(xW̃ + b̃) − (xW + b)| ≤ c_n (|x||W̃| + |b̃|),   c_n = (1 + u)²(1 + γ_{n+1}) − 1 ≤ γ_{n+3},

an input error e propagates as |W̃|e (|W| ≤ (1+u)|W̃| is inside the (1+u)² factor), ReLU is exact and
1-Lipschitz, and the bound's own float evaluation is covered by one more factor 1 + γ_{n+2}.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import torch

from ..errors import VarcheckError
from ..exact.floating_point import gamma
from ..exact.quantizer import exact_rational, relu_forward_exact
from .var_transformer import FeedForwardBlock

__all__ = ["ExactAffine", "FeedForward", "ReluMLP", "affine_rounding_factor", "as_float64"]


def affine_rounding_factor(n: int) -> float:
    """γ_{n+3} ≥ (1 + u)²(1 + γ_{n+1}) − 1 (Higham Lemma 3.3) for an affine map with inner length n.

    (Evaluating (1 + u)² in float64 would give exactly 1: 1 + 2⁻⁵³ rounds to 1, so the γ form is used.)
    """
    return gamma(n + 3)


def _matrix(name, rows, nrows=None, ncols=None) -> tuple:
    try:
        out = tuple(
            tuple(exact_rational(f"{name}[{i}][{j}]", v) for j, v in enumerate(row)) for i, row in enumerate(rows)
        )
    except TypeError:
        raise VarcheckError(f"{name} must be a matrix (a sequence of rows of rationals).") from None
    if not out or len({len(r) for r in out}) != 1 or not out[0]:
        raise VarcheckError(f"{name} must be a non-empty matrix with rows of equal length.")
    if nrows is not None and len(out) != nrows:
        raise VarcheckError(f"{name} must have {nrows} rows, got {len(out)}.")
    if ncols is not None and len(out[0]) != ncols:
        raise VarcheckError(f"{name} must have {ncols} columns, got {len(out[0])}.")
    return out


def _vector(name, values, length) -> tuple:
    try:
        out = tuple(exact_rational(f"{name}[{i}]", v) for i, v in enumerate(values))
    except TypeError:
        raise VarcheckError(f"{name} must be a sequence of rationals.") from None
    if len(out) != length:
        raise VarcheckError(f"{name} must have length {length}, got {len(out)}.")
    return out


def _tensor(rows, dtype) -> torch.Tensor:
    return torch.tensor([[float(v) for v in row] for row in rows], dtype=torch.float64).to(dtype)


def as_float64(x, name: str = "x") -> torch.Tensor:
    """x as a float64 tensor, rejecting NaN and infinities."""
    try:
        t = x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x, dtype=np.float64))
    except (TypeError, ValueError, OverflowError, RuntimeError):
        raise VarcheckError(f"{name} must be a real tensor or array, got {type(x).__name__}.") from None
    if t.is_complex():
        raise VarcheckError(f"{name} must be real, got a complex tensor.")
    if not torch.is_floating_point(t):
        t = t.to(torch.float64)
    t = t.to(torch.float64)
    if not bool(torch.isfinite(t).all()):
        raise VarcheckError(f"{name} must hold finite numbers only (no NaN or inf).")
    return t


class ExactAffine(torch.nn.Module):
    """y = x W + b on the last axis, with exact W (n × k), b (k) and float64 buffers."""

    def __init__(self, w, b, *, name: str = "W", bias_name: str | None = None):
        super().__init__()
        self.w_exact = _matrix(name, w)
        self.b_exact = _vector(bias_name or f"b of {name}", b, len(self.w_exact[0]))
        self.n_in, self.n_out = len(self.w_exact), len(self.w_exact[0])
        self.register_buffer("w", _tensor(self.w_exact, torch.float64))
        self.register_buffer("b", torch.tensor([float(v) for v in self.b_exact], dtype=torch.float64))
        self.register_buffer("w_abs", self.w.abs())
        self.register_buffer("b_abs", self.b.abs())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.w + self.b

    def exact(self, x) -> list:
        return [sum((xi * self.w_exact[i][j] for i, xi in enumerate(x) if xi), Fraction(0)) + self.b_exact[j]
                for j in range(self.n_out)]

    def error_bound(self, x: torch.Tensor, input_error: torch.Tensor | None = None) -> torch.Tensor:
        """Entrywise bound on |fl(x̃W̃ + b̃) − (xW + b)| given |x̃ − x| ≤ input_error (x̃ the float input)."""
        bound = affine_rounding_factor(self.n_in) * (x.abs() @ self.w_abs + self.b_abs)
        if input_error is not None:
            bound = bound + input_error @ self.w_abs
        return bound * (1 + gamma(self.n_in + 2))

    def inf_norm(self) -> Fraction:
        """‖W‖ from ‖·‖_∞ to ‖·‖_∞ in the row convention: the largest column ℓ1 sum."""
        return max(sum(abs(self.w_exact[i][j]) for i in range(self.n_in)) for j in range(self.n_out))


class FeedForward(FeedForwardBlock):
    """The token-wise layer FF (residual by default) from exact W₁ (d × k), b₁, W₂ (k × d'), b₂, run in float64 as the
    VarTransformer's feed-forward layer (varcheck.runtime.var_transformer.FeedForwardBlock) with the correctly
    rounded weights; the exact weights give :meth:`exact` and the rounding bound :meth:`error_bound`."""

    def __init__(self, w1, b1, w2, b2, *, residual: bool = True):
        if not isinstance(residual, bool):
            raise VarcheckError(f"residual must be True or False, got {residual!r}.")
        inner = ExactAffine(w1, b1, name="W1", bias_name="b1")
        outer = ExactAffine(w2, b2, name="W2", bias_name="b2")
        if outer.n_in != inner.n_out:
            raise VarcheckError(f"W2 must have {inner.n_out} rows (the width of W1), got {outer.n_in}.")
        if residual and outer.n_out != inner.n_in:
            raise VarcheckError(f"a residual layer needs d_out = d_in = {inner.n_in}, got W2 with {outer.n_out} "
                                "columns.")
        super().__init__(inner.n_in, inner.n_out, torch.float64, d_out=outer.n_out, residual=residual)
        self.inner, self.outer = inner, outer
        with torch.no_grad():
            for layer, affine in ((self.fc1, inner), (self.fc2, outer)):
                layer.weight.copy_(affine.w.T)
                layer.bias.copy_(affine.b)
        self.requires_grad_(False)
        self.d_in, self.d_out, self.width = inner.n_in, outer.n_out, inner.n_out

    def _check(self, x) -> torch.Tensor:
        x = as_float64(x)
        if x.ndim < 1 or x.shape[-1] != self.d_in:
            raise VarcheckError(f"x must have shape (..., {self.d_in}) (tokens of dimension {self.d_in}), got "
                                f"{tuple(x.shape)}.")
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(self._check(x))

    def exact(self, token) -> list:
        """FF of one token over Q."""
        x = [exact_rational("token", v) for v in token]
        if len(x) != self.d_in:
            raise VarcheckError(f"token must have length {self.d_in}, got {len(x)}.")
        return relu_forward_exact(x, self.inner.w_exact, self.inner.b_exact, self.outer.w_exact, self.outer.b_exact,
                                  residual=self.residual)

    def error_bound(self, x: torch.Tensor, input_error: torch.Tensor | None = None) -> torch.Tensor:
        """Entrywise bound on |fl(FF)(x̃) − FF(x)| when |x̃ − x| ≤ input_error (0 when None)."""
        x = self._check(x)
        hidden = torch.relu(self.fc1(x))
        e_hidden = self.inner.error_bound(x, input_error)
        bound = self.outer.error_bound(hidden, e_hidden)
        if self.residual:
            y = self.fc2(hidden)
            bound = bound + gamma(1) * (x + y).abs()
            if input_error is not None:
                bound = bound + input_error
            bound = bound * (1 + gamma(2))
        return bound

    def extra_repr(self):
        return f"d_in={self.d_in}, width={self.width}, d_out={self.d_out}, residual={self.residual}"


class ReluMLP(torch.nn.Module):
    """x ↦ A_k(ReLU(… ReLU(A_1 x)…)) on the last axis: exact affine layers with ReLU between them."""

    def __init__(self, layers):
        super().__init__()
        layers = list(layers)
        if not layers:
            raise VarcheckError("layers must hold at least one (W, b) pair.")
        self.layers = torch.nn.ModuleList(ExactAffine(w, b, name=f"W{k + 1}") for k, (w, b) in enumerate(layers))
        for k in range(1, len(self.layers)):
            if self.layers[k].n_in != self.layers[k - 1].n_out:
                raise VarcheckError(f"layer {k + 1} takes {self.layers[k].n_in} inputs but layer {k} gives "
                                    f"{self.layers[k - 1].n_out}.")
        self.d_in, self.d_out = self.layers[0].n_in, self.layers[-1].n_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for k, layer in enumerate(self.layers):
            x = layer(x)
            if k + 1 < len(self.layers):
                x = torch.relu(x)
        return x

    def exact(self, x) -> list:
        x = [exact_rational("x", v) for v in x]
        for k, layer in enumerate(self.layers):
            x = layer.exact(x)
            if k + 1 < len(self.layers):
                x = [max(v, Fraction(0)) for v in x]
        return x

    def error_bound(self, x: torch.Tensor, input_error: torch.Tensor | None = None) -> torch.Tensor:
        err = input_error
        for k, layer in enumerate(self.layers):
            err = layer.error_bound(x, err)
            x = layer(x)
            if k + 1 < len(self.layers):
                x = torch.relu(x)
        return err
