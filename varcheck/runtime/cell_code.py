"""Emitting the uniform-attention image-to-image construction (varcheck.exact.cell_code, T1-f64) into a
VarTransformer: FF₁ = (ramps, clips, code units), SA = uniform attention (W_Q = W_K = 0, W_V reads z, W_O writes ρ),
FF₂ = (code ramps, code clips, cell units, position select), every step in the clipped form (two layers). The
network's output is the last scale (``output="last_scale"``).
"""

from __future__ import annotations

from fractions import Fraction

import torch

from ..exact.cell_code import CellCodePlan
from .cell_value_map import emit_cell_layer, emit_head, emit_select_layer, emit_steps, empty_network
from .var_transformer import VarTransformer

__all__ = ["cell_code_network"]


def cell_code_network(plan: CellCodePlan, table: torch.Tensor) -> VarTransformer:
    """The dense network of ``plan`` with the (codes, output positions, channels) float64 table."""
    net, layout, vm = empty_network(plan)  # x and E = (pos, group, row_hi, row_lo) in order
    n, G, tokens = plan.n, plan.G, plan.tokens
    with torch.no_grad():
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
            emit_steps(
                ff2.pop(0),
                ff2.pop(0),
                layout,
                units=0,
                source=layout["rho"],
                ramp=layout["code_ramp"],
                step=layout["code_step"],
                weight=4 * tokens,
                biases=[Fraction(-4 * m + 2) for m in range(1, plan.codes)],
            )
        net.attention.w_v.weight[0, layout["z"]] = 1
        net.attention.w_o.weight[layout["rho"], 0] = 1
        emit_cell_layer(ff2[0], layout, vm, table, step_block="code_step")
        emit_select_layer(ff2[1], layout, vm)
    emit_head(net, layout, plan.channels)
    return net
