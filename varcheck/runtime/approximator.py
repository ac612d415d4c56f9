"""``build_var_approximator``: build, run and certify a VAR approximator (THEORY.md §6).

Word-to-image (§6.2, T2) is built in float64 with a certified per-entry L_p ledger; image-to-image (§6.1,
T1) with the tight construction over Q, run in ball arithmetic (varcheck.exact.image_to_image).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import torch

from ..errors import VarcheckError, require_choice
from ..exact.word_to_image import BUDGET_SHARES, WordToImagePlan, choose_eta, network_rounding_bound, plan_word_to_image
from ..spec.pyramid import Pyramid
from .attention import SelfAttention
from .word_to_image import WordToImageModule

__all__ = ["VarApproximator", "build_var_approximator", "MAX_TABLE_ENTRIES"]

#: The lookup table holds G^d·L·channels float64 values; beyond this many (≈ 2 GB) the build is refused.
MAX_TABLE_ENTRIES = 2**28
SETTINGS = ("image_to_image", "word_to_image")


@dataclass
class VarApproximator:
    """A built approximator: the module, its constants, its ledger and certificate."""

    module: torch.nn.Module
    plan: WordToImagePlan
    constants: dict
    ledger: dict
    setting: str
    target_name: str
    attention: str
    extra: dict = field(default_factory=dict)

    def certificate(self) -> dict:
        """Certified bounds in ball arithmetic: per-entry d̄_p (``lp_bound``), unnormalised d_p, and the sup on cell interiors."""
        from flint import arb, fmpq

        def ball(x):
            q = Fraction(x)
            return arb(fmpq(q.numerator, q.denominator))

        plan = self.plan
        p = plan.p
        mu = ball(plan.bad_set_measure)
        M = ball((2**plan.d + 1)) * ball(plan.table_max) + ball(plan.partition_term)
        bad = M * (mu ** (ball(1) / ball(Fraction(p))) if p != math.inf else arb(1))
        interior = ball(plan.partition_term) + ball(plan.table_error) + ball(self.ledger["rounding"])
        lp = interior + bad
        m = plan.L * plan.channels
        lp_un = lp * (arb(m) ** (ball(1) / ball(Fraction(p))) if p != math.inf else arb(1))
        return {
            "lp_bound": float(lp.upper()), "lp_bound_unnormalised": float(lp_un.upper()),
            "sup_interior_bound": float(interior.upper()), "bad_set_sup_bound": float((M + ball(self.ledger["rounding"])).upper()),
            "p": str(p), "eps": str(plan.eps), "certified": bool(lp.upper() <= ball(plan.eps)),
        }


def _word_to_image(target, pyramid, eps, p, attention, positional=True):
    d = target.input_shape[1]
    L, C = target.output_shape
    plan = plan_word_to_image(d=d, L=L, channels=C, lipschitz=target.lipschitz, eps=eps, p=p)
    cells = plan.G**d
    if cells * L * C > MAX_TABLE_ENTRIES:
        raise VarcheckError(
            f"the word-to-image construction needs a table of G^d·L·channels = {plan.G}^{d}·{L}·{C} = {cells * L * C} "
            f"entries, above {MAX_TABLE_ENTRIES}; raise eps or lower d (G = ⌈L_f/(2·ε·{BUDGET_SHARES[0]})⌉)."
        )
    digits = np.array(np.unravel_index(np.arange(cells), (plan.G,) * d, order="F")).T
    centres = torch.from_numpy((digits + 0.5) / plan.G).reshape(cells, 1, d)  # exact: (2g+1)/(2G) rounded once
    with torch.no_grad():
        table = target(centres)
        table_error = float(target.rounding_bound(centres).max())
    # the centres themselves are rounded: |c̃ − c| ≤ u·|c|, moving f by ≤ L_f·u
    plan.table_error = table_error + float(plan.lipschitz) * 2.0**-53
    plan.table_max = float(table.abs().max())
    plan.eta = choose_eta(plan)
    rounding = network_rounding_bound(plan.G, plan.eta, d, L, plan.table_max)
    if not positional:
        table = table.mean(dim=1, keepdim=True).expand(cells, L, C)  # the best position-independent column
    sa = None
    if attention == "contextual":
        sa = _word_attention(plan)
    module = WordToImageModule(d=d, L=L, G=plan.G, eta=plan.eta, table=table.contiguous(), positional=positional, attention=sa)
    ledger = plan.ledger(rounding)
    constants = {"G": plan.G, "delta": str(plan.delta), "eta": str(plan.eta), "lipschitz": str(plan.lipschitz),
                 "table_max": plan.table_max, "M": plan.M, "widths": plan.widths(), "parameter_count": plan.parameter_count(),
                 "attention_leak": 0.0}
    if sa is not None:
        constants.update({"attention_c": str(sa.c_exact), "attention_M": sa.M_exact})
    return module, plan, constants, ledger


def _word_attention(plan):
    """The contextual SA for word tokens: integer projection y = M + Σ k_i G^i + t G^d over the stream
    (k_1..k_d, t, 1, attn); c = q/M with q the least integer above 2 ln L + 3; W_O writes into the attn channel only.

    FF₂ reads only k and t, and W_O's zero columns leave them bit-identical (x + 0.0 = x): the attention leak
    of this construction is exactly 0, whatever the softmax computes (finding F9)."""
    d, G, L = plan.d, plan.G, plan.L
    M = L * G**d
    q = math.floor(2 * math.log(L) + 3) + 1
    v = [float(G**i) for i in range(d)] + [float(G**d), float(M), 0.0]
    c = Fraction(q, M)
    w_q = torch.tensor([[float(c) * t] for t in v], dtype=torch.float64)
    w_k = torch.tensor([[t] for t in v], dtype=torch.float64)
    w_o = torch.zeros(1, d + 3, dtype=torch.float64)
    w_o[0, -1] = 1.0 / (4 * (2 * M))  # ε_tok/(4Y) with ε_tok = 1 (integer tokens), Y < 2M
    sa = SelfAttention(w_q, w_k, w_k, w_o)
    sa.c_exact, sa.M_exact = c, M
    return sa


def _image_to_image(target, pyramid, eps, p, mask, construction, G, interpolation):
    """T1 in the exact/ball runtime (the paper construction only where its precision is within reach)."""
    from ..exact.image_to_image import build_image_to_image

    if p == math.inf:
        raise VarcheckError("p must be finite for the bad-set accounting (P4): with p = ∞, μ(B)^{1/p} = 1.")
    return build_image_to_image(target, pyramid, eps, p=p, masked=mask == "block_causal", G=G, construction=construction,
                                interpolation=interpolation)


def build_var_approximator(target, pyramid, eps, *, p=2, setting="image_to_image", mask="block_causal",
                           interpolation="paper", attention="contextual", construction="paper", positional=True, G=None):
    """Build a VAR approximator of ``target`` on ``pyramid`` with per-entry error ε in d̄_p (THEORY.md §0).

    Returns a :class:`VarApproximator` with ``.module`` (torch), ``.constants``, ``.ledger`` and
    ``.certificate()``. ``positional=False`` drops the positional codes E (finding F4: the result cannot be
    accurate; see ``ua.no-positional-codes``).
    """
    from ..check.partition import check_lipschitz
    from .targets import Target

    require_choice("setting", setting, SETTINGS)
    require_choice("mask", mask, ("block_causal", None))
    require_choice("interpolation", interpolation, ("paper", "bicubic", "nearest", "bilinear"))
    require_choice("attention", attention, ("contextual", "identity"))
    require_choice("construction", construction, ("paper", "tight"))
    if not isinstance(target, Target):
        raise VarcheckError(f"target must be a varcheck Target, got {type(target).__name__}.")
    if not isinstance(pyramid, Pyramid):
        raise VarcheckError(f"pyramid must be a varcheck.Pyramid, got {type(pyramid).__name__}.")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, Fraction)) or not eps > 0 or eps != eps:
        raise VarcheckError(f"eps must be a number > 0, got {eps!r}.")
    if p != math.inf and (isinstance(p, bool) or not isinstance(p, (int, float, Fraction)) or not p >= 1):
        raise VarcheckError(f"p must be a number ≥ 1 (or math.inf), got {p!r}.")
    if setting == "image_to_image":
        return _image_to_image(target, pyramid, eps, p, mask, construction, G, interpolation)
    if len(target.input_shape) != 2 or target.input_shape[0] != 1:
        raise VarcheckError(f"a word-to-image target takes input shape (1, d), got {target.input_shape}.")
    if target.output_shape[0] != pyramid.length:
        raise VarcheckError(
            f"the target outputs {target.output_shape[0]} tokens but the pyramid has L = {pyramid.length}; they must match."
        )
    if pyramid.scales[0] != (1, 1):
        raise VarcheckError(f"word-to-image needs a pyramid starting at a 1×1 scale, got {pyramid.scales[0]}.")
    check_lipschitz(target, pairs=64, seed=0)
    module, plan, constants, ledger = _word_to_image(target, pyramid, eps, p, attention, positional)
    approx = VarApproximator(module, plan, constants, ledger, setting, target.name, attention)
    if positional and not approx.certificate()["certified"]:
        # the float64 rounding term grows like 1/η while the bad-set budget forces η down like ε^p: below some ε the
        # float64 network cannot be certified (finding F6 for the feed-forward layers)
        raise VarcheckError(
            f"float64 cannot certify this instance: the ledger sums to {ledger['total']:.4g} > eps = {float(eps):.4g} "
            f"(rounding {ledger['rounding']:.3g} with ramp η = {plan.eta} forced by the bad-set budget, G = {plan.G}); "
            "raise eps (the ramp and the float64 rounding cannot both fit the budget below it)."
        )
    return approx
