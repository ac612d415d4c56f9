"""The word-to-image construction of docs/theory.md §6.2 (T2) as a dense network: plan, constants and error ledger.

Input x ∈ [0,1]^{1×d} (one token). The interpolation layer copies it to every pyramid token (a constant map:
I2; in float64 each copy is x̃ = x(1 + θ) with θ from :func:`constant_map_interpolation_error`), E appends the
token's position code, FF₁ turns each coordinate into the G − 1 clipped steps of the dyadic thresholds t_g (P2),
SA is the identity (W_O = 0) or the contextual layer writing into a channel nobody reads (F9), and FF₂ is the
cell value map of :mod:`varcheck.exact.cell_value_map` (cells → table slots → position select) reading out the
table f(c_g⃗)_t at the cell centres c_g = (2g + 1)/(2G).

**Exact quantizer.** t_g is g/G rounded to THRESHOLD_BITS binary digits and the ramp width is η = 2^{−k}, so
the weights 2^k, −2^k t_g and 1 − 2^k t_g are exact in float64 and x·2^k is exact: a step is decided by the
exact comparison x̃ ≥ t_g. FF₁ computes each step in the clipped form s = 1 − ReLU(1 − ReLU(2^k(x − t_g) + 1))
(two residual layers, varcheck.exact.cell_value_map), which off its ramp is exactly 0 or exactly 1 in float64:
no rounding of the large pre-activation 2^k(x − t_g) reaches the cells, and the network equals the table value
up to the product and position-select roundings (≈ 10⁻¹⁵), whatever η the bad-set budget asks for.

Ledger (per-entry distance d̄_p on x uniform in [0,1]^d; every term an upper bound, summed in ball arithmetic):
* **partition** (P1 in L_p): f̄(x) = f(c(x)) for the cell c(x) of x; ‖x − c(x)‖_∞ ≤ (δ/2 + τ)·max_i U_i + τ with U
  uniform in [0,1]^d and τ = max|t_g − g/G|, and E[max_i U_i^p] = d/(d + p), so
  d̄_p(f, f̄) ≤ L_f((δ/2 + τ)(d/(d + p))^{1/p} + τ) — the sup bound L_fδ/2 of P1 times (d/(d+p))^{1/p} (1/√2 for
  d = p = 2), plus the dyadic slack;
* **table**: |f(c) − f̃(c)| for the float64 table (the target's rounding bound and the rounded centres);
* **rounding**: off the bad set the dense float64 network is within ``interior`` of the table value
  (:meth:`CellValueMap.rounding`);
* **bad sets** (P4): B = {x : some x_i ∈ [t_g − η − ϑ, t_g + ϑ)}, ϑ the input perturbation, μ(B) ≤ d(G−1)(η + 2ϑ);
  there |f̄ − g̃| ≤ M = max|f(c)| + sup|g̃| (at most one cell unit is active: sup|g̃| ≈ max|table|), so the term
  is M·μ(B)^{1/p}.
d̄_p(f, g̃) ≤ d̄_p(f, f̄) + d̄_p(f̄, g̃) ≤ partition + (table + rounding) + M·μ(B)^{1/p}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import VarcheckError, require_exponent, require_int, require_positive_rational
from ..theory.model_class import VarConfig
from .cell_value_map import CellValueMap, clipped_step_error
from .dense_ledger import BUDGET_SHARES, THRESHOLD_BITS, QuantizedPlan, grid_for, partition_factor, representable
from .floating_point import FORMATS, constant_map_interpolation_error
from .residual_stream import StreamLayout

__all__ = ["WordToImagePlan", "plan_word_to_image", "BUDGET_SHARES", "THRESHOLD_BITS", "partition_factor",
           "interpolation_perturbation", "MAX_DENSE_PARAMETERS", "representable", "replan"]

#: The dense network holds every weight; beyond this many parameters (2 GB in float64) the build is refused.
MAX_DENSE_PARAMETERS = 2**28


def interpolation_perturbation(interpolation: str, scales, fmt) -> Fraction:
    """ϑ with |x̃ − x| ≤ ϑ for every token of a word x ∈ [0,1]^d: input rounding, then the interpolation layer on a
    constant map (VAR's bicubic + area; a nearest chain copies exactly; a bicubic chain composes K − 1 steps)."""
    u = fmt.u
    if interpolation == "nearest" or len(scales) == 1:
        theta = Fraction(0)
    elif interpolation == "var":
        H, W = scales[-1]
        # adaptive average pooling N → n uses windows of at most ⌈N/n⌉ + 1 pixels per axis
        window = max(min((-(-H // h) + 1) * (-(-W // w) + 1), H * W) for h, w in scales[1:])
        theta = constant_map_interpolation_error(window, fmt)
    elif interpolation == "bicubic":
        theta = (1 + constant_map_interpolation_error(0, fmt)) ** (len(scales) - 1) - 1
    else:
        raise VarcheckError("interpolation must be 'var', 'nearest' or 'bicubic' for word-to-image, got "
                            f"{interpolation!r}.")
    return (1 + u) * (1 + theta) - 1


@dataclass
class WordToImagePlan(QuantizedPlan):
    """Every constant of the construction, exact where rational; :meth:`finalize` fixes η once the table is known."""

    d: int
    L: int
    channels: int
    p: object
    eps: Fraction
    lipschitz: Fraction
    G: int
    fmt: str = "float64"
    scales: tuple = ((1, 1),)
    interpolation: str = "var"
    positional: bool = True
    attention: bool = False
    perturbation: Fraction = Fraction(0)  # ϑ
    mask: str | None = "block_causal"
    k: int | None = None  # η = 2^{−k}
    table_max: Fraction = Fraction(0)
    table_error: Fraction = Fraction(0)
    value_map: CellValueMap | None = None
    extra: dict = field(default_factory=dict)

    @property
    def quantized(self) -> int:
        return self.d

    @property
    def step_error(self) -> Fraction:
        """The clipped steps: exact off the ramps, within a few u on them (w·x is exact: w a power of two)."""
        return clipped_step_error(self.format)

    def rounding(self) -> dict:
        return self.value_map.rounding(self.step_error, self.format, interior_step_error=Fraction(0))

    # ------------------------------------------------------------------ the dense network's shape
    def layout(self) -> StreamLayout:
        """The residual stream: x, E = (one, group, row_hi, row_lo), the steps, [attn], the slots, the output."""
        vm = self.value_map
        blocks = [("x", self.d), ("one", 1), *vm.code_blocks(), ("ramp", self.d * (self.G - 1)),
                  ("step", self.d * (self.G - 1))]
        if self.attention:
            blocks.append(("attn", 1))
        return StreamLayout(blocks + vm.stream_blocks())

    def config(self) -> VarConfig:
        vm, layout = self.value_map, self.layout()
        d_pos = 1 + sum(w for _, w in vm.code_blocks())
        ff1 = (self.d * (self.G - 1),) * 2 if self.G > 1 else ()
        return VarConfig(
            scales=self.scales,
            d_in=self.d,
            d_pos=d_pos,
            d_model=len(layout),
            d_out=self.channels,
            ff1=ff1,
            ff2=(vm.cell_units, vm.select_units),
            attention_rank=1 if self.attention else 0,
            mask=self.mask,
            interpolation=self.interpolation,
            output="pyramid",
            dtype=self.fmt,
            meta={"setting": "word_to_image", "G": self.G, "eta": f"2^-{self.k}" if self.k is not None else None},
        )

    def widths(self) -> dict:
        vm = self.value_map
        return {"d_model": len(self.layout()), "FF1_ramp_hidden": (self.G - 1) * self.d,
                "FF1_clip_hidden": (self.G - 1) * self.d, "FF2_cell_hidden": vm.cell_units,
                "FF2_select_hidden": vm.select_units, "position_groups": vm.groups}

    def parameter_count(self) -> int:
        """Parameters of the dense network (every entry of every nn.Linear weight and bias, zeros included)."""
        return self.config().parameter_count()

    # ------------------------------------------------------------------ finishing the plan
    # ------------------------------------------------------------------ finishing the plan
    def __post_init__(self):
        if self.value_map is None:  # the shape of FF₂ is known before the table (its values are not)
            self.value_map = self._value_map(Fraction(0))

    def _value_map(self, table_max) -> CellValueMap:
        positions = self.L if self.positional else 1
        fixed = self.d + 1 + 2 * self.d * (self.G - 1) + (1 if self.attention else 0)
        return CellValueMap.plan(coords=self.d, cells_per_coord=self.G, positions=positions, channels=self.channels,
                                 table_max=table_max, fixed_width=fixed, fixed_hidden=2 * (self.G - 1) * self.d)

    def replan(self, *, fmt: str | None = None, eps=None) -> "WordToImagePlan":
        """The same construction for another format and/or ε, not finalized (no table yet)."""
        return replan(self, fmt=fmt, eps=eps)



def plan_word_to_image(*, d: int, L: int, channels: int, lipschitz, eps, p=2, fmt: str = "float64", scales=None,
                       interpolation: str = "var", positional: bool = True, attention: bool = False,
                       mask: str | None = "block_causal") -> WordToImagePlan:
    """Choose G from the partition share: G = ⌈L_f·(d/(d+p))^{1/p}/(2·ε·share₁)⌉ (P1 in L_p, α = ∞, per entry)."""
    d = require_int("d", d, minimum=1)
    L = require_int("L", L, minimum=1)
    channels = require_int("channels", channels, minimum=1)
    if fmt not in FORMATS:
        raise VarcheckError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}.")
    eps = require_positive_rational("eps", eps)
    require_exponent("p", p)
    lip = Fraction(lipschitz)
    G = grid_for(lip, d, p, eps)
    scales = tuple(tuple(s) for s in scales) if scales else ((1, 1),)
    theta = interpolation_perturbation(interpolation, scales, FORMATS[fmt])
    if sum(h * w for h, w in scales) != L and scales != ((1, 1),):
        raise VarcheckError(f"the scales hold {sum(h * w for h, w in scales)} tokens but L = {L}; they must match.")
    return WordToImagePlan(
        d, L, channels, p, eps, lip, G, fmt, scales, interpolation, positional, attention, theta, mask
    )


def replan(plan: WordToImagePlan, *, fmt: str | None = None, eps=None) -> WordToImagePlan:
    """The same construction planned for another format and/or ε (not finalized: no table yet)."""
    return plan_word_to_image(d=plan.d, L=plan.L, channels=plan.channels, lipschitz=plan.lipschitz,
                              eps=plan.eps if eps is None else eps, p=plan.p, fmt=fmt or plan.fmt, scales=plan.scales,
                              interpolation=plan.interpolation, positional=plan.positional, attention=plan.attention,
                              mask=plan.mask)
