"""``build_var_approximator``: build, run and certify a VAR approximator (THEORY.md §6) as a dense VarTransformer.

* word-to-image (§6.2, T2): the dense float64 network of varcheck.exact.word_to_image, certified term by term;
  its 2^d-cell fast path (``strategy="lookup"``) is the same function evaluated sparsely.
* image-to-image (§6.1, T1): ``construction="average"`` — the uniform-attention construction of
  varcheck.exact.context_code, a dense float64 network certified in float64 (finding F10); ``"tight"`` and
  ``"paper"`` — the contextual mappings of A4, whose read-outs need hundreds to millions of bits: built over Q and
  run in ball arithmetic (varcheck.exact.image_to_image); their float64 network is refused with the bits it needs.

Every built network is checked by Monte-Carlo against the target in the same run (each sampled entry error
below the certified sup bound of its region, and the sampled d̄_p printed beside the certified one).
"""

from __future__ import annotations

import math
from fractions import Fraction

import torch

from ..errors import VarcheckError, power_text, require_choice, require_int
from ..exact.cell_value_map import MarginError
from ..exact.floating_point import FORMATS
from ..exact.word_to_image import BUDGET_SHARES, MAX_DENSE_PARAMETERS, plan_word_to_image
from ..spec.pyramid import Pyramid
from .dense_approximator import MONTE_CARLO_SAMPLES, VarApproximator, evaluate, require_certified_and_sampled
from .word_to_image import word_to_image_network

__all__ = ["VarApproximator", "build_var_approximator", "MAX_TABLE_ENTRIES", "MONTE_CARLO_SAMPLES", "evaluate"]

#: The table holds G^d·L·channels float64 values; beyond this many (≈ 2 GB) the build is refused.
MAX_TABLE_ENTRIES = 2**28
SETTINGS = ("image_to_image", "word_to_image")
# ============================================================================ word-to-image


def _word_to_image(target, pyramid, eps, p, attention, positional, mask, interpolation, monte_carlo):
    d = target.input_shape[1]
    L, C = target.output_shape
    plan = plan_word_to_image(d=d, L=L, channels=C, lipschitz=target.lipschitz, eps=eps, p=p, scales=pyramid.scales,
                              interpolation=interpolation, positional=positional, attention=attention == "contextual",
                              mask=mask)
    if plan.G.bit_length() * d > 64 or plan.G**d * L * C > MAX_TABLE_ENTRIES:
        raise VarcheckError(
            "the word-to-image construction needs a table of G^d·L·channels entries with "
            f"{power_text('G^d', plan.G, d)}, "
            f"L = {L} and {C} channels, above {MAX_TABLE_ENTRIES}; raise eps or lower d "
            f"(G = ⌈L_f·(d/(d+p))^(1/p)/(2·ε·{BUDGET_SHARES[0]})⌉)."
        )
    cells = plan.G**d
    if plan.parameter_count() > MAX_DENSE_PARAMETERS:
        raise VarcheckError(f"the dense network would hold {plan.parameter_count()} parameters, above {MAX_DENSE_PARAMETERS}; "
                            f"raise eps (G = {plan.G}).")
    idx = torch.arange(cells)
    digits = torch.stack([(idx // plan.G**i) % plan.G for i in range(d)], dim=1)
    centres = ((2 * digits + 1).to(torch.float64) / (2 * plan.G)).reshape(cells, 1, d)  # (2g+1)/(2G) rounded once
    with torch.no_grad():
        table = target(centres)
        table_error = Fraction(float(target.rounding_bound(centres).max()))
    # the centres themselves are rounded: |c̃ − c| ≤ u·|c|, moving f by ≤ L_f·u
    table_error += Fraction(plan.lipschitz) * FORMATS["float64"].u
    if not positional:
        table = table.mean(dim=1, keepdim=True)  # the best position-independent column
    table_max = Fraction(float(table.abs().max()))
    plan.finalize(table_max, table_error)
    try:
        plan.check_representable()
        plan.rounding()
    except MarginError as exc:
        raise VarcheckError(f"float64 cannot resolve this construction: {exc}.") from None
    network = word_to_image_network(plan, table.contiguous())
    approx = VarApproximator(network, plan, "word_to_image", target.name, attention, table.contiguous())
    return require_certified_and_sampled(approx, eps, target, monte_carlo, certify=positional)


# ============================================================================ the builder


def build_var_approximator(target, pyramid, eps, *, p=2, setting="image_to_image", mask="block_causal",
                           interpolation=None, attention="contextual", construction=None, positional=True, G=None,
                           monte_carlo: int = MONTE_CARLO_SAMPLES):
    """Build a VAR approximator of ``target`` on ``pyramid`` with per-entry error ε in d̄_p (THEORY.md §0).

    Returns a :class:`VarApproximator` with ``.network`` (a dense :class:`VarTransformer`), ``.plan``,
    ``.constants``, ``.ledger`` and ``.certificate()`` — or, for image-to-image with ``construction`` "tight" or
    "paper", the exact/ball-runtime network (whose float64 network is refused: see its ``.float64_requirement``).
    ``positional=False`` drops the positional codes E (finding F4: the result cannot be accurate). ``monte_carlo``:
    inputs drawn to check the build against the target (0: none).
    """
    from .targets import Target, check_lipschitz

    require_choice("setting", setting, SETTINGS)
    require_choice("mask", mask, ("block_causal", None))
    require_choice("attention", attention, ("contextual", "identity"))
    if not isinstance(target, Target):
        raise VarcheckError(f"target must be a varcheck Target, got {type(target).__name__}.")
    if not isinstance(pyramid, Pyramid):
        raise VarcheckError(f"pyramid must be a varcheck.Pyramid, got {type(pyramid).__name__}.")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, Fraction)) or not eps > 0 or eps != eps or eps == math.inf:
        raise VarcheckError(f"eps must be a finite number > 0, got {eps!r}.")
    if p != math.inf and (isinstance(p, bool) or not isinstance(p, (int, float, Fraction)) or not p >= 1):
        raise VarcheckError(f"p must be a number ≥ 1 (or math.inf), got {p!r}.")
    monte_carlo = require_int("monte_carlo", monte_carlo, minimum=0, maximum=2**16)
    if setting == "image_to_image":
        from .image_to_image import build_image_to_image_approximator

        return build_image_to_image_approximator(target, pyramid, eps, p=p, mask=mask, construction=construction or "average",
                                                 G=G, interpolation=interpolation, monte_carlo=monte_carlo)
    require_choice("construction", construction, (None, "average"))
    require_choice("interpolation", interpolation, (None, "var", "nearest", "bicubic"))
    if len(target.input_shape) != 2 or target.input_shape[0] != 1:
        raise VarcheckError(f"a word-to-image target takes input shape (1, d), got {target.input_shape}.")
    if target.output_shape[0] != pyramid.length:
        raise VarcheckError(
            f"the target outputs {target.output_shape[0]} tokens but the pyramid has L = {pyramid.length}; they must match."
        )
    if pyramid.scales[0] != (1, 1):
        raise VarcheckError(f"word-to-image needs a pyramid starting at a 1×1 scale, got {pyramid.scales[0]}.")
    if G is not None:
        raise VarcheckError("G is chosen from eps for word-to-image; pass G only with setting='image_to_image'.")
    check_lipschitz(target, pairs=64, seed=0)
    return _word_to_image(target, pyramid, Fraction(eps), p, attention, positional, mask, interpolation or "var", monte_carlo)
