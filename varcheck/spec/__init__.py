"""Deprecated alias of :mod:`varcheck.theory` (importing it warns); it will be removed in the next release.

``varcheck.spec.<module>`` is ``varcheck.theory.<module>`` for registry, outcomes, pyramid, model_class, partition,
cubic_kernel, boltzmann, composition and hofar; the registry of every claim is now
``varcheck.claims.catalog.registry`` (also ``varcheck.registry``) and the runner ``varcheck.claims.runner``, which
``varcheck.spec.registry.registry`` and ``varcheck.spec.outcomes.run_claim``/``run_claims`` still reach.
"""

import sys
import warnings
from types import ModuleType

from ..claims import catalog, runner
from ..theory import boltzmann, composition, cubic_kernel, hofar, model_class, outcomes, partition, pyramid, registry

warnings.warn("varcheck.spec is deprecated and will be removed in the next release: use varcheck.theory, "
              "varcheck.claims.catalog.registry and varcheck.claims.runner.", DeprecationWarning, stacklevel=2)


def _alias(module: ModuleType, **extra) -> ModuleType:
    """A module ``varcheck.spec.<name>`` holding ``module``'s names (and ``extra``), registered in sys.modules."""
    name = f"{__name__}.{module.__name__.rpartition('.')[2]}"
    alias = ModuleType(name, module.__doc__)
    alias.__dict__.update({k: v for k, v in vars(module).items() if not k.startswith("__")}, **extra)
    sys.modules[name] = alias
    return alias


boltzmann = _alias(boltzmann)
composition = _alias(composition)
cubic_kernel = _alias(cubic_kernel)
hofar = _alias(hofar)
model_class = _alias(model_class)
partition = _alias(partition)
pyramid = _alias(pyramid)
registry = _alias(registry, registry=catalog.registry)
outcomes = _alias(outcomes, run_claim=runner.run_claim, run_claims=runner.run_claims)
