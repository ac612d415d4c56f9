"""Emitting the cell value map (varcheck.exact.cell_value_map) into the FF₂ layers of a VarTransformer.

Torch's ``nn.Linear`` stores W as (out, in) and computes y = xWᵀ + b; every weight written here is exact in the
network's format (integers, powers of two, and the float64 table itself).
"""

from __future__ import annotations

import torch

from .var_transformer import VarTransformer

__all__ = ["emit_steps", "emit_cell_layer", "emit_select_layer", "cell_digits", "grid_digits", "empty_network",
           "emit_head"]


def grid_digits(G: int, digits: int) -> torch.Tensor:
    """(G^digits, digits): the base-G digits of every cell c = Σ_j g_j G^j, in that order."""
    index = torch.arange(G**digits)
    return torch.stack([(index // G**j) % G for j in range(digits)], dim=1)


def cell_digits(vm) -> torch.Tensor:
    """(cells, d') digits of every cell, in table-row order (cell = Σ_i g_i G'^i)."""
    return grid_digits(vm.cells_per_coord, vm.coords)


def empty_network(plan) -> tuple:
    """(the VarTransformer of ``plan.config()`` with an embedding that copies x and E into the first channels of the
    stream, in order; the stream layout; the value map) — the start every construction's emission shares."""
    cfg = plan.config()
    net = VarTransformer(cfg)
    d_tok = cfg.d_in + cfg.d_pos
    with torch.no_grad():
        net.embed.weight[torch.arange(d_tok), torch.arange(d_tok)] = 1
    return net, plan.layout(), plan.value_map


def emit_head(net, layout, channels: int) -> None:
    """The head reads the ``channels`` output channels of the stream."""
    with torch.no_grad():
        net.head.weight[torch.arange(channels), layout["out"] + torch.arange(channels)] = 1


def emit_steps(
    ramp_block, clip_block, layout, *, units: int, source: int, ramp: int, step: int, weight, biases
) -> None:
    """Clipped steps s_j = 1 − ReLU(1 − ReLU(w·v + b_j + 1)) of the value in channel ``source``: hidden unit
    ``units + j`` of ``ramp_block`` writes ρ_j into channel ``ramp + j``, hidden unit ``units + j`` of ``clip_block``
    computes ReLU(1 − ρ_j) and writes 1 − it into channel ``step + j``; exact weights only."""
    n = len(biases)
    rows = units + torch.arange(n)
    w1, b1 = ramp_block.fc1.weight, ramp_block.fc1.bias
    w1[rows, source] = float(weight)
    b1[rows] = torch.tensor([float(v + 1) for v in biases], dtype=b1.dtype)
    ramp_block.fc2.weight[ramp + torch.arange(n), rows] = 1
    clip_block.fc1.weight[rows, ramp + torch.arange(n)] = -1
    clip_block.fc1.bias[rows] = 1
    clip_block.fc2.weight[step + torch.arange(n), rows] = -1
    clip_block.fc2.bias[step + torch.arange(n)] = 1


def emit_cell_layer(block, layout, vm, table: torch.Tensor, step_block: str = "step") -> None:
    """FF₂'s cell layer: units (cell, group) = ReLU(2Σ_i o_i(g_i) + 2e_h − (2d' + 1)); output weights = the table.

    ``table``: (cells, positions, channels) float values. Step g ≥ 1 of coordinate i is stream channel
    ``layout[step_block] + i(G' − 1) + g − 1``.
    """
    d, G, P, R, C = vm.coords, vm.cells_per_coord, vm.groups, vm.rows, vm.channels
    cells = vm.cells
    w1, b1 = block.fc1.weight, block.fc1.bias
    units = torch.arange(cells * P)
    cell_of, group_of = units // P, units % P
    digits = cell_digits(vm)[cell_of]  # (units, d')
    for i in range(d):
        gi = digits[:, i]
        base = layout[step_block] + i * (G - 1) - 1
        up = gi >= 1
        w1[units[up], base + gi[up]] += 2
        down = gi + 1 <= G - 1
        w1[units[down], base + gi[down] + 1] -= 2
    w1[units, layout["group"] + group_of] = 2
    b1.copy_(-(2 * d + 1) + 2 * (digits == 0).sum(dim=1).to(b1.dtype))
    # output weights: slot (r, c) of unit (cell, h) is table[cell, h·R + r, c]
    padded = torch.zeros(cells, P * R, C, dtype=table.dtype)
    padded[:, : table.shape[1]] = table
    blockw = padded.reshape(cells, P, R, C).permute(2, 3, 0, 1).reshape(R * C, cells * P)
    block.fc2.weight[layout["slot"]: layout["slot"] + R * C] = blockw.to(block.fc2.weight.dtype)


def emit_select_layer(block, layout, vm) -> None:
    """FF₂'s position select: unit (r, c) = ReLU(slot_{r,c} + S + B(e^hi_{r₁} + e^lo_{r₂}) − 2B); out_c = Σ_r unit −
    S."""
    R, C = vm.rows, vm.channels
    r2w = vm.row_split[1]
    S, B = float(vm.shift), float(vm.gate)
    w1, b1, w2, b2 = block.fc1.weight, block.fc1.bias, block.fc2.weight, block.fc2.bias
    units = torch.arange(R * C)
    r, c = units // C, units % C
    w1[units, layout["slot"] + units] = 1
    w1[units, layout["row_hi"] + r // r2w] = B
    w1[units, layout["row_lo"] + r % r2w] = B
    b1.fill_(S - 2 * B)
    w2[layout["out"] + c, units] = 1
    b2[layout["out"]: layout["out"] + C] = -S
