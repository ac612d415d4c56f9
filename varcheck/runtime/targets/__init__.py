"""Lipschitz targets with certified constants (docs/theory.md §0 and §4): the maps f the partition step approximates.

A :class:`Target` is an L-Lipschitz map from (R^{input_shape}, ‖·‖_α) to (R^{output_shape}, ‖·‖_β) (entrywise
norms of flattened arrays; default α = β = ∞) whose constant ``lipschitz`` is an exact rational *upper
bound proved from the construction*, never a sampled estimate:

* linear image operations (blur, resize) X ↦ U_h X U_wᵀ per channel: the exact operator norm of U_h ⊗ U_w
  (∞ → ∞: ‖U_h‖_∞‖U_w‖_∞, I3; 1 → 1: column sums; 2 → 2: certified σ_max bounds);
* ReLU networks x ↦ A_k(ReLU(…ReLU(xA_1 + b_1)…)): the Jacobian is A_1D_1A_2…A_k with diagonal
  0 ≤ D ≤ I, so |J| ≤ |A_1|…|A_k| =: P entrywise and Lip ≤ ‖P‖ (∞: exact; 2: certified, also ≤ Π‖A_i‖₂);
* pixel-wise maps with slope ≤ s (tanh(sx), a clipped contrast stretch, a rational gamma-like tone curve):
  s, for every α = β;
* a smooth field over a pyramid parametrised by a word x (word-to-image): Σ_j A_cj tanh(⟨B_j, x⟩ + P_tj)
  with tanh' ≤ 1: max_c Σ_j |A_cj|‖B_j‖₁ (∞ → ∞);
* compositions: the product of the constants (norms must chain).

Every target runs on torch tensors (float64) of shape (B, *input_shape) and returns (B, *output_shape).
It also evaluates one example exactly (:meth:`Target.exact`, rational targets) or in ball arithmetic
(:meth:`Target.ball`, all targets), and bounds its own float64 rounding entrywise
(:meth:`Target.entrywise_error`, docs/theory.md, docs/design.md: floats are compared against bounds, not tolerances).
The rounding analysis is Higham's (varcheck.exact.floating_point); ``torch.tanh`` is assumed accurate to
:data:`TANH_MAX_ULPS` units in the last place (a documented libm property, tested against arb).
"""

from __future__ import annotations

from .base import TANH_MAX_ULPS, Target
from .composition import compose, image_pipeline
from .fields import smooth_field
from .linear_maps import blur, resize
from .lipschitz import LipschitzCheck, check_lipschitz
from .names import TARGET_FACTORIES, target_from_name
from .norms import spectral_norm_upper
from .partition_approximant import cell_centres, grid_approximation
from .pixelwise import clip_map, gamma_map, tanh_map
from .relu_networks import relu_network

# Modules, after the mathematics they hold: base (the Target class, its limits), norms (exact operator norms),
# linear_maps (blur, resize), pixelwise (tanh, clip, gamma), relu_networks, fields (word-to-image), composition,
# names (target_from_name), partition_approximant (f̄ on torch), lipschitz (the sampled constant check).

__all__ = [
    "Target",
    "TANH_MAX_ULPS",
    "TARGET_FACTORIES",
    "relu_network",
    "blur",
    "resize",
    "tanh_map",
    "clip_map",
    "gamma_map",
    "image_pipeline",
    "smooth_field",
    "compose",
    "target_from_name",
    "cell_centres",
    "grid_approximation",
    "spectral_norm_upper",
    "check_lipschitz",
    "LipschitzCheck",
]
