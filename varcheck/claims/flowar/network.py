"""FlowAR's T3 as a network of the model class (docs/theory.md §6.3, T3-net): the dense Ŷ, the AdaLN flow head with a
ReLU time MLP, and Euler on FlowAR's grids, with its mutant and its row of docs/networks.md.

The instance is varcheck.runtime.instances.t3 (Ŷ on the flowar pyramid, d = 1, 2 channels, ε = 1/50).
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import strategies as st

from ...exact.directed_rounding import format_bound
from ...exact.flow_head import time_scale_plan
from ...runtime.instances import T3_EPS, t3, t3_y_hat
from ...theory.mutants import Check, Mutant
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import NetworkRow
from ..properties import run_property

__all__ = ["CLAIMS", "MUTANTS", "QUOTED_HIDDEN", "t3_network_row"]

_COR = "arXiv:2502.06167, Corollary 7.2 (ICML numbering; FlowAR, arXiv:2412.15205), as restated in docs/theory.md §6.3"


#: T3-net's statement quotes the time MLP's hidden width 2(K − 1) on each grid; the evidence checks the built network.
QUOTED_HIDDEN = {"25": 46, "50": 98}


def flowar_network_recovery(ctx: Context) -> EvidenceResult:
    """Hypothesis over words and noise draws on FlowAR's 25- and 50-step grids: Euler with the network head lands
    within the derived last-step bound of Ŷ (every entry), and Ŷ's certificate gives d̄_2(f, Ŷ) ≤ ε."""
    import torch

    def prop(example):
        w, noise_seed, grid, scale = example
        target, flow = t3(grid)
        words = torch.tensor([[[w]]], dtype=torch.float64)
        noise = scale * torch.randn(1, 341, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(noise_seed))
        states, y = flow.sample(words, noise, trajectory=True)
        dev = (states[-1] - y).abs()
        bound = flow.last_step_bound(states[-2], y)
        ratio = float(torch.where(bound > 0, dev / bound.clamp(min=1e-300), (dev > 0) * math.inf).max())
        return ratio, f"grid {grid}, word {w}, noise seed {noise_seed}, scale {scale}"

    strategy = st.tuples(st.floats(0, 1), st.integers(0, 2**16), st.sampled_from([
        "25", "50"]), st.sampled_from([1.0, 1e3]))
    result = run_property(prop, strategy, ctx, quick=8, full=80, label="|x_K − Ŷ| / last-step bound")
    certs = {g: t3(g)[1].certificate() for g in ("25", "50")}
    if result.verdict == "passed" and not all(c["certified"] for c in certs.values()):
        return EvidenceResult("failed", result.detail + "; Ŷ is not certified")
    plans = {g: t3(g)[1].plan for g in ("25", "50")}
    hidden = {g: plan.hidden for g, plan in plans.items()}
    if result.verdict == "passed" and hidden != QUOTED_HIDDEN:
        return EvidenceResult("failed", f"time MLP widths {hidden} differ from the statement's {QUOTED_HIDDEN}")
    result.detail += (f"; time MLP {hidden['25']} / {hidden['50']} ReLUs (grid times {len(plans['25'].times)} / "
                      f"{len(plans['50'].times)}, last {float(plans['25'].times[-1]):.6g} / "
                      f"{float(plans['50'].times[-1]):.6g}; slopes {plans['25'].slope} / {plans['50'].slope})")
    result.detail += (f"; Ŷ certified d̄_2 ≤ {format_bound(certs['25']['lp_bound'], 'upper', 4)} ≤ ε = {T3_EPS}; the "
                      f"time MLP errs by ≤ {format_bound(certs['25']['head_relative_error'], 'upper', 2)} relative at "
                      "the last grid time")
    return result


