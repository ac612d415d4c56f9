"""Lipschitz targets with certified constants (public API; docs/theory.md §0 and §4).

Each factory takes a ``seed`` keyword (word-to-image factories also ``pyramid`` and ``d``) and returns a
:class:`Target` with ``.lipschitz`` (an exact rational upper bound, proved from the construction),
``.norms`` (α, β), ``.input_shape``, ``.output_shape`` (per example) and ``.name`` (rebuild it with
:func:`target_from_name`). Calling a target on a float64 tensor of shape (B, *input_shape) returns
(B, *output_shape); ``.exact(x)`` / ``.ball(x)`` evaluate one example over Q / in ball arithmetic.

    from varcheck import targets
    f = targets.blur(seed=0, side=4)
    targets.check_lipschitz(f)            # raises VarcheckError if a sampled ratio exceeds f.lipschitz
    fbar, err = targets.grid_approximation(f, G=8)
"""

from .runtime.targets import *  # noqa: F401,F403
from .runtime.targets import __all__ as _runtime_all

__all__ = list(_runtime_all)
