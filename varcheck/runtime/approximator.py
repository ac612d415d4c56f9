"""``build_var_approximator``: build, run and certify a VAR approximator (docs/theory.md §6) as a dense VarTransformer.

* word-to-image (§6.2, T2): the dense float64 network of varcheck.exact.word_to_image, certified term by term;
  its 2^d-cell fast path (``strategy="lookup"``) is the same function evaluated sparsely.
* image-to-image (§6.1, T1): ``construction="average"`` — the uniform-attention construction of
  varcheck.exact.cell_code, a dense float64 network certified in float64 (finding F11); ``"tight"`` and
  ``"paper"`` — the contextual mappings of A4, whose read-outs need hundreds to millions of bits: built over Q and
  run in ball arithmetic (varcheck.exact.image_to_image); their float64 network is refused with the bits it needs.

Every built network is checked by Monte-Carlo against the target in the same run (each sampled entry error
below the certified sup bound of its region, and the sampled d̄_p printed beside the certified one).
"""

from __future__ import annotations

import math

from ..errors import VarcheckError, require_choice, require_exponent, require_int, require_positive_rational
from ..theory.pyramid import Pyramid
from .dense_approximator import MONTE_CARLO_SAMPLES, VarApproximator, evaluate
from .word_to_image import MAX_TABLE_ENTRIES, build_word_to_image

__all__ = ["VarApproximator", "build_var_approximator", "MAX_TABLE_ENTRIES", "MONTE_CARLO_SAMPLES", "evaluate"]

SETTINGS = ("image_to_image", "word_to_image")


# ============================================================================ the builder


def build_var_approximator(target, pyramid, eps, *, p=2, setting="image_to_image", mask="block_causal",
                           interpolation=None, attention="contextual", construction=None, positional=True, G=None,
                           monte_carlo: int = MONTE_CARLO_SAMPLES):
    """Build a VAR approximator of ``target`` on ``pyramid`` with per-entry error ε in d̄_p (docs/theory.md §0).

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
    eps = require_positive_rational("eps", eps)
    if require_exponent("p", p) == math.inf:
        p = math.inf
    monte_carlo = require_int("monte_carlo", monte_carlo, minimum=0, maximum=2**16)
    if setting == "image_to_image":
        from .image_to_image import build_image_to_image_approximator

        return build_image_to_image_approximator(
            target,
            pyramid,
            eps,
            p=p,
            mask=mask,
            construction=construction or "average",
            G=G,
            interpolation=interpolation,
            monte_carlo=monte_carlo,
        )
    require_choice("construction", construction, (None, "average"))
    require_choice("interpolation", interpolation, (None, "var", "nearest", "bicubic"))
    if len(target.input_shape) != 2 or target.input_shape[0] != 1:
        raise VarcheckError(f"a word-to-image target takes input shape (1, d), got {target.input_shape}.")
    if target.output_shape[0] != pyramid.length:
        raise VarcheckError(
            f"the target outputs {target.output_shape[0]} tokens but the pyramid has L = {pyramid.length}; they must "
            "match."
        )
    if pyramid.scales[0] != (1, 1):
        raise VarcheckError(f"word-to-image needs a pyramid starting at a 1×1 scale, got {pyramid.scales[0]}.")
    if G is not None:
        raise VarcheckError("G is chosen from eps for word-to-image; pass G only with setting='image_to_image'.")
    check_lipschitz(target, pairs=64, seed=0)
    return build_word_to_image(target, pyramid, eps, p, attention, positional, mask, interpolation or "var",
                               monte_carlo)
