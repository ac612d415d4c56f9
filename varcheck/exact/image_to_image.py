"""The image-to-image construction of docs/theory.md §6.1 (T1), built over Q and run in ball arithmetic.

Input r_1 ∈ [0,1]^{h_1×w_1} (d = 1, n = h_1 w_1 tokens); output the last scale of the pyramid.

* Φ_up + E: the exact pyramid matrix P (docs/theory.md §2.3) gives every token a value; E appends the
  constant 1, the token's position t and its level.
* FF₁: the ReLU quantizer (P2) turns each value into a digit k ∈ [0, G−1]; a gate ReLU(k − G·[level > 0])
  keeps the digits of the input scale only (higher-level tokens carry (1, 0, t)). Off the bad set the
  tokens are exactly (1, g_t, t) for the input's grid cell g.
* SA: the tight contextual mapping (A4-tight, optionally block-causal, A5) with the explicit projection
  y = M + k + G·t (M = G·L: the values are the integers M..2M−1). Each output token's read-out ρ then
  identifies the cell g (certified: the read-out balls of different cells are disjoint).
* FF₂: for each output position, steps ReLU((ρ − b)/w) − ReLU((ρ − b)/w − 1) placed in the gaps between
  the read-out balls, gated by the position (AND(a, b) = ReLU(a + b − 1)), read out the table
  f(cell centre)_t. Every weight is rational.

Ledger: off the bad set the network equals f̄ exactly, so |f − g| ≤ L_f·δ/2 (P1); on the bad set
(μ ≤ n(G−1)η) the steps keep g within [min v, max v], so |f − g| ≤ M = 2T + L_f δ/2 (T = max |v|).
The runtime is exact/ball, so there is no rounding term.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product

from ..errors import VarcheckError, power_text, require_choice, require_int
from ..theory.pyramid import Pyramid
from .ball_attention import arb_of, working_precision
from .contextual_mapping import ContextualMapping, contextual_mapping
from .pyramid_maps import pyramid_upsampling_matrix

__all__ = ["ImageToImage", "build_image_to_image", "paper_requirement", "require_image_to_image_target", "MAX_CELLS",
           "MAX_PAPER_BITS"]

#: The construction enumerates every grid cell of the input (G^n of them); beyond this many it is refused.
MAX_CELLS = 4096
#: The paper construction is built only while a read-out needs at most this many bits (2²¹: one exp then
#: takes about a second in arb on this hardware; A4's full-profile certificate ran at 1.15M bits).
MAX_PAPER_BITS = 2**21


def _quantize(x: Fraction, G: int, eta: Fraction) -> Fraction:
    """Q_η(x)/δ: the ReLU quantizer's digit (exact)."""
    total = Fraction(0)
    for g in range(1, G):
        a = (x - Fraction(g, G)) / eta
        total += max(a + 1, Fraction(0)) - max(a, Fraction(0))
    return total


