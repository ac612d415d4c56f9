"""The word-to-image approximator (docs/theory.md §6.2, T2) as a dense VarTransformer, and its 2^d-cell fast path.

:func:`word_to_image_network` writes the plan of varcheck.exact.word_to_image into the layers of a
:class:`VarTransformer`: the interpolation layer (F.interpolate) copies the word to every token, E is the
token's position code, FF₁ is two residual layers of d(G − 1) units (ramps, then clips: exact steps), SA is the identity
or the contextual
layer writing into its own channel (F9), FF₂ is the cell value map (G^d·P cell units, then R·C select units).

:func:`lookup_forward` is the **fast path**: the same function evaluated sparsely. A cell unit whose cell is not
adjacent to the token's digits, or of another position group, has an exact pre-activation ≤ −1 and is exactly 0
in float64 (the margins of varcheck.exact.cell_value_map); the fast path evaluates only the ≤ 2^d adjacent cells
of the token's own group, with the same ramp arithmetic, and reads the table directly instead of through the
slots and the position select. Both evaluations are within ``rounding()["anywhere"]`` (dense) and
``["anywhere_lookup"]`` (fast path) of the exact network at the same input, so they differ by at most the sum.
"""

from __future__ import annotations

import math
from fractions import Fraction

import torch

from ..exact.word_to_image import WordToImagePlan
from .cell_value_map import emit_cell_layer, emit_head, emit_select_layer, emit_steps, empty_network
from .var_transformer import VarTransformer

__all__ = ["word_to_image_network", "lookup_forward", "word_attention_constants"]


def word_attention_constants(plan: WordToImagePlan) -> dict:
    """The contextual SA for word tokens: y = M + Σ_i G^i k_i + G^d t (k_i = Σ_g s_{i,g}, the digit; t the position),
    c = q/M with q the least integer above 2 ln L + 3, W_O = 1/(8M) into the attn channel only. The tokens are
    integer-valued off the bad set, ε_tok = 1 and Y < 2M: W_O's scale is ε_tok/(4Y)."""
    d, G, L = plan.d, plan.G, plan.L
    M = L * G**d
    q = math.floor(2 * math.log(L) + 3) + 1
    return {"M": M, "c": Fraction(q, M), "W_O": Fraction(1, 8 * M)}


def word_to_image_network(plan: WordToImagePlan, table: torch.Tensor) -> VarTransformer:
    """The dense network of ``plan`` with the (cells, positions, channels) float64 table."""
    net, layout, vm = empty_network(plan)  # x and E land in the first blocks, in order
    d, G, L = plan.d, plan.G, plan.L
    with torch.no_grad():
        code = net.position_code  # E = (one, group, row_hi, row_lo): columns are stream channels shifted by d
        code[:, layout["one"] - d] = 1
        for t in range(L):
            h, r1, r2 = vm.position_of(t) if plan.positional else (0, 0, 0)
            code[t, layout["group"] - d + h] = 1
            code[t, layout["row_hi"] - d + r1] = 1
            code[t, layout["row_lo"] - d + r2] = 1
        if G > 1:  # FF₁: the clipped steps of every coordinate, biases −2^k t_g (exact: dyadic thresholds)
            biases = [-plan.slope * t for t in plan.thresholds]
            for i in range(d):
                emit_steps(net.ff1[0], net.ff1[1], layout, units=i * (G - 1), source=layout["x"] + i,
                           ramp=layout["ramp"] + i * (G - 1), step=layout["step"] + i * (G - 1), weight=plan.slope,
                           biases=biases)
        emit_cell_layer(net.ff2[0], layout, vm, table)
        emit_select_layer(net.ff2[1], layout, vm)
        emit_head(net, layout, plan.channels)
        if plan.attention:
            k = _attention_projection(plan, layout, vm)
            const = word_attention_constants(plan)
            net.attention.w_k.weight[0] = k
            net.attention.w_v.weight[0] = k
            net.attention.w_q.weight[0] = k * float(const["c"])
            net.attention.w_o.weight[layout["attn"], 0] = float(const["W_O"])
    return net


def _attention_projection(plan, layout, vm) -> torch.Tensor:
    d, G = plan.d, plan.G
    M = plan.L * G**d
    k = torch.zeros(len(layout), dtype=torch.float64)
    k[layout["one"]] = M
    for i in range(d):
        k[layout["step"] + i * (G - 1): layout["step"] + (i + 1) * (G - 1)] = float(G**i)
    r1w, r2w = vm.row_split
    k[layout["group"]: layout["group"] + vm.groups] = torch.arange(vm.groups, dtype=torch.float64) * vm.rows * G**d
    k[layout["row_hi"]: layout["row_hi"] + r1w] = torch.arange(r1w, dtype=torch.float64) * r2w * G**d
    k[layout["row_lo"]: layout["row_lo"] + r2w] = torch.arange(r2w, dtype=torch.float64) * G**d
    return k


def lookup_forward(
    net: VarTransformer, plan: WordToImagePlan, table: torch.Tensor, words: torch.Tensor
) -> torch.Tensor:
    """The fast path: the network's function on (B, 1, d) words, evaluating only the ≤ 2^d active cells per token."""
    x = net.interpolation(net.check_input(words))  # (B, L, d): the same token values as the dense forward
    B, L, d = x.shape
    G = plan.G
    C = table.shape[-1]
    out = torch.zeros(B, L, C, dtype=torch.float64)
    if G == 1:
        return out + table[0, : L if plan.positional else 1].expand(B, L, C)
    a = float(plan.slope)
    thresholds = torch.tensor([float(t) for t in plan.thresholds], dtype=torch.float64)
    bias1 = torch.tensor([float(1 - plan.slope * t) for t in plan.thresholds], dtype=torch.float64)

    def step(v, g):  # s_g(v) for integer tensors g in 0..G (s_0 = 1, s_G = 0), the dense layers' arithmetic
        inner = (g >= 1) & (g <= G - 1)
        gi = torch.clamp(g - 1, 0, G - 2)
        s = 1 - torch.relu(1 - torch.relu(v * a + bias1[gi]))  # the clipped step
        return torch.where(inner, s, (g <= 0).to(v.dtype))

    cell = torch.searchsorted(thresholds, x.contiguous(), right=True)  # number of thresholds ≤ x̃: the cell index
    positions = torch.arange(L).expand(B, L) if plan.positional else torch.zeros(B, L, dtype=torch.long)
    for bits in range(2**d):
        g = cell + torch.tensor([(bits >> i) & 1 for i in range(d)])
        valid = (g <= G - 1).all(-1)
        o = step(x, g) - step(x, g + 1)  # (B, L, d) indicators o_i(g_i)
        units = torch.relu(2 * o.sum(-1) - (2 * d - 1)) * valid
        index = (torch.clamp(g, max=G - 1) * torch.tensor([G**i for i in range(d)])).sum(-1)
        out = out + units.unsqueeze(-1) * table[index, positions]
    return out
