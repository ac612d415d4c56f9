"""The canonical instances of the main theorem (docs/theory.md §6): the T1, T2 and T3 targets and approximators that the
claims check, the reports tabulate, the benchmarks time and the sweeps extend.

Each builder is cached (a build takes seconds): call it again for the same object.

* **T2** (word-to-image, §6.2): ``smooth_field(seed, var256, d = 2, 2 channels)`` at ε = 1/100 per entry in d̄₂;
* **T1** (image-to-image, §6.1): a 2×2 input (n = 4, d = 1) up-sampled to the 4×4 scale of the pyramid (2, 4), a
  bicubic resize followed by a clip, at ε = 1/3 with G = 4 — as the A4-tight contextual mapping run in ball
  arithmetic (:func:`t1_ball`), as the paper construction on the largest instance it reaches (:func:`t1_paper`),
  and as the float64 network with uniform attention (:func:`t1_dense`, T1-f64);
* **T3** (FlowAR, §6.3): Ŷ, a word-to-image network on the flowar pyramid (d = 1, 2 channels) at ε = 1/50, and the
  FlowAR sampler with its AdaLN head on the 25- or 50-step grid (:func:`t3`).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from ..theory.pyramid import Pyramid

__all__ = ["T1_EPS", "T1_G", "T2_EPS", "T2_P", "T3_EPS", "t1_target", "t1_ball", "t1_paper", "t1_dense", "t2",
           "t3_y_hat", "t3"]

#: T2: ε per entry in d̄_2, and p.
T2_EPS = Fraction(1, 100)
T2_P = 2
#: T1: ε per entry in d̄_2, and the grid G (the ball-runtime and the float64 constructions alike).
T1_EPS = Fraction(1, 3)
T1_G = 4
#: T3-net: Ŷ certified to this ε per entry in d̄_2.
T3_EPS = Fraction(1, 50)


@lru_cache(maxsize=4)
def t2(seed: int = 0, attention: str = "identity", positional: bool = True) -> tuple:
    """(target, approximator) of T2 for ``smooth_field(seed=seed, var256, d=2, channels=2)``."""
    from . import targets as T
    from .approximator import build_var_approximator

    pyr = Pyramid.preset("var256")
    target = T.smooth_field(seed=seed, pyramid=pyr, d=2, channels=2)
    return target, build_var_approximator(target, pyr, T2_EPS, p=T2_P, setting="word_to_image",
                                          attention=attention, positional=positional, monte_carlo=0)


def t1_target():
    """T1's target: a bicubic 2×2 → 4×4 resize, then a clip (rational, Lipschitz)."""
    from . import targets as T

    return T.compose([T.resize(seed=0, mode="bicubic", src=(2, 2), dst=(4, 4)), T.clip_map(seed=0, shape=(4, 4, 1))])


@lru_cache(maxsize=2)
def t1_ball(masked: bool):
    """T1 with the A4-tight contextual mapping (with or without the block-causal mask), run in ball arithmetic."""
    from .approximator import build_var_approximator

    return build_var_approximator(t1_target(), Pyramid([2, 4]), T1_EPS, p=2, setting="image_to_image",
                                  mask="block_causal" if masked else None, construction="tight", G=T1_G)


@lru_cache(maxsize=1)
def t1_paper():
    """The paper construction on the largest T1 instance it reaches: a 1×1 input, G = 2, pyramid (1, 2), ε = 1/2."""
    from . import targets as T
    from .approximator import build_var_approximator

    target = T.compose([T.resize(seed=0, mode="bicubic", src=(1, 1), dst=(2, 2)), T.clip_map(seed=0, shape=(2, 2, 1))])
    return build_var_approximator(target, Pyramid([1, 2]), Fraction(1, 2), p=2, setting="image_to_image",
                                  construction="paper", G=2)


@lru_cache(maxsize=2)
def t1_dense(masked: bool):
    """T1-f64: T1 as the dense float64 network with one uniform attention layer (with or without the mask)."""
    from .approximator import build_var_approximator

    return build_var_approximator(t1_target(), Pyramid([2, 4]), T1_EPS, p=2, setting="image_to_image",
                                  mask="block_causal" if masked else None, construction="average", G=T1_G,
                                  monte_carlo=0)


@lru_cache(maxsize=1)
def t3_y_hat() -> tuple:
    """(target, Ŷ) of T3-net: ``smooth_field(seed=0, flowar, d=1, channels=2)`` and its word-to-image network."""
    from . import targets as T
    from .approximator import build_var_approximator

    target = T.smooth_field(seed=0, pyramid=Pyramid.preset("flowar"), d=1, channels=2)
    return target, build_var_approximator(target, Pyramid.preset("flowar"), T3_EPS, setting="word_to_image",
                                          attention="identity", monte_carlo=0)


@lru_cache(maxsize=2)
def t3(grid: str) -> tuple:
    """(target, FlowAR approximator) of T3-net on the ``"25"``- or ``"50"``-step grid, around :func:`t3_y_hat`."""
    from .flowar_network import build_flowar_approximator

    target, y_hat = t3_y_hat()
    return target, build_flowar_approximator(target, T3_EPS, grid=grid, y_hat=y_hat)
