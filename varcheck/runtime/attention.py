"""Single-head self-attention and the Boltzmann operator in torch (docs/theory.md §3.1), float64 by default.

SA(X) = X + softmax_row(X W_Q (X W_K)ᵀ + M)·X W_V W_O with M = 0 where attention is allowed and −∞
elsewhere (block-causal scale mask); no 1/√s factor. torch.softmax subtracts the row maximum, so the
evaluation is stable for any logit range that the format can hold. :class:`SelfAttention` is the VarTransformer's
attention layer (varcheck.runtime.var_transformer.SingleHeadAttention) built from weight matrices.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import torch

from ..errors import VarcheckError
from .var_transformer import DTYPES, SingleHeadAttention

__all__ = ["SelfAttention", "boltzmann", "to_tensor", "DTYPES", "contextual_mapping_outputs"]


def _dtype(dtype):
    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype not in DTYPES:
        raise VarcheckError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}.")
    return DTYPES[dtype]


def to_tensor(values, dtype="float64") -> torch.Tensor:
    """Nested lists of Fractions/floats (or an array) as a tensor: each entry rounded once to the format."""
    arr = np.vectorize(lambda q: float(Fraction(q)) if isinstance(q, Fraction) else float(q), otypes=[np.float64])(
        np.asarray(values, dtype=object)
    )
    return torch.from_numpy(arr).to(_dtype(dtype))


def boltzmann(a: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """boltz(a) = Σ a_i softmax(a)_i along ``dim``."""
    return (a * torch.softmax(a, dim=dim)).sum(dim=dim)


def _real_matrix(name: str, w) -> torch.Tensor:
    """A finite real 2-D weight as a float64 tensor, or a VarcheckError naming it."""
    try:
        t = w if isinstance(w, torch.Tensor) else torch.as_tensor(np.asarray(w, dtype=np.float64))
    except (TypeError, ValueError, OverflowError, RuntimeError):
        raise VarcheckError(f"{name} must be a finite 2-D real matrix, got {type(w).__name__}.") from None
    if t.is_complex() or t.dtype == torch.bool or t.ndim != 2 or not torch.isfinite(t.to(torch.float64)).all():
        raise VarcheckError(f"{name} must be a finite 2-D real matrix, got shape {tuple(t.shape)} of {t.dtype}.")
    return t


class SelfAttention(SingleHeadAttention):
    """Single-head self-attention with residual and optional boolean mask (True = may attend), from the weight
    matrices W_Q, W_K (d × s), W_V (d × s') and W_O (s' × d), each rounded once to ``dtype``."""

    def __init__(self, w_q, w_k, w_v, w_o, *, mask=None, dtype="float64"):
        dt = _dtype(dtype)
        w_q, w_k, w_v, w_o = (_real_matrix(name, w) for name, w in (("W_Q", w_q), (
            "W_K", w_k), ("W_V", w_v), ("W_O", w_o)))
        d, s = w_q.shape
        if tuple(w_k.shape) != (d, s) or w_v.shape[0] != d or tuple(w_o.shape) != (w_v.shape[1], d):
            raise VarcheckError(
                f"weight shapes must be W_Q, W_K: (d, s), W_V: (d, s'), W_O: (s', d); got {tuple(w_q.shape)}, "
                f"{tuple(w_k.shape)}, {tuple(w_v.shape)}, {tuple(w_o.shape)}."
            )
        if mask is not None:
            if not isinstance(mask, (np.ndarray, torch.Tensor, list, tuple)):
                raise VarcheckError(f"mask must be a square boolean matrix or None, got {type(mask).__name__}.")
            try:
                mask = torch.as_tensor(np.asarray(mask, dtype=bool), dtype=torch.bool)
            except (TypeError, ValueError):
                raise VarcheckError("mask must be a square boolean matrix in which every query may attend to some "
                                    "key.") from None
            if mask.ndim != 2 or mask.shape[0] != mask.shape[1] or not mask.any(dim=1).all():
                raise VarcheckError("mask must be a square boolean matrix in which every query may attend to some key.")
        super().__init__(d, s, mask, dt, value_rank=w_v.shape[1])
        with torch.no_grad():
            for layer, w in ((self.w_q, w_q), (self.w_k, w_k), (self.w_v, w_v), (self.w_o, w_o)):
                layer.weight.copy_(torch.as_tensor(w, dtype=dt).T)
        self.requires_grad_(False)

    @classmethod
    def from_exact(cls, w_q, w_k, w_v, w_o, *, mask=None, dtype="float64"):
        """Build from exact (Fraction) weights, each rounded once to ``dtype``."""
        return cls(*(to_tensor(w, "float64") for w in (w_q, w_k, w_v, w_o)), mask=mask, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = self.w_q.in_features
        if not isinstance(x, torch.Tensor):
            raise VarcheckError(f"x must be a torch tensor of shape (..., n, {d}), got {type(x).__name__}.")
        if x.ndim < 2 or x.shape[-1] != d:
            raise VarcheckError(f"x must have shape (..., n, {d}), got {tuple(x.shape)}.")
        if self.mask is not None and self.mask.shape[0] != x.shape[-2]:
            raise VarcheckError(f"the mask is for {self.mask.shape[0]} tokens, the input has {x.shape[-2]}.")
        return super().forward(x.to(self.w_q.weight.dtype))


def contextual_mapping_outputs(cm, dtype="float64") -> torch.Tensor:
    """Run a built :class:`~varcheck.exact.contextual_mapping.ContextualMapping` in torch (float64 by default) on
    every sequence of its family: an N × n × d tensor (its weights rounded once to ``dtype``)."""
    layer = SelfAttention.from_exact(cm.W_Q, cm.W_K, cm.W_V, cm.W_O, dtype=dtype,
                                     mask=cm.family.pyramid.block_causal_mask() if cm.family.pyramid else None)
    return layer(to_tensor(cm.family.sequences, dtype))