@dataclass
class ImageToImage:
    """A built T1 network: exact weights, the table, and a ball-arithmetic runtime."""

    pyramid: Pyramid
    G: int
    eta: Fraction
    masked: bool
    cm: ContextualMapping
    P: list  # L × n exact pyramid matrix
    cells: list  # digit tuples g, in family order
    table: dict  # (position, cell index) → value (Fraction)
    steps: dict  # position → list of (b, w, Δv) and the first value
    precision: int
    lipschitz: Fraction
    eps: Fraction
    p: object
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.pyramid.sizes[0]

    @property
    def out_positions(self) -> range:
        begin, end = self.pyramid.ranges[-1]
        return range(begin, end)

    @property
    def table_max(self) -> Fraction:
        return max(abs(v) for v in self.table.values())

    @property
    def ledger(self) -> dict:
        """The error budget term by term (exact), as ``VarApproximator.ledger``."""
        delta = Fraction(1, self.G)
        partition = self.lipschitz * delta / 2
        mu = min(Fraction(1), self.n * (self.G - 1) * self.eta)
        M = 2 * self.table_max + partition
        return {"partition": partition, "bad_set_measure": mu, "M": M, "rounding": Fraction(0),
                "attention_leak": Fraction(0)}

    def certificate(self) -> dict:
        from flint import arb

        led = self.ledger
        p = self.p
        bad = arb_of(led["M"]) * (arb_of(led["bad_set_measure"]) ** (arb(1) / arb_of(Fraction(p))))
        lp = arb_of(led["partition"]) + bad
        m = len(self.out_positions)
        return {
            "lp_bound": float(lp.upper()),
            "lp_bound_unnormalised": float((lp * arb(m) ** (arb(1) / arb_of(Fraction(p)))).upper()),
            "sup_interior_bound": float(led["partition"]),
            "bad_set_sup_bound": float(led["M"]),
            "certified": bool(lp.upper() <= arb_of(self.eps)),
            "eps": str(self.eps),
            "p": str(p),
        }

    #: T1 runs in ball arithmetic: float64 cannot resolve the read-outs (see ``precision``).
    module = None
    runtime = "ball"

    @property
    def constants(self) -> dict:
        L, n, G = self.pyramid.length, self.n, self.G
        steps = sum(len(plan) for _, plan in self.steps.values())
        return {"G": G, "delta": str(Fraction(1, G)), "eta": str(self.eta), "c": str(self.cm.c), "M_projection": G * L,
                "W_O_scale": str(self.cm.s), "precision_bits": self.precision, "masked": self.masked,
                "widths": {"FF1_hidden": 2 * (G - 1) + 1, "FF2_step_hidden": 2 * steps, "FF2_and_hidden": steps},
                "parameter_count": 3 * (2 * (G - 1)) + 4 * 3 + 3 * 2 + 6 * steps, "cells": G**n}

    # ---------------------------------------------------------------- ball runtime
    def forward(self, r1):
        """Run the network on an exact input map (n rationals, row-major): the last scale as arb balls."""
        from flint import arb

        x = [Fraction(v) for v in r1]
        if len(x) != self.n:
            raise VarcheckError(f"r1 must hold n = {self.n} values (row-major), got {len(x)}.")
        values = [sum((self.P[t][j] * x[j] for j in range(self.n)), Fraction(0)) for t in range(self.pyramid.length)]
        levels = self.pyramid.levels
        tokens = []
        for t, val in enumerate(values):
            k = _quantize(val, self.G, self.eta)
            gated = max(k - self.G * (1 if levels[t] > 0 else 0), Fraction(0))
            tokens.append((Fraction(1), gated, Fraction(t)))
        v, c = self.cm.v, self.cm.c
        ys = [sum((a * b for a, b in zip(v, tok)), Fraction(0)) for tok in tokens]
        out = []
        with working_precision(self.precision):
            for t in self.out_positions:
                keys = range(len(tokens)) if not self.masked else range(self.pyramid.ranges[int(levels[t])][1])
                scores = [c * ys[t] * ys[j] for j in keys]
                top = max(scores)
                w = [arb_of(s - top).exp() for s in scores]
                rho = sum((wi * arb_of(ys[j]) for wi, j in zip(w, keys)), arb(0)) / sum(w, arb(0))
                first, steps = self.steps[t]
                y = arb_of(first)
                for b, width, dv in steps:
                    z = (rho - arb_of(b)) / arb_of(width)
                    step = _relu(z) - _relu(z - 1)
                    y += arb_of(dv) * step  # AND(position hat = 1, step) = step for the token's own position
                out.append(y)
        return out


def _relu(z):
    """ReLU of an arb ball: exact branches when the sign is decided, else the enclosure (z + |z|)/2."""
    from flint import arb

    if z > 0:
        return z
    if z < 0:
        return arb(0)
    return (z + abs(z)) / 2


def require_image_to_image_target(target, pyramid: Pyramid, *, channels: int | None = None) -> None:
    """Refuse (one sentence) a target that is not an image-to-image map from the pyramid's first scale (d = 1) to its
    last scale with ``channels`` channels (any number when None)."""
    if len(target.input_shape) != 3 or target.input_shape[2] != 1:
        raise VarcheckError("an image-to-image target takes input shape (h_1, w_1, 1) (d = 1), got "
                            f"{target.input_shape}.")
    if tuple(target.input_shape[:2]) != pyramid.scales[0]:
        raise VarcheckError(f"the target's input {target.input_shape[:2]} must be the pyramid's first scale "
                            f"{pyramid.scales[0]}.")
    if (len(target.output_shape) != 3 or tuple(target.output_shape[:2]) != pyramid.scales[-1]
            or (channels is not None and target.output_shape[2] != channels)):
        raise VarcheckError(f"the target's output {target.output_shape} must be the pyramid's last scale "
                            f"{pyramid.scales[-1]} × {channels or 'C'}.")


