"""The paper's model class as a plain torch network (docs/theory.md §3.1, §6): ``VarTransformer`` and ``VarConfig``.

    T = head ∘ FF₂ ∘ SA ∘ FF₁ ∘ embed ∘ ([interpolation layer] ⊕ E)

made of standard layers only:

* the **interpolation layer**: the first scale's token map is the input; every later scale comes from
  ``torch.nn.functional.interpolate`` with VAR's real operators (docs/var-facts.md §2): ``"var"`` = bicubic (a = −3/4,
  align_corners False) up to the last scale, then ``area`` down to each scale; or a chain Φ_up (docs/theory.md §2.3)
  scale k → k + 1 in one mode (``"bicubic"``, ``"bilinear"``, ``"nearest"``);
* **E**: a fixed positional code (a buffer, one row per token) appended to each token — VAR's learned position
  and level embeddings;
* **embed**: ``nn.Linear(d_in + d_pos → d_model)`` without bias, into the residual stream;
* **FF₁, FF₂**: token-wise residual feed-forward layers X + W₂·ReLU(W₁X + b₁) + b₂ (``nn.Linear`` + ``ReLU``);
* **SA**: ONE single-head self-attention layer X + softmax(XW_Q(XW_K)ᵀ + M)·XW_V·W_O (plain ``nn.Linear``
  projections without bias, no 1/√s factor, as docs/theory.md), with VAR's block-causal mask M (token i sees j iff
  level(i) ≥ level(j)) when ``mask == "block_causal"``;
* **head**: ``nn.Linear(d_model → d_out)`` without bias.

Its forward has no gathers, lookups, floors or clamps: a reader can rebuild it from ``config.json`` and
``model.safetensors`` with a dozen lines of torch (docs/export.md). The config round-trips through JSON.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..errors import VarcheckError
from ..theory.model_class import DTYPE_NAMES, INTERPOLATIONS, VarConfig

__all__ = ["VarConfig", "VarTransformer", "FeedForwardBlock", "SingleHeadAttention", "ScaleInterpolation", "DTYPES",
           "block_causal_mask"]

_NOT_FINITE = "input must hold finite values only (no NaN or inf)."


def _traced() -> bool:
    """Whether torch.export or torch.compile is tracing (tensor values are then symbolic)."""
    compiler = getattr(torch, "compiler", None)
    return any(getattr(compiler, name, lambda: False)() for name in ("is_exporting", "is_compiling"))
#: The torch dtype of each float format a VarTransformer may run in (the formats of VarConfig.dtype).
DTYPES = {name: getattr(torch, name) for name in DTYPE_NAMES}


class ScaleInterpolation(torch.nn.Module):
    """(B, n_1, d) first-scale tokens → (B, L, d) tokens of every scale, by ``F.interpolate`` (VAR's operators)."""

    def __init__(self, scales, mode: str = "var"):
        super().__init__()
        if mode not in INTERPOLATIONS:
            raise VarcheckError(f"interpolation must be one of {', '.join(INTERPOLATIONS)}, got {mode!r}.")
        self.scales, self.mode = tuple(scales), mode

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        B, n1, d = tokens.shape
        h, w = self.scales[0]
        first = tokens.transpose(1, 2).reshape(B, d, h, w)
        maps = [first]
        if self.mode == "var" and len(self.scales) > 1:
            full = F.interpolate(first, size=self.scales[-1], mode="bicubic", align_corners=False)
            maps += [F.interpolate(full, size=s, mode="area") for s in self.scales[1:]]
        else:
            kwargs = {"align_corners": False} if self.mode in ("bicubic", "bilinear") else {}
            for s in self.scales[1:]:
                maps.append(F.interpolate(maps[-1], size=s, mode=self.mode, **kwargs))
        return torch.cat([m.reshape(B, d, -1) for m in maps], dim=2).transpose(1, 2)

    def extra_repr(self):
        return f"scales={list(self.scales)}, mode={self.mode!r}"


class FeedForwardBlock(torch.nn.Module):
    """X + fc2(ReLU(fc1(X))): one token-wise feed-forward layer, residual (the transformer block) unless
    ``residual=False``, which needs no ``d_out`` equal to ``d_model``. The one torch feed-forward layer of varcheck:
    the VarTransformer's layers and varcheck.runtime.feedforward.FeedForward (exact weights) are built on it."""

    def __init__(self, d_model: int, width: int, dtype=torch.float64, *, d_out: int | None = None,
                 residual: bool = True):
        super().__init__()
        self.residual = residual
        self.fc1 = torch.nn.Linear(d_model, width, dtype=dtype)
        self.fc2 = torch.nn.Linear(width, d_model if d_out is None else d_out, dtype=dtype)

    def forward(self, x):
        y = self.fc2(torch.relu(self.fc1(x)))
        return x + y if self.residual else y


class SingleHeadAttention(torch.nn.Module):
    """X + softmax(XW_Q (XW_K)ᵀ + M)·XW_V·W_O, one head, no scaling factor, optional boolean mask (True: may
    attend).

    The one torch attention layer of varcheck: the VarTransformer's and varcheck.runtime.attention.SelfAttention
    (weights given as matrices) are built on it. The value rank is ``rank`` unless ``value_rank`` is given."""

    def __init__(self, d_model: int, rank: int, mask: torch.Tensor | None, dtype=torch.float64, *,
                 value_rank: int | None = None):
        super().__init__()
        value_rank = rank if value_rank is None else value_rank
        self.w_q = torch.nn.Linear(d_model, rank, bias=False, dtype=dtype)
        self.w_k = torch.nn.Linear(d_model, rank, bias=False, dtype=dtype)
        self.w_v = torch.nn.Linear(d_model, value_rank, bias=False, dtype=dtype)
        self.w_o = torch.nn.Linear(value_rank, d_model, bias=False, dtype=dtype)
        if mask is not None:
            self.register_buffer("mask", mask)
        else:
            self.mask = None

    def forward(self, x):
        scores = self.w_q(x) @ self.w_k(x).transpose(-1, -2)
        if self.mask is not None:
            scores = scores.masked_fill(~self.mask, float("-inf"))
        return x + self.w_o(torch.softmax(scores, dim=-1) @ self.w_v(x))


def block_causal_mask(levels) -> torch.Tensor:
    """VAR's mask: token i may attend to token j iff level(i) ≥ level(j)."""
    lv = torch.tensor(levels)
    return lv.unsqueeze(1) >= lv.unsqueeze(0)


class VarTransformer(torch.nn.Module):
    """A VAR transformer of the paper's class, built from a :class:`VarConfig` (weights zero until loaded)."""

    def __init__(self, config: VarConfig):
        super().__init__()
        if not isinstance(config, VarConfig):
            raise VarcheckError(f"config must be a VarConfig, got {type(config).__name__}.")
        self.config = config
        dt = DTYPES[config.dtype]
        D = config.d_model
        self.interpolation = ScaleInterpolation(config.scales, config.interpolation)
        self.register_buffer("position_code", torch.zeros(config.length, config.d_pos, dtype=dt))
        self.embed = torch.nn.Linear(config.d_in + config.d_pos, D, bias=False, dtype=dt)
        self.ff1 = torch.nn.ModuleList(FeedForwardBlock(D, w, dt) for w in config.ff1)
        mask = block_causal_mask(config.levels) if config.mask == "block_causal" else None
        self.attention = SingleHeadAttention(D, config.attention_rank, mask, dt) if config.attention_rank else None
        self.ff2 = torch.nn.ModuleList(FeedForwardBlock(D, w, dt) for w in config.ff2)
        self.head = torch.nn.Linear(D, config.d_out, bias=False, dtype=dt)
        for p in self.parameters():
            torch.nn.init.zeros_(p)
        self.requires_grad_(False)

    def check_input(self, x) -> torch.Tensor:
        """The first-scale tokens (B, n_1, d_in) as a tensor of the network's dtype; VarcheckError otherwise."""
        cfg = self.config
        if not isinstance(x, torch.Tensor):
            raise VarcheckError(f"input must be a torch tensor of shape (B, {cfg.sizes[0]}, {cfg.d_in}), got "
                                f"{type(x).__name__}.")
        if x.ndim != 3 or tuple(x.shape[1:]) != (cfg.sizes[0], cfg.d_in) or x.shape[0] < 1:
            raise VarcheckError(f"input must have shape (B, {cfg.sizes[0]}, {cfg.d_in}) with B ≥ 1 (the first scale's "
                                f"{cfg.scales[0][0]}×{cfg.scales[0][1]} tokens, row-major), got {tuple(x.shape)}.")
        if x.is_complex() or x.dtype == torch.bool:
            raise VarcheckError(f"input must hold real numbers, got dtype {x.dtype}.")
        if _traced():  # torch.export / torch.compile: values are symbolic, so the check becomes a runtime assertion
            torch._assert_async(torch.isfinite(x).all(), _NOT_FINITE)
        elif not bool(torch.isfinite(x).all()):
            raise VarcheckError(_NOT_FINITE)
        return x.to(self.position_code.dtype)

    def stream(self, x: torch.Tensor, *, until: str = "ff2") -> torch.Tensor:
        """The residual stream (B, L, d_model) after ``until`` ∈ {"embed", "ff1", "attention", "ff2"} (input
        checked)."""
        return self._stream(self.check_input(x), until)

    def _stream(self, x: torch.Tensor, until: str = "ff2") -> torch.Tensor:
        return self._stream_of_tokens(self.interpolation(x), until)

    def _stream_of_tokens(self, tokens: torch.Tensor, until: str = "ff2") -> torch.Tensor:
        code = self.position_code.expand(tokens.shape[0], -1, -1)
        h = self.embed(torch.cat([tokens, code], dim=-1))
        if until == "embed":
            return h
        for block in self.ff1:
            h = block(h)
        if until == "ff1":
            return h
        if self.attention is not None:
            h = self.attention(h)
        if until == "attention":
            return h
        for block in self.ff2:
            h = block(h)
        return h

    def compute(self, x: torch.Tensor) -> torch.Tensor:
        """The forward on a checked input: tensor operations only."""
        return self.after_interpolation(self.interpolation(x))

    def after_interpolation(self, tokens: torch.Tensor) -> torch.Tensor:
        """The forward from the interpolation layer's output, the (B, L, d_in) tokens of every scale (unchecked)."""
        y = self.head(self._stream_of_tokens(tokens))
        if self.config.output == "last_scale":
            y = y[:, self.config.length - self.config.sizes[-1]:]
        return y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The outputs of the first-scale tokens ``x`` (checked: a bad input is one VarcheckError sentence in eager
        mode; under ``torch.export`` the shape checks become the program's guards and finiteness its assertion)."""
        return self.compute(self.check_input(x))

    def layer_table(self) -> list:
        """(layer, kind, input width, hidden width, output width, parameters) rows, in forward order."""
        cfg, D = self.config, self.config.d_model
        rows = [("interpolation", f"F.interpolate ({cfg.interpolation})", cfg.d_in, None, cfg.d_in, 0),
                ("E", "positional code (buffer)", None, None, cfg.d_pos, 0),
                ("embed", "nn.Linear, no bias", cfg.d_in + cfg.d_pos, None, D, D * (cfg.d_in + cfg.d_pos))]

        def ff(part):
            return [(f"{part}.{i}", "residual nn.Linear + ReLU + nn.Linear", D, w, D, 2 * D * w + w + D)
                    for i, w in enumerate(getattr(cfg, part))]

        rows += ff("ff1")
        if cfg.attention_rank:
            rows.append(("attention", f"single-head SA, rank {cfg.attention_rank}, mask {cfg.mask}", D,
                         cfg.attention_rank, D, 4 * D * cfg.attention_rank))
        rows += ff("ff2")
        rows.append(("head", "nn.Linear, no bias", D, None, cfg.d_out, D * cfg.d_out))
        return rows
