"""The catalog of every claim family: the claim registry, the mutants, the findings, the constants instances, the
built networks and the figures that the report layer renders.

Each family is a sub-package of varcheck.claims whose ``__init__`` gathers, from the modules that hold them:

``CLAIMS``     the family's claims, in the order of the theory document;
``MUTANTS``    the mutants that attack them;
``FINDINGS``   the findings of §7 its claims carry (varcheck.theory.reporting.Finding);
``CONSTANTS``  constants instances: name → builder returning varcheck.theory.reporting.Constant objects;
``NETWORKS``   builders of the rows of docs/networks.md (varcheck.theory.reporting.NetworkRow).

After varcheck's families come the claims (and ``MUTANTS``) of every module named in ``VARCHECK_CLAIM_MODULES``.
"""

from __future__ import annotations

import re

from ..errors import VarcheckError
from ..theory.registry import Registry, extra_claim_modules, function_path, load_claim_module
from . import attention, composition, flowar, hofar, interpolation, partition, universality

__all__ = ["FAMILIES", "registry", "mutants", "findings", "constant_instances", "network_builders", "plots"]

#: The claim families, in the order of the theory document (registry order).
FAMILIES = (interpolation, attention, partition, universality, composition, flowar, hofar)

_REGISTRY: Registry | None = None
_MUTANTS: tuple | None = None


def registry() -> Registry:
    """The registry of every claim varcheck knows (built once, on first use)."""
    global _REGISTRY
    if _REGISTRY is None:
        reg = Registry()
        for family in FAMILIES:
            for claim in family.CLAIMS:
                reg.register(claim)
        for module_name in extra_claim_modules():
            for claim in load_claim_module(module_name).CLAIMS:
                reg.register(claim)
        reg.check_dependencies()
        _REGISTRY = reg
    return _REGISTRY


def _extension_mutant_modules() -> list:
    """The extra claim modules, then the modules outside varcheck holding their claims' evidence."""
    names = list(extra_claim_modules())
    for module_name in extra_claim_modules():
        for claim in load_claim_module(module_name).CLAIMS:
            for spec in claim.evidence:
                owner = function_path(spec.function).partition(":")[0]
                if owner != "varcheck" and not owner.startswith("varcheck."):
                    names.append(owner)
    return [load_mutant_module(name) for name in dict.fromkeys(names)]


def load_mutant_module(name: str):
    import importlib

    return importlib.import_module(name)


def mutants() -> tuple:
    """Every registered mutant: the families', then the extension modules'; ids unique, claims registered."""
    global _MUTANTS
    if _MUTANTS is None:
        found, seen = [], set()
        known = set(registry().ids())
        sources = [family.MUTANTS for family in FAMILIES]
        sources += [getattr(module, "MUTANTS", ()) for module in _extension_mutant_modules()]
        for source in sources:
            for mutant in source:
                if mutant.id in seen:
                    raise VarcheckError(f"mutant id {mutant.id!r} is registered twice.")
                for claim_id in mutant.claims:
                    if claim_id not in known:
                        raise VarcheckError(f"mutant {mutant.id} names unknown claim {claim_id!r}.")
                seen.add(mutant.id)
                found.append(mutant)
        _MUTANTS = tuple(found)
    return _MUTANTS


def _finding_number(finding) -> int:
    return int(re.sub(r"\D", "", finding.id) or 0)


def findings() -> tuple:
    """The findings of every family, ordered by number (F1, F2, …)."""
    return tuple(sorted((f for family in FAMILIES for f in family.FINDINGS), key=_finding_number))


def constant_instances() -> dict:
    """Instance name → builder of its constants, family after family."""
    out = {}
    for family in FAMILIES:
        for name, builder in family.CONSTANTS.items():
            if name in out:
                raise VarcheckError(f"constants instance {name!r} is declared twice.")
            out[name] = builder
    return out


def network_builders() -> tuple:
    """The builders of the built-network rows (docs/networks.md), family after family."""
    return tuple(builder for family in FAMILIES for builder in family.NETWORKS)


def plots() -> tuple:
    """The figures the families declare for the HTML report, family after family."""
    return tuple(plot for family in FAMILIES for plot in family.PLOTS)
