"""FlowAR's T3 as a network of the model class (docs/theory.md §6.3): a dense VarTransformer for Ŷ plus the AdaLN
flow head of varcheck.exact.flow_head, sampled with FlowAR's explicit Euler.

``build_flowar_approximator`` builds Ŷ (the word-to-image construction on the ``flowar`` pyramid, certified in
float64) and the head; :meth:`FlowARApproximator.sample` runs Euler from noise at t = 1 to t = 0 on FlowAR's
25- or 50-step grid. Euler with the exact head returns Ŷ exactly (T3); the float64 run differs from Ŷ by at
most :meth:`FlowARApproximator.last_step_bound` entrywise (only the last step's rounding survives), so
d̄_p(f, FlowAR) ≤ d̄_p(f, Ŷ) + that bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import torch

from ..errors import VarcheckError, require_choice
from ..exact.floating_point import FORMATS
from ..exact.flow_head import TimeScalePlan, time_scale_plan
from .flowar import flowar_grid

__all__ = ["TimeScale", "FlowHeadNetwork", "FlowARApproximator", "build_flowar_approximator", "GRIDS"]

GRIDS = ("25", "50")


class TimeScale(torch.nn.Module):
    """The AdaLN time scale 1 + s(t) = 1/t at the grid times: Linear(1 → 2(K−1)), ReLU, Linear(2(K−1) → 1)."""

    def __init__(self, plan: TimeScalePlan):
        super().__init__()
        self.fc1 = torch.nn.Linear(1, max(plan.hidden, 1), dtype=torch.float64)
        self.fc2 = torch.nn.Linear(max(plan.hidden, 1), 1, dtype=torch.float64)
        with torch.no_grad():
            for p in self.parameters():
                p.zero_()
            w = float(plan.slope)
            for j, (mu, delta) in enumerate(zip(plan.midpoints, plan.increments)):
                self.fc1.weight[2 * j: 2 * j + 2, 0] = -w
                self.fc1.bias[2 * j] = float(plan.slope * mu + 1)
                self.fc1.bias[2 * j + 1] = float(plan.slope * mu)
                self.fc2.weight[0, 2 * j] = float(delta)
                self.fc2.weight[0, 2 * j + 1] = -float(delta)
            self.fc2.bias[0] = float(1 / plan.times[0])
        self.requires_grad_(False)

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(t.reshape(-1, 1)))).reshape(t.shape)


class FlowHeadNetwork(torch.nn.Module):
    """v(x, t, Ŷ) = AdaLN(h; t) = h·(1 + s(t)), h = [I, −I]·(x, Ŷ) = x − Ŷ: T3's head in standard layers."""

    def __init__(self, channels: int, plan: TimeScalePlan):
        super().__init__()
        self.inp = torch.nn.Linear(2 * channels, channels, bias=False, dtype=torch.float64)
        with torch.no_grad():
            eye = torch.eye(channels, dtype=torch.float64)
            self.inp.weight.copy_(torch.cat([eye, -eye], dim=1))
        self.time = TimeScale(plan)
        self.requires_grad_(False)

    def forward(self, x, t, y_hat):
        h = self.inp(torch.cat([x, y_hat], dim=-1))
        return h * self.time(torch.as_tensor(t, dtype=x.dtype).reshape(1)).reshape(())


@dataclass
class FlowARApproximator:
    """Ŷ (a VarApproximator) and the flow head network, with FlowAR's grid."""

    y_hat: object
    head: FlowHeadNetwork
    plan: TimeScalePlan
    grid: torch.Tensor
    extra: dict = field(default_factory=dict)

    def sample(self, words: torch.Tensor, noise: torch.Tensor, *, trajectory: bool = False):
        """Euler x ← x + (t_next − t)·v(x, t, Ŷ(words)) from x = noise at t = 1 to t = 0 (float64)."""
        y = self.y_hat(words)
        x = torch.as_tensor(noise, dtype=torch.float64)
        if tuple(x.shape) != tuple(y.shape):
            raise VarcheckError(f"noise must have the shape of Ŷ, {tuple(y.shape)}, got {tuple(x.shape)}.")
        if not bool(torch.isfinite(x).all()):
            raise VarcheckError("noise must hold finite values only.")
        states = [x]
        with torch.no_grad():
            for t, t_next in zip(self.grid[:-1], self.grid[1:]):
                x = x + (t_next - t) * self.head(x, t, y)
                states.append(x)
        return (states, y) if trajectory else (x, y)

    def last_step_bound(self, x_prev: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Entrywise bound on |x_K − Ŷ| from the float values x_{K−1} and Ŷ of a run (varcheck.exact.flow_head)."""
        u = float(FORMATS["float64"].u)
        theta = float(self.plan.last_step_theta()) * (1 + 2**-50)
        return ((1 + u) * theta * (x_prev - y).abs() + u * y.abs()) * (1 + 4 * u)

    def certificate(self) -> dict:
        cert = dict(self.y_hat.certificate())
        cert["head_relative_error"] = float(self.plan.relative_errors()[-1])
        return cert


def build_flowar_approximator(
    target, eps, *, grid: str = "25", p=2, monte_carlo: int = 0, y_hat=None
) -> FlowARApproximator:
    """T3 on FlowAR's pyramid: Ŷ = the dense word-to-image approximator of ``target`` (per-scale targets; or the
    given ``y_hat``, built for that target), the head v = AdaLN(x − Ŷ; t), Euler on FlowAR's ``grid`` ("25":
    linspace(1, 0.3, 12) ++ linspace(0.25, 0, 13); "50": linspace(1, 0, 51); both built in float64 as FlowAR does)."""
    from ..theory.pyramid import Pyramid
    from .approximator import VarApproximator, build_var_approximator

    require_choice("grid", grid, GRIDS)
    pyramid = Pyramid.preset("flowar")
    if y_hat is None:
        y_hat = build_var_approximator(target, pyramid, eps, p=p, setting="word_to_image", attention="identity",
                                       monte_carlo=monte_carlo)
    elif not isinstance(y_hat, VarApproximator) or y_hat.target_name != target.name or y_hat.plan.L != pyramid.length:
        raise VarcheckError("y_hat must be a word-to-image VarApproximator built for this target on the flowar "
                            "pyramid.")
    times = flowar_grid(int(grid))
    plan = time_scale_plan([Fraction(float(t)) for t in times])
    head = FlowHeadNetwork(target.output_shape[1], plan)
    return FlowARApproximator(y_hat, head, plan, times)
