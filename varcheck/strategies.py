"""Hypothesis strategies for varcheck's objects (public API), for use in other researchers' tests.

    from hypothesis import given
    from varcheck import strategies as vst

    @given(vst.lipschitz_targets(), vst.grid_sizes(1, 16))
    def test_my_lemma(target, G): ...

* :func:`pyramids`, :func:`sides`, :func:`size_pairs` — token pyramids and interpolation sizes;
* :func:`token_maps`, :func:`unit_arrays` — float64 maps / arrays with entries in [0, 1];
* :func:`grid_sizes`, :func:`grid_points` — grids G and exact, cell-aware points of [0, 1]^shape;
* :func:`interpolation_configs` — (mode, align_corners) pairs valid for torch;
* :func:`tokenwise_separated_families` — (N, n, d) families satisfying the contextual-mapping hypotheses (A4);
* :func:`lipschitz_targets` — targets of :mod:`varcheck.targets` with certified constants (kinds in
  ``TARGET_KINDS``; ``EXTREMAL_KINDS`` attain the partition bound).
"""

from .claims.strategies import *  # noqa: F401,F403
from .claims.strategies import __all__  # noqa: F401
