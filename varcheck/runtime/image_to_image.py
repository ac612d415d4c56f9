"""Image-to-image approximators (docs/theory.md §6.1, T1): the float64 VarTransformer of the uniform-attention
construction (varcheck.exact.cell_code), or the exact/ball runtime of the A4 constructions.

The float64 network is emitted by varcheck.runtime.cell_code; the builder computes the table of the target at
the cell centres, finalizes the plan, certifies it and checks the network by Monte-Carlo against the target (the
tail it shares with the word-to-image builder, varcheck.runtime.dense_approximator).
"""

from __future__ import annotations

from ..errors import require_choice
from ..exact.cell_code import plan_cell_code
from ..exact.image_to_image import build_image_to_image, require_image_to_image_target
from .cell_code import cell_code_network
from .dense_approximator import VarApproximator, cell_centres, finalize_plan, require_certified_and_sampled, tabulate

__all__ = ["build_image_to_image_approximator", "CONSTRUCTIONS"]

CONSTRUCTIONS = ("average", "tight", "paper")


def build_image_to_image_approximator(target, pyramid, eps, *, p=2, mask="block_causal", construction="average", G=None,
                                      interpolation=None, monte_carlo: int = 0):
    """T1. ``"average"``: the dense float64 network, certified; ``"tight"``/``"paper"``: the exact ball runtime."""

    require_choice("construction", construction, CONSTRUCTIONS)
    require_image_to_image_target(target, pyramid)
    if construction != "average":
        require_choice("interpolation", interpolation, (None, "paper", "bicubic", "nearest", "bilinear"))
        return build_image_to_image(target, pyramid, eps, p=p, masked=mask == "block_causal", G=G,
                                    construction=construction, interpolation=interpolation or "paper")
    require_choice("interpolation", interpolation, (None, "var", "bicubic", "bilinear", "nearest"))
    C = target.output_shape[2]
    plan = plan_cell_code(scales=pyramid.scales, lipschitz=target.lipschitz, eps=eps, p=p, G=G, mask=mask,
                          interpolation=interpolation or "var", channels=C)
    values, table_error = tabulate(target, cell_centres(plan.G, plan.n, target.input_shape), plan.lipschitz)
    table = values.reshape(plan.codes, plan.L, C).contiguous()
    finalize_plan(plan, table, table_error)
    approx = VarApproximator(cell_code_network(plan, table), plan, "image_to_image", target.name, "uniform", table)
    return require_certified_and_sampled(approx, eps, target, monte_carlo)
