"""Image-to-image (docs/theory.md §6.1, T1) with a UNIFORM attention layer: a construction that runs in float64.

The A4 constructions separate contexts through exponentially small softmax differences (γ ≈ e^{−8M(2 ln n+3)}
for the tight one; F6): their read-outs need hundreds to millions of bits, and no T1 instance fits float64.
With the positional codes E of docs/theory.md's model, the one attention layer only has to *aggregate*, not to
separate: FF₁ can write a position-weighted code into every input token, and uniform attention (W_Q = W_K = 0,
so softmax gives weight 1/V to each of the V visible tokens) sums it. Construction, input r_1 ∈ [0,1]^n:

* FF₁ layer 1: the ramp steps s_g(x) of the dyadic thresholds t_g ≈ g/G (P2), G − 1 per token;
* FF₁ layer 2: for input position j < n, the units ReLU(2s_g + 2e_j − 3) (e_j the one-hot code of position j;
  exact value 1 iff the token is input pixel j and x ≥ t_g, else ≤ −1) write z = Σ_{j,g} G^j·unit: the input token
  j carries z_j = k_j·G^j, k_j = #{g : x_j ≥ t_g} its digit, every other token z = 0;
* SA: W_Q = W_K = 0, W_V reads z, W_O writes the read-out ρ into its own channel: an output token (last scale;
  it sees all L tokens, masked or not) gets ρ = (1/L)Σ_j k_j G^j = code/L, an integer code of the input's cell
  g⃗ ∈ {0..G−1}^n — the contextual mapping with γ = 1/L instead of e^{−Θ(M)} (finding F11);
* FF₂: the ramp steps of L·ρ at the half-integers m − 1/2 (slope 4: z' = 4(Lρ − m) + 2, exactly ≥ 2 or ≤ −2 at an
  integer code), then the cell value map over the G^n codes (d' = 1) reading out f(c_g⃗) at each output position.

Rounding (float64, γ_n as usual): every step is a clipped step (varcheck.exact.cell_value_map), exact off its
ramp, so off the bad set the code units are exactly 0 or 1, z is an exact integer and only the attention rounds:
the softmax weights are (1/V)(1 ± r_w) (exp(0) within one ulp of 1, a V-term sum, one division) and the read-out
adds γ_n, so Vρ̃ = code·(1 ± r), r = (1 + r_w)(1 + γ_n) − 1; the code steps stay exact when
4(G^n − 1)r + γ₂(8G^n + 4) < 1 (a margin of 1 in ramp units), and the value map then costs its ``interior`` bound
(the position select's rounding, ≈ 10⁻¹⁵). Tokens of later scales may carry any interpolated value: their steps
lie in [0, 1] exactly, so their code units ReLU(2s − 3) are exactly 0. The ledger is that of
varcheck.exact.dense_ledger with q = n quantized coordinates (the input pixels, which reach FF₁ unchanged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import VarcheckError, power_text, require_int
from ..theory.model_class import VarConfig
from .cell_value_map import CellValueMap, MarginError, clipped_step_error
from .dense_ledger import BUDGET_SHARES, QuantizedPlan, grid_for
from .floating_point import FORMATS, up_dyadic
from .residual_stream import StreamLayout

__all__ = ["CellCodePlan", "plan_cell_code", "MAX_CODES", "BUDGET_SHARES"]

#: The construction enumerates every cell of the input grid (G^n codes); beyond this many it is refused.
MAX_CODES = 4096
#: EXP_ULPS of varcheck.exact.floating_point: exp(0) is within one ulp of 1.
_EXP_ULPS = 1


@dataclass
class CellCodePlan(QuantizedPlan):
    """Every constant of the uniform-attention T1 construction (exact); :meth:`finalize` fixes η from the table."""

    scales: tuple
    p: object
    eps: Fraction
    lipschitz: Fraction
    G: int
    fmt: str = "float64"
    mask: str | None = "block_causal"
    interpolation: str = "var"
    channels: int = 1
    k: int | None = None
    table_max: Fraction = Fraction(0)
    table_error: Fraction = Fraction(0)
    value_map: CellValueMap | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.value_map is None:
            self.value_map = self._value_map(Fraction(0))

    # ------------------------------------------------------------------ sizes of the instance
    @property
    def n(self) -> int:
        return self.scales[0][0] * self.scales[0][1]

    @property
    def quantized(self) -> int:
        return self.n

    @property
    def L(self) -> int:
        """Output positions (the last scale): the per-entry normalisation counts L·channels entries."""
        return self.scales[-1][0] * self.scales[-1][1]

    @property
    def tokens(self) -> int:
        return sum(h * w for h, w in self.scales)

    @property
    def codes(self) -> int:
        return self.G**self.n

    @property
    def perturbation(self) -> Fraction:
        """The input pixels reach FF₁ unchanged: only the rounding of a real input to float (u)."""
        return self.format.u

    def _value_map(self, table_max) -> CellValueMap:
        fixed = 1 + self.n + 2 * (self.G - 1) + 2 + 2 * (self.codes - 1)
        return CellValueMap.plan(coords=1, cells_per_coord=self.codes, positions=self.L, channels=self.channels,
                                 table_max=table_max, fixed_width=fixed, fixed_hidden=2 * (self.codes - 1))

    # ------------------------------------------------------------------ rounding
    def rounding(self) -> dict:
        fmt = self.format
        u, g = fmt.u, fmt.gamma
        e = _EXP_ULPS * 2 * u
        r_w = up_dyadic((1 + e) * (1 + u) / ((1 - e) * (1 - g(self.tokens))) - 1)
        r = up_dyadic((1 + r_w) * (1 + g(self.n)) - 1)  # off the bad set z is an exact integer: only softmax rounds
        Gn = self.codes
        operand = 8 * Gn + 4 * Gn * r + 4
        margin = up_dyadic(4 * (Gn - 1) * r + g(2) * operand)
        if not margin < 1:
            raise MarginError(f"code steps unresolved in {fmt.name}: the read-out errs by {float(margin):.3g} ≥ 1 in "
                              "ramp units")
        if Gn >= 2 ** (fmt.mantissa - 1):
            raise MarginError(f"the integer codes up to {Gn} are not exact in {fmt.name}")
        out = self.value_map.rounding(clipped_step_error(fmt, margin), fmt, interior_step_error=Fraction(0))
        out.update({"readout_relative": r, "code_margin": margin})
        return out

    # ------------------------------------------------------------------ the dense network's shape
    def layout(self) -> StreamLayout:
        vm = self.value_map
        return StreamLayout([("x", 1), ("pos", self.n), *vm.code_blocks(), ("ramp", self.G - 1), ("step", self.G - 1),
                             ("z", 1), ("rho", 1), ("code_ramp", self.codes - 1), ("code_step", self.codes - 1),
                             *vm.stream_blocks()])

    def config(self) -> VarConfig:
        vm, layout = self.value_map, self.layout()
        d_pos = self.n + sum(w for _, w in vm.code_blocks())
        ff1 = (self.G - 1, self.G - 1, self.n * (self.G - 1)) if self.G > 1 else ()
        ff2 = ((self.codes - 1,) * 2 if self.codes > 1 else ()) + (vm.cell_units, vm.select_units)
        return VarConfig(
            scales=self.scales,
            d_in=1,
            d_pos=d_pos,
            d_model=len(layout),
            d_out=self.channels,
            ff1=ff1,
            ff2=ff2,
            attention_rank=1,
            mask=self.mask,
            interpolation=self.interpolation,
            output="last_scale",
            dtype=self.fmt,
            meta={
                "setting": "image_to_image",
                "construction": "average",
                "G": self.G,
                "eta": f"2^-{self.k}" if self.k is not None else None,
            },
        )

    def widths(self) -> dict:
        vm = self.value_map
        return {"d_model": len(self.layout()), "FF1_step_hidden": 2 * (self.G - 1),
                "FF1_code_hidden": self.n * (self.G - 1),
                "FF2_code_step_hidden": 2 * (self.codes - 1), "FF2_cell_hidden": vm.cell_units,
                "FF2_select_hidden": vm.select_units, "position_groups": vm.groups}

    def parameter_count(self) -> int:
        return self.config().parameter_count()

    def replan(self, *, fmt: str | None = None, eps=None) -> "CellCodePlan":
        """The same construction for another format and/or ε (G kept at the same ε), not finalized."""
        return plan_cell_code(
            scales=self.scales,
            lipschitz=self.lipschitz,
            eps=self.eps if eps is None else eps,
            p=self.p,
            G=self.G if eps is None else None,
            fmt=fmt or self.fmt,
            mask=self.mask,
            interpolation=self.interpolation,
            channels=self.channels,
        )



def plan_cell_code(*, scales, lipschitz, eps, p=2, G=None, fmt: str = "float64", mask="block_causal",
                      interpolation: str = "var", channels: int = 1) -> CellCodePlan:
    """G = ⌈L_f·(n/(n+p))^{1/p}/(2·ε·share₁)⌉ unless given; refuse more than MAX_CODES input cells."""
    if fmt not in FORMATS:
        raise VarcheckError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}.")
    eps = Fraction(eps)
    if p == math.inf:
        raise VarcheckError("p must be finite for the bad-set accounting (P4): with p = ∞, μ(B)^{1/p} = 1.")
    scales = tuple(tuple(s) for s in scales)
    n = scales[0][0] * scales[0][1]
    lip = Fraction(lipschitz)
    if G is None:
        G = grid_for(lip, n, p, eps)
    G = require_int("G", G, minimum=1)
    if G.bit_length() * n > 64 or G**n > MAX_CODES:
        raise VarcheckError(f"the input grid has {power_text('G^n', G, n)} cells, above {MAX_CODES}; raise eps or "
                            "use a smaller input.")
    return CellCodePlan(scales, p, eps, lip, G, fmt, mask, interpolation, channels)