def t3_network_row() -> NetworkRow:
    """T3-net's Ŷ row of docs/networks.md: any Ŷ will do (§6.3); the AdaLN head adds [I, −I] and a time MLP."""
    from ...runtime.flowar import flowar_grid_25, flowar_grid_50

    _, y_hat = t3_y_hat()
    heads = [time_scale_plan([Fraction(float(t)) for t in grid]).hidden for grid in (flowar_grid_25(),
                                                                                     flowar_grid_50())]
    return NetworkRow("T3-net Ŷ (flowar, d = 1, 2 channels)", "word-to-image (FlowAR head added)", y_hat, T3_EPS,
                      f"§6.3: any Ŷ; the AdaLN head adds [I, −I] and a time MLP of {heads[0]} / {heads[1]} ReLUs "
                      "(25- / 50-step grid)")


# --------------------------------------------------------------------------- mutants


def _time_mlp_off_at_a_knot(p) -> None:
    """The time MLP's output bias 1/t₀ rounded to 5 digits: 1 + s(t) no longer 1/t at the grid times."""
    from ...runtime import flowar_network

    original = flowar_network.TimeScale.__init__

    def init(self, plan):
        original(self, plan)
        import torch

        with torch.no_grad():
            self.fc2.bias[0] = round(float(self.fc2.bias[0]) * (1 + 1e-5), 5)

    p.setattr(flowar_network.TimeScale, "__init__", init)


# --------------------------------------------------------------------------- claims


CLAIMS = (
    Claim(
        id="flowar.dense-network",
        label="T3-net",
        title="FlowAR's T3 as a network of the model class: dense Ŷ, AdaLN flow head, Euler on FlowAR's grids",
        statement=(
            "Ŷ is the dense float64 word-to-image VarTransformer on the flowar pyramid (1, 2, 4, 8, 16) for a "
            "smooth-field target (d = 1, 2 channels), certified to d̄_2 ≤ 1/50; the head is v = AdaLN(h; t) = h·(1 + "
            "s(t)) with h = [I, −I](x, Ŷ) = x − Ŷ and the time scale 1 + s(t) = 1/t computed by a ReLU MLP (one hidden "
            f"layer of 2(K − 1) units, K the number of Euler steps: {QUOTED_HIDDEN['25']} on the 25-step grid, "
            f"{QUOTED_HIDDEN['50']} on the 50-step grid) exact at the grid times up to rounding. Euler from noise at "
            "t = 1 to t = 0 on FlowAR's 25- and 50-step grids (built in float64, the 50-step grid linspace(1, 0, 51)) "
            "lands within (1 + u)θ|x_{K−1} − Ŷ| + u|Ŷ| of Ŷ entrywise (θ derived from the time MLP's rounding), for "
            "every noise draw; hence d̄_2(f, FlowAR) ≤ d̄_2(f, Ŷ) + that bound."
        ),
        paper_ref=_COR + "; realised as a network (varcheck formalisation)",
        expected="holds",
        depends_on=("flowar.euler-exact-recovery", "ua.word-to-image"),
        constants=(("TIME_MLP_SLOPE", "2^⌈log2(1/δ)⌉, δ ≥ (7/16)·min gap",
                    "the steps at the breakpoints μ_j (the midpoints rounded to a multiple of 2^−m ≤ min gap/8, so "
                    "that the first layer's biases are float64 numbers) saturate at every grid time when w·δ ≥ 1, δ "
                    "the smallest distance from a breakpoint to its two grid times"),),
        evidence=(
            E("numeric", flowar_network_recovery, "Hypothesis over words and noise draws (scales 1 and 10³) on both "
                                                  "grids: |x_K − Ŷ| below the derived last-step bound; Ŷ certified"),
        ),
    ),
)


MUTANTS = (
    Mutant("flowar.dense-time-mlp-off-at-a-knot", ("flowar.dense-network",), "FlowAR's time MLP 1/t₀ perturbed by 10⁻⁵",
           _time_mlp_off_at_a_knot, (Check(flowar_network_recovery),)),
)
