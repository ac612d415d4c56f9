"""Compositions of targets: the product of the constants (the norms must chain), and the image pipeline.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ...errors import VarcheckError, require_int
from .base import MAX_TARGET_SIDE, Target, _fmt_norm, _seed
from .linear_maps import blur, resize
from .pixelwise import gamma_map, tanh_map


class Composition(Target):
    """Apply targets[0], then targets[1], …; constant = product (norms and shapes must chain)."""

    def __init__(self, targets):
        targets = list(targets)
        if not targets or not all(isinstance(t, Target) for t in targets):
            raise VarcheckError("compose needs at least one Target.")
        for a, b in zip(targets, targets[1:]):
            if a.output_shape != b.input_shape:
                raise VarcheckError(f"cannot compose {a.name} (output {a.output_shape}) with {b.name} (input "
                                    f"{b.input_shape}).")
            if a.norms[1] != b.norms[0]:
                raise VarcheckError(f"cannot compose {a.name} (β = {_fmt_norm(a.norms[1])}) with {b.name} (α = "
                                    f"{_fmt_norm(b.norms[0])}): the norms must chain.")
        self.parts = tuple(targets)
        lip = math.prod((t.lipschitz for t in targets), start=Fraction(1))
        super().__init__(" >> ".join(t.name for t in targets), targets[0].input_shape, targets[-1].output_shape, lip,
                         (targets[0].norms[0], targets[-1].norms[1]))
        self.rational = all(t.rational for t in targets)

    def _forward(self, x):
        for t in self.parts:
            x = t._forward(x)
        return x

    def _error(self, x, input_error):
        err = input_error
        for t in self.parts:
            err = t._error(x, err)
            x = t._forward(x)
        return err

    def _exact(self, x):
        for t in self.parts:
            x = t._exact(x)
        return x

    def _ball(self, x):
        for t in self.parts:
            x = t._ball(x)
        return x


def compose(*targets) -> Target:
    """The composition targets[-1] ∘ … ∘ targets[0] (apply in the order given); Lipschitz = product."""
    if len(targets) == 1 and isinstance(targets[0], (list, tuple)):
        targets = tuple(targets[0])
    if len(targets) == 1 and isinstance(targets[0], Target):
        return targets[0]
    return Composition(targets)


def image_pipeline(*, seed: int, side: int = 4, channels: int = 1, out_side: int | None = None) -> Target:
    """blur → pixel-wise tone map (tanh or gamma-like) → bicubic resize to ``out_side``: a composite image target."""
    seed = _seed(seed)
    side = require_int("side", side, minimum=1, maximum=MAX_TARGET_SIDE)
    out_side = side + 2 if out_side is None else require_int("out_side", out_side, minimum=1, maximum=MAX_TARGET_SIDE)
    rng = np.random.default_rng([seed, 6])
    tone = (tanh_map, gamma_map)[int(rng.integers(2))]
    return compose(
        blur(seed=seed, side=side, channels=channels),
        tone(seed=seed, shape=(side, side, channels)),
        resize(seed=seed, mode="bicubic", src=(side, side), dst=(out_side, out_side), channels=channels),
    )