def build_image_to_image(target, pyramid: Pyramid, eps, *, p=2, masked: bool = True, G=None,
                         construction: str = "tight", interpolation: str = "bicubic") -> ImageToImage:
    """Build T1 for a rational image-to-image target whose input is the pyramid's first scale (d = 1).

    ``construction="paper"`` uses A4's constants (projection from A3, the proof's temperature); it is built
    only when its read-outs need at most MAX_PAPER_BITS bits, and refused with the requirement otherwise.
    """
    require_choice("construction", construction, ("tight", "paper"))
    require_image_to_image_target(target, pyramid, channels=1)
    if not getattr(target, "rational", False):
        raise VarcheckError(f"target {target.name} is not rational; the exact table needs a rational target.")
    eps = Fraction(eps)
    lip = Fraction(target.lipschitz)
    share = Fraction(3, 5)
    G = require_int("G", G, minimum=1) if G is not None else max(1, math.ceil(lip / (2 * eps * share)))
    n, L = pyramid.sizes[0], pyramid.length
    if G.bit_length() * n > 64 or G**n > MAX_CELLS:
        raise VarcheckError(f"the input grid has {power_text('G^n', G, n)} cells, above {MAX_CELLS}; raise eps or "
                            "use a smaller input.")
    if lip * Fraction(1, G) / 2 >= eps:
        raise VarcheckError(f"with G = {G} the partition term L_f·δ/2 = {float(lip / (2 * G)):.4g} already reaches eps "
                            f"= {float(eps)}.")
    # tokens after FF₁ for every cell, and the table f(centre)_t
    cells, family = _family(G, n, L)
    M = G * L
    cm = contextual_mapping(family, construction=construction, pyramid=pyramid if masked else None,
                            projection=(M, 1, G) if construction == "tight" else None)
    precision = cm.working_precision()
    if construction == "paper" and precision > MAX_PAPER_BITS:
        raise VarcheckError(
            f"the paper construction of this instance needs every read-out at {precision} bits (c ≈ {float(cm.c):.4g}, "
            f"|V| = {cm.vocabulary_size}), above the ball runtime's budget of {MAX_PAPER_BITS} bits; use "
            "construction='tight'."
        )
    begin, end = pyramid.ranges[-1]
    table, steps = {}, {}
    for idx, g in enumerate(cells):
        values = target.exact([Fraction(2 * gi + 1, 2 * G) for gi in g])
        for t in range(begin, end):
            table[(t, idx)] = values[t - begin]
    for t in range(begin, end):
        balls = sorted(((cm.readout(i, t, precision), i) for i in range(len(cells))), key=lambda bi: bi[0].mid())
        for (a, _), (b, _) in zip(balls, balls[1:]):
            if not b > a:
                raise VarcheckError(f"internal: read-out balls of position {t} overlap at {precision} bits")
        plan, prev = [], None
        with working_precision(precision):  # endpoints at the balls' precision (ctx default would round them)
            for (ball, i) in balls:
                if prev is not None:
                    hi, lo = _upper(prev[0]), _lower(ball)
                    gap = lo - hi
                    if gap <= 0:
                        raise VarcheckError(f"internal: read-out balls of position {t} are not separated")
                    plan.append((hi + gap / 3, gap / 3, table[(t, i)] - table[(t, prev[1])]))
                prev = (ball, i)
        steps[t] = (table[(t, balls[0][1])], plan)
    eta = _eta_for(eps, share, lip, G, n, p, max(abs(v) for v in table.values()))
    # Φ_up in the chosen mode; FF₁'s gate keeps only the input scale's digits, so the mode changes the
    # higher-level values but never the network's output (the interpolation layer carries positions only)
    P = pyramid_upsampling_matrix(pyramid, interpolation, exact=True)
    rows = [[Fraction(str(P[i, j])) for j in range(P.ncols())] for i in range(P.nrows())]
    return ImageToImage(pyramid, G, eta, masked, cm, rows, cells, table, steps, precision, lip, eps, p)


def _family(G, n, L):
    cells = list(product(range(G), repeat=n))
    return cells, [
        [(Fraction(1), Fraction(g[t]) if t < n else Fraction(0), Fraction(t)) for t in range(L)] for g in cells
    ]


def paper_requirement(pyramid: Pyramid, G: int, masked: bool = True) -> dict:
    """What the paper construction (A4 constants) would need for the T1 token family: temperature and bits."""
    n, L = pyramid.sizes[0], pyramid.length
    _, family = _family(G, n, L)
    cm = contextual_mapping(family, construction="paper", pyramid=pyramid if masked else None)
    return {"c": float(cm.c), "vocabulary": cm.vocabulary_size, "max_logit": float(cm.logit_range()),
            "bits": cm.working_precision(), "readouts": len(family) * len(range(*pyramid.ranges[-1]))}


def _upper(ball) -> Fraction:
    return _arb_to_fraction(ball.upper())


def _lower(ball) -> Fraction:
    return _arb_to_fraction(ball.lower())


def _arb_to_fraction(exact_point) -> Fraction:
    """An exact arb point (zero radius, e.g. ball.upper()) as a Fraction (mantissa · 2^exponent)."""
    man, exp = exact_point.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2 ** (-exp))


def _eta_for(eps, share, lip, G, n, p, table_max) -> Fraction:
    """η with M·(n(G−1)η)^{1/p} ≤ ε − L_f δ/2 − … : the bad sets get what the partition leaves (a power of 2)."""
    if G == 1:
        return Fraction(1, 2)
    partition = lip / (2 * G)
    M = 2 * table_max + partition
    room = eps - partition
    target = (float(room) / float(M)) ** float(p) / (n * (G - 1)) / 2
    k = math.floor(math.log2(target)) - 1
    return min(Fraction(1, 2 ** (-k)) if k < 0 else Fraction(2**k), Fraction(1, 2 * G))
