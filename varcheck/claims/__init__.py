"""The claims layer: every claim family of the theory with its evidence, mutants and report pieces, and the
machinery that runs them.

Each family is a sub-package (interpolation, attention, partition, universality, composition, flowar, hofar) whose
modules each hold, for the claims they check: the Claim declarations, their evidence functions (bound by
reference), the mutants that attack them, their constants, reproduction snippets and finding texts. Shared
machinery: :mod:`.properties` (Hypothesis properties as evidence), :mod:`.strategies`, :mod:`.runner` (executes
evidence), :mod:`.mutation` (applies and runs mutants), :mod:`.catalog` (the registry of every family).
"""

from ..errors import VarcheckError

__all__ = ["family_claims"]


def family_claims(modules, order) -> tuple:
    """The claims of a family's ``modules`` in the given id ``order``; every claim listed exactly once."""
    claims = {c.id: c for module in modules for c in module.CLAIMS}
    if sorted(claims) != sorted(order) or len(set(order)) != len(order):
        raise VarcheckError(f"family order {sorted(order)} does not list the modules' claims {sorted(claims)}.")
    return tuple(claims[i] for i in order)
