"""Torch runtime of the interpolation operators, and the reference call to F.interpolate."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import VarcheckError
from ..exact.interpolation import ALIGN_MODES, TORCH_A, interpolation_matrix_1d

__all__ = ["Interpolation", "torch_interpolate"]


class Interpolation(torch.nn.Module):
    """Apply the exact operator U_h ⊗ U_w to a (B, C, H, W) tensor as Y = U_h X U_wᵀ.

    The 1-D matrices are the correctly rounded exact weights (buffers, float64 by default); any mode of
    :func:`varcheck.interpolation_matrix`, including the paper's integer-offset form.
    """

    def __init__(self, src, dst, mode, *, align_corners=False, a=TORCH_A, dtype=torch.float64):
        super().__init__()
        for name, value in (("src", src), ("dst", dst)):
            if not isinstance(value, (tuple, list)) or len(value) != 2:
                raise VarcheckError(f"{name} must be an (h, w) pair of positive integers, got {value!r}.")
        if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
            raise VarcheckError(f"dtype must be a floating-point torch.dtype (e.g. torch.float64), got {dtype!r}.")
        (h, w), (hp, wp) = src, dst
        uh = interpolation_matrix_1d(h, hp, mode, align_corners=align_corners, a=a)
        uw = interpolation_matrix_1d(w, wp, mode, align_corners=align_corners, a=a)
        self.src, self.dst, self.mode = (h, w), (hp, wp), mode
        self.register_buffer("u_h", torch.from_numpy(uh).to(dtype))
        self.register_buffer("u_w", torch.from_numpy(uw).to(dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            raise VarcheckError(f"x must be a torch tensor of shape (B, C, {self.src[0]}, {self.src[1]}), got "
                                f"{type(x).__name__}.")
        if x.ndim != 4 or tuple(x.shape[-2:]) != self.src:
            raise VarcheckError(f"x must have shape (B, C, {self.src[0]}, {self.src[1]}), got {tuple(x.shape)}.")
        return self.u_h @ x.to(self.u_h.dtype) @ self.u_w.T

    def extra_repr(self):
        return f"src={self.src}, dst={self.dst}, mode={self.mode!r}"


def torch_interpolate(x, dst, mode, *, align_corners=False) -> np.ndarray:
    """torch.nn.functional.interpolate of a (B, C, H, W) float64 array to size ``dst`` (the reference)."""
    if mode == "paper":
        raise VarcheckError("mode 'paper' has no torch counterpart; use varcheck.Interpolation.")
    t = torch.as_tensor(np.asarray(x, dtype=np.float64))
    kwargs = {"align_corners": align_corners} if mode in ALIGN_MODES else {}
    return F.interpolate(t, size=tuple(dst), mode=mode, **kwargs).numpy()
