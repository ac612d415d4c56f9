"""Image-to-image approximators (THEORY.md §6.1, T1): the float64 VarTransformer of the uniform-attention
construction (varcheck.exact.context_code), or the exact/ball runtime of the A4 constructions.

The float64 network is emitted by varcheck.runtime.context_code; the builder computes the table of the target at
the cell centres, finalizes the plan, certifies it and checks the network by Monte-Carlo against the target.
"""

from __future__ import annotations

from fractions import Fraction

import torch

from ..errors import VarcheckError, require_choice
from ..exact.cell_value_map import MarginError
from ..exact.context_code import plan_context_code
from ..exact.floating_point import FORMATS
from .context_code import context_code_network
from .dense_approximator import VarApproximator, require_certified_and_sampled

__all__ = ["build_image_to_image_approximator", "CONSTRUCTIONS"]

CONSTRUCTIONS = ("average", "tight", "paper")


def build_image_to_image_approximator(target, pyramid, eps, *, p=2, mask="block_causal", construction="average", G=None,
                                      interpolation=None, monte_carlo: int = 0):
    """T1. ``"average"``: the dense float64 network, certified; ``"tight"``/``"paper"``: the exact ball runtime."""

    require_choice("construction", construction, CONSTRUCTIONS)
    if len(target.input_shape) != 3 or target.input_shape[2] != 1:
        raise VarcheckError(f"an image-to-image target takes input shape (h_1, w_1, 1) (d = 1), got {target.input_shape}.")
    if tuple(target.input_shape[:2]) != pyramid.scales[0]:
        raise VarcheckError(f"the target's input {target.input_shape[:2]} must be the pyramid's first scale {pyramid.scales[0]}.")
    if len(target.output_shape) != 3 or tuple(target.output_shape[:2]) != pyramid.scales[-1]:
        raise VarcheckError(f"the target's output {target.output_shape} must be the pyramid's last scale {pyramid.scales[-1]} × C.")
    if construction != "average":
        from ..exact.image_to_image import build_image_to_image

        require_choice("interpolation", interpolation, (None, "paper", "bicubic", "nearest", "bilinear"))
        return build_image_to_image(target, pyramid, eps, p=p, masked=mask == "block_causal", G=G, construction=construction,
                                    interpolation=interpolation or "paper")
    require_choice("interpolation", interpolation, (None, "var", "bicubic", "bilinear", "nearest"))
    C = target.output_shape[2]
    plan = plan_context_code(scales=pyramid.scales, lipschitz=target.lipschitz, eps=eps, p=p, G=G, mask=mask,
                             interpolation=interpolation or "var", channels=C)
    digits = torch.stack([(torch.arange(plan.codes) // plan.G**j) % plan.G for j in range(plan.n)], dim=1)
    centres = ((2 * digits + 1).to(torch.float64) / (2 * plan.G)).reshape(plan.codes, *target.input_shape)
    with torch.no_grad():
        values = target(centres)
        table_error = Fraction(float(target.rounding_bound(centres).max())) + Fraction(plan.lipschitz) * FORMATS["float64"].u
    table = values.reshape(plan.codes, plan.L, C).contiguous()
    plan.finalize(Fraction(float(table.abs().max())), table_error)
    try:
        plan.check_representable()
        plan.rounding()
    except MarginError as exc:
        raise VarcheckError(f"float64 cannot resolve this construction: {exc}.") from None
    approx = VarApproximator(context_code_network(plan, table), plan, "image_to_image", target.name, "uniform", table)
    return require_certified_and_sampled(approx, eps, target, monte_carlo)
