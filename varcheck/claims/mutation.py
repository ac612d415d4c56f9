"""Applying and running mutants (declared with varcheck.theory.mutants.Mutant and Check): the quality suite.

A mutant's ``apply(patcher)`` patches constructions through :class:`Patcher`, and the patch is undone exactly,
whatever the import order:

* before a mutant is applied every varcheck module is imported, so that no module binds a patched function for the
  first time while the mutant is in place;
* patching a module's function (or class) also patches every module-level binding of the same object in the loaded
  varcheck modules (``from x import f`` binds ``f`` a second time), and undoing restores each of them;
* after the undo, a module imported while the mutant was applied (one the walk could not import first) has any
  binding of what the mutant installed set back to the original;
* every ``functools`` cache of a loaded varcheck module is cleared before and after the mutant.

The registry of mutants is every claim family's ``MUTANTS`` (varcheck.claims.catalog), then the ``MUTANTS`` of
every extra claim module (``VARCHECK_CLAIM_MODULES``). ``varcheck verify --profile full`` runs the mutants of the
verified claims after the claims and reports the kill rate (which must be 100%); ``tests/quality`` runs each one.

Adding a mutant (a new claim family, or a follow-up author's lemma)::

    def _apply_my_mutant(p: Patcher):
        from varcheck.exact import my_construction as mod
        original = mod.build
        p.setattr(mod, "build", lambda *a, **k: original(*a, **k).with_temperature_halved())

    MUTANTS = (Mutant("myfamily.temperature-halved", claims=("myfamily.my-lemma",),
                      description="the temperature halved", apply=_apply_my_mutant,
                      checks=(Check(certified_instance),)),)
"""

from __future__ import annotations

import importlib
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ..errors import VarcheckError
from ..theory.mutants import FAILING, Check, Mutant
from ..theory.registry import Context, resolve
from . import catalog
from .runner import call_evidence, describe_exception, run_claim

__all__ = [
    "FAILING",
    "Patcher",
    "Check",
    "Mutant",
    "CheckResult",
    "MutantResult",
    "applied",
    "registered_mutants",
    "get_mutant",
    "mutants_for",
    "run_mutant",
    "run_mutants",
    "summarize_mutants",
    "families_without_mutants",
    "clear_caches",
    "import_every_module",
]

#: Packages under varcheck that are not imported before a mutant: aliases kept for one release, which warn.
DEPRECATED_PACKAGES = ("varcheck.spec", "varcheck.check")


def _deprecated(name: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in DEPRECATED_PACKAGES)


def _varcheck_modules() -> list:
    return [m for name, m in list(sys.modules.items())
            if isinstance(m, ModuleType) and (name == "varcheck" or name.startswith(
                "varcheck.")) and not _deprecated(name)]


def import_every_module() -> None:
    """Import every module of the varcheck package (those whose optional dependencies are missing are skipped)."""
    root = Path(__file__).resolve().parents[1]  # the varcheck package directory
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if _deprecated(name) or name.endswith("__main__") or name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an optional dependency (dask, matplotlib, onnx) is not installed
            if (exc.name or "").partition(".")[0] == "varcheck":
                raise


def _propagates(value) -> bool:
    """Whether other modules' bindings of ``value`` follow a patch of it: functions and classes defined in varcheck
    (data, builtins and other libraries' objects are shared too widely to be told apart by identity)."""
    return (callable(value) and not isinstance(value, ModuleType)
            and str(getattr(value, "__module__", "")).partition(".")[0] == "varcheck")


class Patcher:
    """Set attributes for the duration of a mutant and undo every change exactly, last first."""

    def __init__(self):
        self._undo: list = []  # (target, name, had its own attribute, old value)
        self._installed: dict = {}  # id(installed function or class) -> (installed value, original value)
        self._loaded = {id(m) for m in _varcheck_modules()}  # modules loaded before the mutant

    def _set(self, target, name: str, value) -> None:
        own = vars(target) if hasattr(target, "__dict__") else {}
        self._undo.append((target, name, name in own, own.get(name, getattr(target, name))))
        setattr(target, name, value)

    def setattr(self, target, name: str, value) -> None:
        """``setattr(target, name, value)``, remembering the old value; ``target`` must already have ``name``.

        On a module, every other module-level binding of the same varcheck function or class in the loaded varcheck
        modules is patched as well (and restored with it)."""
        if not hasattr(target, name):
            raise VarcheckError(f"cannot patch {target!r}: it has no attribute {name!r}.")
        original = getattr(target, name)
        self._set(target, name, value)
        if not (isinstance(target, ModuleType) and _propagates(original)):
            return
        if callable(value) and not isinstance(value, ModuleType):
            self._installed[id(value)] = (value, original)
        for module in _varcheck_modules():
            if module is not target:
                for other, bound in list(vars(module).items()):
                    if bound is original:
                        self._set(module, other, value)

    def undo(self) -> None:
        while self._undo:
            target, name, own, value = self._undo.pop()
            if own:
                setattr(target, name, value)
            else:
                delattr(target, name)
        for module in _varcheck_modules():  # modules imported while the mutant was applied bound what it installed
            if id(module) in self._loaded:
                continue
            for name, bound in list(vars(module).items()):
                entry = self._installed.get(id(bound))
                if entry is not None and entry[0] is bound:
                    setattr(module, name, entry[1])
        self._installed.clear()


def clear_caches() -> None:
    """Clear every ``functools.lru_cache``/``cache`` of a loaded ``varcheck`` module."""
    for module in _varcheck_modules():
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == module.__name__:
                clear()


