"""The word-to-image VAR approximator as a torch module (THEORY.md §6.2, T2), float64.

Layers (token-wise except SA): Φ_up + E → FF₁ (ReLU quantizer per coordinate) → SA (identity, or the
contextual layer writing into its own channel) → FF₂ (hats, then the (cell, position) lookup). The
lookup layer is evaluated block by block: a unit of position t' ≠ t has pre-activation
Σ_i h_i + e_{t'} − d ≤ d + 0 − d = 0 for token t (its position hat is exactly 0 at integer positions),
so it contributes ReLU(≤ 0) = 0 and only the t-block needs computing — the same function as the dense
layer, with G^d instead of G^d·L units per token.
"""

from __future__ import annotations

from fractions import Fraction

import torch

from ..errors import VarcheckError

__all__ = ["WordToImageModule"]


class WordToImageModule(torch.nn.Module):
    """Maps a batch (B, 1, d) of words in [0,1]^d to (B, L, channels)."""

    def __init__(self, *, d: int, L: int, G: int, eta: Fraction, table: torch.Tensor, positional: bool = True,
                 attention=None):
        super().__init__()
        self.d, self.L, self.G = d, L, G
        self.positional = positional
        self.attention = attention  # None = identity; else a SelfAttention acting on (x, t, attn channel)
        thresholds = torch.tensor([float(Fraction(g, G)) for g in range(1, G)], dtype=torch.float64)
        self.register_buffer("thresholds", thresholds)
        self.register_buffer("inv_eta", torch.tensor(float(1 / eta), dtype=torch.float64))
        # table: (G^d, L, channels) — value f(c_g)_t for cell index Σ g_i G^i
        if table.shape[:2] != (G**d, L):
            raise VarcheckError(f"table must have shape (G^d, L, channels) = ({G**d}, {L}, ·), got {tuple(table.shape)}.")
        self.register_buffer("table", table.to(torch.float64))
        self.register_buffer("digit_values", torch.arange(G, dtype=torch.float64))

    # FF₁: k_i = Σ_g [ReLU((x_i − gδ)/η + 1) − ReLU((x_i − gδ)/η)]
    def quantize(self, x: torch.Tensor) -> torch.Tensor:
        a = (x.unsqueeze(-1) - self.thresholds) * self.inv_eta
        return (torch.relu(a + 1) - torch.relu(a)).sum(-1)

    @staticmethod
    def hat(z: torch.Tensor) -> torch.Tensor:
        return torch.relu(z + 1) - 2 * torch.relu(z) + torch.relu(z - 1)

    def forward(self, words: torch.Tensor) -> torch.Tensor:
        if words.ndim != 3 or words.shape[1:] != (1, self.d):
            raise VarcheckError(f"input must have shape (B, 1, {self.d}), got {tuple(words.shape)}.")
        if not torch.isfinite(words).all():
            raise VarcheckError("input must hold finite values only.")
        x = words.to(torch.float64)
        B = x.shape[0]
        tokens = x.expand(B, self.L, self.d)  # Φ_up: P is a column of ones (exact copies)
        k = self.quantize(tokens)  # FF₁: (B, L, d) digits
        if self.attention is not None:
            positions = torch.arange(self.L, dtype=torch.float64).expand(B, self.L).unsqueeze(-1)
            ones = torch.ones(B, self.L, 1, dtype=torch.float64)
            stream = torch.cat([k, positions, ones, torch.zeros(B, self.L, 1, dtype=torch.float64)], -1)
            stream = self.attention(stream)
            k = stream[..., : self.d]  # FF₂ reads the digit channels (bit-identical: W_O writes only the last one)
        # hat layer: one hat per (coordinate, digit value), (B, L, d, G)
        hats = self.hat(k.unsqueeze(-1) - self.digit_values)
        # Σ_i h_{i, g_i} for every cell g⃗, laid out so that the flat index is Σ_i g_i G^i
        total = torch.zeros(hats.shape[:2] + (1,) * self.d, dtype=torch.float64)
        for i in range(self.d):
            shape = hats.shape[:2] + tuple(self.G if axis == self.d - 1 - i else 1 for axis in range(self.d))
            total = total + hats[:, :, i, :].reshape(shape)
        total = total.reshape(hats.shape[0], hats.shape[1], self.G**self.d)
        # lookup units of each token's own position block: ReLU(Σ_i h_i + e_t − d) with e_t = hat(0) = 1
        units = torch.relu(total + 1 - self.d)
        if self.positional:
            return torch.einsum("blc,clm->blm", units, self.table)
        # without positional codes every token reads the same (position-0) column of the table
        return torch.einsum("blc,cm->blm", units, self.table[:, 0, :])
