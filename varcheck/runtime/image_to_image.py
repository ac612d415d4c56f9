"""Image-to-image approximators (THEORY.md §6.1, T1): the float64 VarTransformer of the uniform-attention
construction (varcheck.exact.context_code), or the exact/ball runtime of the A4 constructions.

:func:`context_code_network` writes the plan into a :class:`VarTransformer`: FF₁ = (ramps, clips, code units),
SA = uniform attention (W_Q = W_K = 0, W_V reads z, W_O writes ρ), FF₂ = (code ramps, code clips, cell units, position
select), every step in the clipped form (two layers). The network's output is the last scale (``output="last_scale"``).
"""

from __future__ import annotations

from fractions import Fraction

import torch

from ..errors import VarcheckError, require_choice
from ..exact.cell_value_map import MarginError
from ..exact.context_code import ContextCodePlan, plan_context_code
from ..exact.floating_point import FORMATS
from .cell_value_map import emit_cell_layer, emit_select_layer, emit_steps
from .var_transformer import VarTransformer

__all__ = ["context_code_network", "build_image_to_image_approximator", "CONSTRUCTIONS"]

CONSTRUCTIONS = ("average", "tight", "paper")


def context_code_network(plan: ContextCodePlan, table: torch.Tensor) -> VarTransformer:
    """The dense network of ``plan`` with the (codes, output positions, channels) float64 table."""
    cfg = plan.config()
    net = VarTransformer(cfg)
    layout, vm = plan.layout(), plan.value_map
    n, G, tokens = plan.n, plan.G, plan.tokens
    with torch.no_grad():
        d_tok = cfg.d_in + cfg.d_pos
        net.embed.weight[torch.arange(d_tok), torch.arange(d_tok)] = 1  # x and E = (pos, group, row_hi, row_lo) in order
        code = net.position_code
        for j in range(n):
            code[j, layout["pos"] - 1 + j] = 1
        first_out = tokens - plan.L
        for j in range(plan.L):
            h, r1, r2 = vm.position_of(j)
            code[first_out + j, layout["group"] - 1 + h] = 1
            code[first_out + j, layout["row_hi"] - 1 + r1] = 1
            code[first_out + j, layout["row_lo"] - 1 + r2] = 1
        ff2 = list(net.ff2)
        if G > 1:
            emit_steps(net.ff1[0], net.ff1[1], layout, units=0, source=layout["x"], ramp=layout["ramp"],
                       step=layout["step"], weight=plan.slope, biases=[-plan.slope * t for t in plan.thresholds])
            units = net.ff1[2]
            for j in range(n):  # unit (j, g) = ReLU(2 s_g + 2 e_j − 3), z += G^j·unit
                rows = j * (G - 1) + torch.arange(G - 1)
                units.fc1.weight[rows, layout["step"] + torch.arange(G - 1)] = 2
                units.fc1.weight[rows, layout["pos"] + j] = 2
                units.fc1.bias[rows] = -3
                units.fc2.weight[layout["z"], rows] = float(G**j)
            # the code's steps at the half-integers: z' = 4(Vρ − m) + 2 with V = every token (an output token sees all)
            emit_steps(ff2.pop(0), ff2.pop(0), layout, units=0, source=layout["rho"], ramp=layout["code_ramp"],
                       step=layout["code_step"], weight=4 * tokens, biases=[Fraction(-4 * m + 2) for m in range(1, plan.codes)])
        net.attention.w_v.weight[0, layout["z"]] = 1
        net.attention.w_o.weight[layout["rho"], 0] = 1
        emit_cell_layer(ff2[0], layout, vm, table, step_block="code_step")
        emit_select_layer(ff2[1], layout, vm)
        net.head.weight[torch.arange(plan.channels), layout["out"] + torch.arange(plan.channels)] = 1
    return net


def build_image_to_image_approximator(target, pyramid, eps, *, p=2, mask="block_causal", construction="average", G=None,
                                      interpolation=None, monte_carlo: int = 0):
    """T1. ``"average"``: the dense float64 network, certified; ``"tight"``/``"paper"``: the exact ball runtime."""
    from .approximator import VarApproximator, _smallest_eps

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
    if not plan.certified():
        smallest = _smallest_eps(approx, "float64")
        raise VarcheckError(
            f"float64 cannot certify this instance: the ledger sums to {plan.ledger()['total']:.4g} > eps = {float(eps):.4g} "
            f"(binding term: {plan.binding_term()}; G = {plan.G}); the smallest ε that builds is "
            f"{'%.4g' % smallest if smallest else 'above 1'}."
        )
    if monte_carlo:
        mc = approx.monte_carlo(target, monte_carlo, seed=0)
        approx.extra["monte_carlo"] = mc
        if not mc["within_sup_bounds"]:
            raise VarcheckError(f"internal: a Monte-Carlo sample exceeds its certified sup bound (ratio {mc['worst_ratio']:.4g}).")
    return approx