@contextmanager
def applied(mutant: Mutant):
    """Apply a mutant for the duration of a ``with`` block; undo it exactly (and clear caches) afterwards."""
    import_every_module()
    patcher = Patcher()
    clear_caches()
    try:
        mutant.apply(patcher)
        yield mutant
    finally:
        patcher.undo()
        clear_caches()


@dataclass
class CheckResult:
    """What one check of a mutant returned, and whether it caught the mutant."""

    check: Check
    verdict: str
    caught: bool
    detail: str
    seconds: float = 0.0

    def to_dict(self) -> dict:
        c = self.check
        return {
            "target": c.target,
            "profile": c.profile,
            "seed": c.seed,
            "caught_when": c.caught_when,
            "verdict": self.verdict,
            "caught": self.caught,
            "detail": self.detail,
            "seconds": round(self.seconds, 4),
        }


@dataclass
class MutantResult:
    """A mutant's check results; ``killed`` when every check caught it."""

    mutant: Mutant
    checks: list
    killed: bool
    seconds: float = 0.0

    def to_dict(self) -> dict:
        m = self.mutant
        return {
            "id": m.id,
            "family": m.family,
            "claims": list(m.claims),
            "description": m.description,
            "killed": self.killed,
            "seconds": round(self.seconds, 4),
            "checks": [c.to_dict() for c in self.checks],
        }

    def explain(self) -> str:
        """One line per check: what ran, its verdict, whether it caught the mutant."""
        lines = [f"mutant {self.mutant.id} ({self.mutant.description}): {'killed' if self.killed else 'SURVIVED'}"]
        for c in self.checks:
            lines.append(f"  {c.check.target} [{c.check.profile}, seed {c.check.seed}] -> {c.verdict}, "
                         f"{'caught' if c.caught else 'not caught'} ({c.check.caught_when}): {c.detail}")
        return "\n".join(lines)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _run_check(check: Check) -> CheckResult:
    start = time.perf_counter()
    ctx = Context(check.profile, check.seed)
    try:
        if check.claim is not None:
            result = run_claim(catalog.registry().get(check.claim), ctx)
            caught = result.outcome != "as_expected"
            verdicts = ",".join(e.verdict for e in result.evidence)
            return CheckResult(check, result.outcome, caught, f"evidence verdicts {verdicts}",
                               time.perf_counter() - start)
        result = call_evidence(check.evidence, ctx, check.target)
        if check.predicate is not None:
            caught = bool(resolve(check.predicate, "check predicate")(result))
        else:
            caught = result.verdict in check.caught_if
        return CheckResult(check, result.verdict, caught, _short(result.detail), time.perf_counter() - start)
    except Exception as exc:  # a crash is reported, and catches the mutant only if the check says so
        return CheckResult(check, "error", "error" in check.caught_if, _short(describe_exception(exc)),
                           time.perf_counter() - start)


def run_mutant(mutant: Mutant | str) -> MutantResult:
    """Apply a mutant, run its checks, undo it; killed when every check caught it."""
    mutant = get_mutant(mutant) if isinstance(mutant, str) else mutant
    start = time.perf_counter()
    try:
        with applied(mutant):
            results = [_run_check(check) for check in mutant.checks]
    except Exception as exc:  # the patch itself failed (the construction it targets moved): it survives, loudly
        detail = _short(f"the mutant could not be applied: {type(exc).__name__}: {exc}")
        results = [CheckResult(check, "error", False, detail) for check in mutant.checks]
    return MutantResult(mutant, results, all(r.caught for r in results), time.perf_counter() - start)


def run_mutants(mutants=None, progress=None) -> list:
    """Run the given mutants (default: every registered one); ``progress(event, index, total, item)``."""
    mutants = registered_mutants() if mutants is None else tuple(mutants)
    out = []
    for i, mutant in enumerate(mutants, 1):
        if progress:
            progress("start", i, len(mutants), mutant)
        result = run_mutant(mutant)
        out.append(result)
        if progress:
            progress("done", i, len(mutants), result)
    return out


def summarize_mutants(results: list, claim_ids=None) -> dict:
    """The ``"mutants"`` section of a report: totals, kill rate, per-mutant results, uncovered families."""
    total = len(results)
    killed = sum(r.killed for r in results)
    return {
        "total": total,
        "killed": killed,
        "survived": total - killed,
        "kill_rate": (killed / total) if total else 1.0,
        "results": [r.to_dict() for r in results],
        "families_without_mutants": families_without_mutants(claim_ids),
    }


def registered_mutants() -> tuple:
    """Every registered mutant (varcheck.claims.catalog.mutants): ids unique, each naming registered claims."""
    return catalog.mutants()


def get_mutant(mutant_id: str) -> Mutant:
    """The registered mutant with this id (a one-line error listing the known ids otherwise)."""
    for mutant in registered_mutants():
        if mutant.id == mutant_id:
            return mutant
    raise VarcheckError(f"unknown mutant id {mutant_id!r}; known: {', '.join(m.id for m in registered_mutants())}.")


def mutants_for(claim_ids) -> tuple:
    """The registered mutants guarding at least one of ``claim_ids``."""
    wanted = set(claim_ids)
    return tuple(m for m in registered_mutants() if wanted & set(m.claims))


def families_without_mutants(claim_ids=None) -> list:
    """Claim families (of ``claim_ids``, default every registered claim) that no mutant targets."""
    ids = catalog.registry().ids() if claim_ids is None else list(claim_ids)
    covered = {m.family for m in registered_mutants()}
    return sorted({i.split(".")[0] for i in ids} - covered)
