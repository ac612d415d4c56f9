"""Deprecated alias of the claims layer's machinery (importing it warns); it will be removed in the next release.

``varcheck.check.mutants`` is :mod:`varcheck.claims.mutation`, ``varcheck.check.properties`` is
:mod:`varcheck.claims.properties` and ``varcheck.check.strategies`` is :mod:`varcheck.claims.strategies`; the
evidence of each claim family lives beside its claims in ``varcheck.claims.<family>``.
"""

import sys
import warnings

from ..claims import mutation, properties, strategies

warnings.warn("varcheck.check is deprecated and will be removed in the next release: use varcheck.claims.mutation, "
              "varcheck.claims.properties and varcheck.claims.strategies.", DeprecationWarning, stacklevel=2)

mutants = mutation
sys.modules[f"{__name__}.mutants"] = mutation
sys.modules[f"{__name__}.properties"] = properties
sys.modules[f"{__name__}.strategies"] = strategies
