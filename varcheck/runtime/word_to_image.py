"""The word-to-image VAR approximator as a torch module (THEORY.md §6.2, T2), float64.

Layers (token-wise except SA): Φ_up + E → FF₁ (ReLU quantizer per coordinate) → SA (identity, or the
contextual layer writing into its own channel) → FF₂ (hats, then the (cell, position) lookup). The
lookup layer is evaluated sparsely: a unit of position t' ≠ t has pre-activation Σ_i h_i + e_{t'} − d ≤ 0
for token t (its position hat is exactly 0 at integer positions), and a unit of a cell with some
|k_i − g_i| ≥ 1 has Σ_i h_i ≤ d − 1; both are exactly 0 in exact arithmetic, so only the ≤ 2^d cells
adjacent to the token's digits in its own position block are computed — the same function as the dense
layer, with 2^d instead of G^d·L units per token.
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
        self.register_buffer("digit_powers", torch.tensor([float(G**i) for i in range(d)], dtype=torch.float64))

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
        # lookup: in exact arithmetic a coordinate hat vanishes for |k_i − g_i| ≥ 1, so every cell but the ≤ 2^d
        # with g_i ∈ {⌊k_i⌋, ⌊k_i⌋ + 1} has Σ_i h_i ≤ d − 1 and ReLU(Σ_i h_i + e_t − d) = 0: only those are evaluated
        g0 = torch.clamp(torch.floor(k), 0, self.G - 1)
        B, L = k.shape[:2]
        C = self.table.shape[-1]
        out = torch.zeros(B, L, C, dtype=torch.float64)
        positions = torch.arange(L).expand(B, L)
        for bits in range(2**self.d):
            offset = torch.tensor([(bits >> i) & 1 for i in range(self.d)], dtype=torch.float64)
            g = g0 + offset
            valid = (g <= self.G - 1).all(-1)
            g = torch.clamp(g, max=self.G - 1)
            total = self.hat(k - g).sum(-1)
            units = torch.relu(total + 1 - self.d) * valid  # e_t = hat(0) = 1 for the token's own position block
            cell = (g * self.digit_powers).sum(-1).long()
            if self.positional:
                values = self.table[cell, positions]  # (B, L, C)
            else:
                values = self.table[cell, 0]
            out = out + units.unsqueeze(-1) * values
        return out
