"""Mutated constructions that the claims' evidence must catch: the quality suite (DESIGN.md, Hypothesis habit).

A **mutant** patches one construction the evidence builds on (the temperature halved, the grid one
coarser, a dropped interpolation tap, …) for as long as it is applied, and names the **checks** that
must then stop passing: an evidence function (or a claim, or a probe with the evidence signature) run
at a fixed profile and seed. A mutant is **killed** when every one of its checks catches it:

* an evidence check catches it when its verdict is one of ``caught_if`` (by default ``failed``,
  ``refuted`` or ``undecided``: the verdicts that make a claim expected to hold unexpected); or, when
  the check names a ``predicate`` ("module:function", ``predicate(result) -> bool``), when that is true;
* a claim check (``claim="id"``) catches it when the claim's outcome is no longer ``as_expected``.

An evidence that raises does not count as catching the mutant unless ``"error"`` is in ``caught_if``:
a check that only crashes on a bug is not a check that finds it.

Patches go through :class:`Patcher` (``setattr`` recorded and undone in reverse order, like pytest's
monkeypatch), and every ``functools`` cache of a loaded varcheck module is cleared before and after a
mutant, so mutated values never leak into later claims or tests. The registry is the ``MUTANTS`` tuples
of the modules in :data:`MUTANT_MODULES`, then of every module holding a registered claim's evidence
(so ``varcheck/check/<family>.py`` may define its own ``MUTANTS``), then of every extra claim module
(``VARCHECK_CLAIM_MODULES``) that defines ``MUTANTS``. ``varcheck verify --profile full`` runs the mutants of the verified claims after
the claims and reports the kill rate (which must be 100%); ``tests/quality`` runs each one.

Adding a mutant (a new claim family, or a follow-up author's lemma)::

    def _apply_my_mutant(p: Patcher):
        from varcheck.exact import my_construction as mod
        original = mod.build
        p.setattr(mod, "build", lambda *a, **k: original(*a, **k).with_temperature_halved())

    MUTANTS = (Mutant("myfamily.temperature-halved", claims=("myfamily.my-lemma",),
                      description="the temperature halved", apply=_apply_my_mutant,
                      checks=(Check("my_package.evidence:certified_instance"),)),)
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Callable

from ..errors import VarcheckError
from ..spec.registry import PROFILES, Context, EvidenceResult, extra_claim_modules, registry

__all__ = [
    "FAILING",
    "Patcher",
    "Check",
    "Mutant",
    "CheckResult",
    "MutantResult",
    "MUTANT_MODULES",
    "registered_mutants",
    "get_mutant",
    "mutants_for",
    "run_mutant",
    "run_mutants",
    "summarize_mutants",
    "families_without_mutants",
    "clear_caches",
]

#: Verdicts that make a claim expected to hold fail: the default ways a check catches a mutant.
FAILING = ("failed", "refuted", "undecided")


# =========================================================================== machinery


class Patcher:
    """Set attributes for the duration of a mutant and undo every change, last first."""

    def __init__(self):
        self._undo: list = []

    def setattr(self, target, name: str, value) -> None:
        """``setattr(target, name, value)``, remembering the old value; ``target`` must already have ``name``."""
        if not hasattr(target, name):
            raise VarcheckError(f"cannot patch {target!r}: it has no attribute {name!r}.")
        self._undo.append((target, name, getattr(target, name)))
        setattr(target, name, value)

    def undo(self) -> None:
        while self._undo:
            target, name, value = self._undo.pop()
            setattr(target, name, value)


def clear_caches() -> None:
    """Clear every ``functools.lru_cache``/``cache`` of a loaded ``varcheck`` module."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "varcheck" or module_name.startswith("varcheck.")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == module_name:
                clear()


@dataclass(frozen=True)
class Check:
    """What must catch a mutant: an evidence function (``"module:function"``) or a whole claim.

    Exactly one of ``evidence`` and ``claim`` is given. The evidence runs at ``profile`` and ``seed``
    (fixed, so that a kill rate is reproducible whatever seed ``varcheck verify`` was given).
    """

    evidence: str | None = None
    profile: str = "quick"
    seed: int = 0
    caught_if: tuple = FAILING
    predicate: str | None = None  # "module:function", predicate(EvidenceResult) -> bool: caught when true
    claim: str | None = None

    def __post_init__(self):
        if (self.evidence is None) == (self.claim is None):
            raise VarcheckError("a mutant check names exactly one of evidence= and claim=.")
        if self.evidence is not None and ":" not in self.evidence:
            raise VarcheckError(f"check evidence must be 'module:function', got {self.evidence!r}.")
        if self.predicate is not None and ":" not in self.predicate:
            raise VarcheckError(f"check predicate must be 'module:function', got {self.predicate!r}.")
        if self.profile not in PROFILES:
            raise VarcheckError(f"check profile must be one of {', '.join(PROFILES)}, got {self.profile!r}.")

    @property
    def target(self) -> str:
        return self.evidence if self.evidence is not None else f"claim {self.claim}"

    @property
    def caught_when(self) -> str:
        if self.claim is not None:
            return "outcome not as_expected"
        if self.predicate is not None:
            return f"{self.predicate.rpartition(':')[2]}(result)"
        return "verdict in " + "/".join(self.caught_if)


@dataclass(frozen=True)
class Mutant:
    """A patched construction (``apply(patcher)``) and the checks that must catch it."""

    id: str
    claims: tuple
    description: str
    apply: Callable
    checks: tuple
    family: str = field(default="")

    def __post_init__(self):
        if "." not in self.id:
            raise VarcheckError(f"mutant id must be 'family.name', got {self.id!r}.")
        if not self.claims or not self.checks:
            raise VarcheckError(f"mutant {self.id}: at least one claim and one check are required.")
        object.__setattr__(self, "family", self.id.split(".")[0])
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "checks", tuple(self.checks))

    @contextmanager
    def applied(self):
        """Apply the mutant for the duration of a ``with`` block; undo it (and clear caches) afterwards."""
        patcher = Patcher()
        clear_caches()
        try:
            self.apply(patcher)
            yield self
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


def _resolve(path: str) -> Callable:
    module_name, _, attr = path.partition(":")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise VarcheckError(f"{path!r} does not exist.") from None


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _run_check(check: Check) -> CheckResult:
    from ..spec.outcomes import run_claim

    start = time.perf_counter()
    ctx = Context(check.profile, check.seed)
    try:
        if check.claim is not None:
            result = run_claim(registry().get(check.claim), ctx)
            caught = result.outcome != "as_expected"
            verdicts = ",".join(e.verdict for e in result.evidence)
            return CheckResult(check, result.outcome, caught, f"evidence verdicts {verdicts}",
                               time.perf_counter() - start)
        result = _resolve(check.evidence)(ctx)
        if not isinstance(result, EvidenceResult):
            raise TypeError(f"{check.evidence} returned {type(result).__name__}, not EvidenceResult")
        caught = bool(_resolve(check.predicate)(result)) if check.predicate else result.verdict in check.caught_if
        return CheckResult(check, result.verdict, caught, _short(result.detail), time.perf_counter() - start)
    except Exception as exc:  # a crash is reported, and catches the mutant only if the check says so
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        return CheckResult(check, "error", "error" in check.caught_if, _short(f"{type(exc).__name__}: {exc}{where}"),
                           time.perf_counter() - start)


def run_mutant(mutant: Mutant | str) -> MutantResult:
    """Apply a mutant, run its checks, undo it; killed when every check caught it."""
    mutant = get_mutant(mutant) if isinstance(mutant, str) else mutant
    start = time.perf_counter()
    try:
        with mutant.applied():
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


# =========================================================================== registry

#: Modules whose ``MUTANTS`` tuples form the registry, first (in order). The modules of the registered
#: claims' evidence and the extra claim modules (``VARCHECK_CLAIM_MODULES``) are searched after them.
MUTANT_MODULES = ("varcheck.check.mutants",)

_REGISTERED: tuple | None = None


def registered_mutants() -> tuple:
    """Every registered mutant, ids unique, each naming registered claims of its own family."""
    global _REGISTERED
    if _REGISTERED is None:
        found, seen = [], set()
        evidence_modules = [spec.function.partition(":")[0] for claim in registry() for spec in claim.evidence]
        modules = list(dict.fromkeys([*MUTANT_MODULES, *evidence_modules, *extra_claim_modules()]))
        known = set(registry().ids())
        for module_name in modules:
            for mutant in getattr(importlib.import_module(module_name), "MUTANTS", ()):
                if mutant.id in seen:
                    raise VarcheckError(f"mutant id {mutant.id!r} is registered twice.")
                for claim_id in mutant.claims:
                    if claim_id not in known:
                        raise VarcheckError(f"mutant {mutant.id} names unknown claim {claim_id!r}.")
                seen.add(mutant.id)
                found.append(mutant)
        _REGISTERED = tuple(found)
    return _REGISTERED


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
    ids = registry().ids() if claim_ids is None else list(claim_ids)
    covered = {m.family for m in registered_mutants()}
    return sorted({i.split(".")[0] for i in ids} - covered)


# =========================================================================== interpolation (I1–I9)


def _patch_taps(p: Patcher, mutate) -> None:
    """Replace ``interpolation_taps`` where the exact operators and the evidence look it up."""
    from functools import lru_cache

    from . import interpolation as evidence
    from ..exact import interpolation as exact

    original = exact.interpolation_taps.__wrapped__  # the uncached builder: the real cache is left untouched

    @lru_cache(maxsize=4096)
    def taps(h, hp, mode, align_corners=False, a=exact.TORCH_A):
        return mutate(original, original(h, hp, mode, align_corners, a), h, hp, mode, align_corners, a)

    for module in (exact, evidence):
        p.setattr(module, "interpolation_taps", taps)


def _drop_last_bicubic_tap(original, rows, h, hp, mode, ac, a):
    if mode != "bicubic":
        return rows
    return tuple(row[:-1] if len(row) == 4 else row for row in rows)


def _floor_nearest(original, rows, h, hp, mode, ac, a):
    from ..exact.interpolation import floor_nearest_index

    if mode != "nearest":
        return rows
    return tuple(((floor_nearest_index(i, h, hp), Fraction(1)),) for i in range(hp))


def _kernel_a_half(original, rows, h, hp, mode, ac, a):
    if mode != "bicubic":
        return rows
    return original(h, hp, mode, ac, Fraction(-1, 2))


def _align_corners_ignored(original, rows, h, hp, mode, ac, a):
    if mode != "bilinear" or not ac:
        return rows
    return original(h, hp, mode, False, a)


def _paper_form_smeared(original, rows, h, hp, mode, ac, a):
    from ..exact.interpolation import TORCH_A

    if mode != "paper":
        return rows
    return original(h, hp, "bilinear", False, TORCH_A)


def inf_norm_is_not_eleven_eighths(result: EvidenceResult) -> bool:
    """Predicate: the exact ∞-norm evidence no longer reports the maximum 11/8 (a = −3/4)."""
    return result.observed != "11/8"


_I = "varcheck.check.interpolation:"

INTERPOLATION_MUTANTS = (
    Mutant("interp.dropped-bicubic-tap", ("interp.partition-of-unity", "interp.torch-parity"),
           "the fourth Keys tap of every bicubic row dropped",
           lambda p: _patch_taps(p, _drop_last_bicubic_tap),
           (Check(_I + "exact_row_sums", caught_if=("refuted",)), Check(_I + "parity_exhaustive_1d", caught_if=("failed",)))),
    Mutant("interp.floor-nearest", ("interp.torch-parity",),
           "nearest copies ⌊i·h/h'⌋ instead of torch's float32 index",
           lambda p: _patch_taps(p, _floor_nearest),
           # the float32 index differs from the floor only from size 14 on: the full profile reaches it
           (Check(_I + "parity_exhaustive_1d", profile="full", caught_if=("failed",)),)),
    Mutant("interp.kernel-a-half", ("interp.torch-parity", "interp.inf-norm"),
           "bicubic built with a = −1/2 while torch uses a = −3/4",
           lambda p: _patch_taps(p, _kernel_a_half),
           (Check(_I + "parity_exhaustive_1d", caught_if=("failed",)),
            Check(_I + "exact_inf_norms", predicate="varcheck.check.mutants:inf_norm_is_not_eleven_eighths"))),
    Mutant("interp.align-corners-ignored", ("interp.torch-parity",),
           "bilinear with align_corners=True built as align_corners=False",
           lambda p: _patch_taps(p, _align_corners_ignored),
           (Check(_I + "parity_exhaustive_1d", caught_if=("failed",)),)),
    Mutant("interp.paper-form-smeared", ("interp.integer-offset-is-nearest",),
           "the §2.2 integer-offset form built from a non-interpolating (linear, off-grid) kernel",
           lambda p: _patch_taps(p, _paper_form_smeared),
           (Check(_I + "exact_paper_is_floor_nearest", caught_if=("refuted",)),)),
)


# =========================================================================== attention (A1–A6)


def _patch_builder(p: Patcher, mutate) -> None:
    """Wrap ``contextual_mapping`` where the exact layer and the attention evidence look it up."""
    from . import attention as evidence
    from ..exact import contextual_mapping as cm_module

    original = cm_module.contextual_mapping

    def build(*args, **kwargs):
        return mutate(original(*args, **kwargs))

    for module in (cm_module, evidence):
        p.setattr(module, "contextual_mapping", build)


def _tight_temperature_halved(p: Patcher) -> None:
    _patch_builder(p, lambda cm: replace(cm, c=cm.c / 2, _readouts={}) if cm.construction == "tight" else cm)


def _tight_temperature_times_eight(p: Patcher) -> None:
    _patch_builder(p, lambda cm: replace(cm, c=8 * cm.c, _readouts={}) if cm.construction == "tight" else cm)


def _tight_output_scale_doubled(p: Patcher) -> None:
    _patch_builder(p, lambda cm: replace(cm, s=2 * cm.s, _readouts={}) if cm.construction == "tight" else cm)


def _paper_temperature_halved(p: Patcher) -> None:
    from ..exact import contextual_mapping as cm_module

    original = cm_module._dyadic_at_least
    p.setattr(cm_module, "_dyadic_at_least", lambda ball: original(ball) / 2)


def _paper_output_scale_doubled(p: Patcher) -> None:
    from ..exact import contextual_mapping as cm_module

    real = cm_module.ContextualMapping

    def build(*args, **kwargs):
        obj = real(*args, **kwargs)
        if obj.construction == "paper" and obj.c != 1:  # the final object, not the c = 1 probe
            obj.s = 2 * obj.s
        return obj

    p.setattr(cm_module, "ContextualMapping", build)


#: A family and seed where the projection drawn without 0 in the point set separates the tokens but not from 0:
#: tokens (1, 0) and (1, 0.3) in both orders; at seed 2 the mutated search returns a v failing on V ∪ {0}.
ZERO_FAMILY = (((1.0, 0.0), (1.0, 0.3)), ((1.0, 0.3), (1.0, 0.0)))
ZERO_SEED = 2


def _zero_left_out_of_projection(p: Patcher) -> None:
    import numpy as np

    from . import attention as evidence
    from ..exact import contextual_mapping as cm_module
    from ..exact import projection

    original = projection.find_projection
    p.setattr(cm_module, "find_projection", lambda points, seed=0: original(points[:-1], seed))
    p.setattr(evidence, "quick_paper_instance", lambda ctx: np.array(ZERO_FAMILY))


def _mask_dropped(p: Patcher) -> None:
    from ..runtime import attention as runtime

    real = runtime.SelfAttention

    class Unmasked(real):
        def __init__(self, *args, mask=None, **kwargs):
            super().__init__(*args, mask=None, **kwargs)

    p.setattr(runtime, "SelfAttention", Unmasked)


_A = "varcheck.check.attention:"

ATTENTION_MUTANTS = (
    Mutant("attn.tight-temperature-halved", ("attn.contextual-mapping-tight",),
           "tight construction with the temperature c halved (score gaps fall below 2 ln n + 3)",
           _tight_temperature_halved, (Check(_A + "tight_certified", caught_if=("failed",)),)),
    Mutant("attn.tight-temperature-times-eight", ("attn.tight-gamma-estimate",),
           "tight construction with the temperature c multiplied by 8 (the row spread, hence −ln γ, grows 8×: "
           "§6.1's e^{−8M(2 ln n + 3)} stops being a lower bound)",
           _tight_temperature_times_eight, (Check(_A + "tight_gamma_estimate", caught_if=("failed",)),)),
    Mutant("attn.tight-output-scale-doubled", ("attn.contextual-mapping-tight",),
           "tight construction with the W_O scale doubled (different tokens no longer kept apart)",
           _tight_output_scale_doubled, (Check(_A + "tight_certified", caught_if=("failed",)),)),
    Mutant("attn.paper-temperature-halved", ("attn.contextual-mapping",),
           "paper construction with the temperature halved below the A4 formula",
           _paper_temperature_halved, (Check(_A + "contextual_mapping_constructs", caught_if=("failed",)),)),
    Mutant("attn.paper-output-scale-doubled", ("attn.contextual-mapping",),
           "paper construction with W_O = ε_tok/(2 r_max) instead of ε_tok/(4 r_max)",
           _paper_output_scale_doubled, (Check(_A + "contextual_mapping_constructs", caught_if=("failed",)),)),
    Mutant("attn.zero-left-out-of-projection", ("attn.contextual-mapping",),
           "projection searched on V instead of V ∪ {0} (a token can project to ≈ 0)",
           _zero_left_out_of_projection,
           (Check(_A + "contextual_mapping_constructs", seed=ZERO_SEED, caught_if=("failed",)),)),
    Mutant("attn.mask-dropped", ("attn.masked-contextual-mapping",),
           "the block-causal scale mask dropped from the torch layer",
           _mask_dropped, (Check(_A + "masked_causality", caught_if=("failed",)),)),
)


# =========================================================================== partition (P1–P5)


def _eta_scaled(factor: int):
    def apply(p: Patcher) -> None:
        from ..spec import partition as spec

        original = spec.eta_from_budget
        p.setattr(spec, "eta_from_budget", lambda *a, **k: original(*a, **k) * factor)

    return apply


def _grid_one_coarser(p: Patcher) -> None:
    from ..spec import partition as spec

    original = spec.grid_size
    p.setattr(spec, "grid_size", lambda *a, **k: max(1, original(*a, **k) - 1))


def _quantizer_term_dropped(which: str):
    def apply(p: Patcher) -> None:
        from ..exact import quantizer

        original = quantizer.ReluQuantizer.weights

        def weights(self, d=1, *, residual=False):
            w1, b1, w2, b2 = original(self, d, residual=residual)
            if self.G < 2:
                return w1, b1, w2, b2
            # zero the read-out of hidden units of entry 0: the last level's pair, or the +δ half of level 1
            units = (2 * (self.G - 1) - 2, 2 * (self.G - 1) - 1) if which == "last level" else (0,)
            for j in units:
                w2[j] = [Fraction(0)] * len(w2[j])
            return w1, b1, w2, b2

        p.setattr(quantizer.ReluQuantizer, "weights", weights)

    return apply


def _value_key_off_by_one(p: Patcher) -> None:
    from ..exact import value_mapping

    original = value_mapping.ScalarValueMap.weights

    def weights(self):
        w1, b1, w2, b2 = original(self)
        if len(b1) >= 2:
            b1 = list(b1)
            b1[1] = b1[0]  # the second unit reads the first key: key index off by one
        return w1, b1, w2, b2

    p.setattr(value_mapping.ScalarValueMap, "weights", weights)


def _target_constant_halved(p: Patcher) -> None:
    from ..runtime import targets

    original = targets.blur

    def halved(**kwargs):
        t = original(**kwargs)
        t.lipschitz = t.lipschitz / 2
        return t

    p.setattr(targets, "blur", halved)


def _ramp_twice_as_steep(p: Patcher) -> None:
    from ..exact import quantizer

    original = quantizer.ReluQuantizer.weights

    def weights(self, d=1, *, residual=False):
        w1, b1, w2, b2 = original(self, d, residual=residual)
        return [[2 * v for v in row] for row in w1], b1, w2, b2

    p.setattr(quantizer.ReluQuantizer, "weights", weights)



PARTITION_MUTANTS = (
    Mutant("partition.eta-doubled", ("partition.bad-set-accounting",),
           "ramp width η twice the budget's η*",
           _eta_scaled(2), (Check("varcheck.check.bad_sets:symbolic_eta"), Check("varcheck.check.bad_sets:exact_bad_set_accounting"))),
    Mutant("partition.eta-times-ten", ("partition.bad-set-accounting",),
           "ramp width η ten times the budget's η*",
           _eta_scaled(10), (Check("varcheck.check.bad_sets:symbolic_eta"), Check("varcheck.check.bad_sets:exact_bad_set_accounting"))),
    Mutant("partition.grid-one-coarser", ("partition.lipschitz-grid",),
           "grid G one coarser than ⌈K/ε₁⌉",
           _grid_one_coarser, (Check("varcheck.check.partition_grid:symbolic_grid_size"),)),
    Mutant("partition.quantizer-last-level-dropped", ("partition.relu-quantizer",),
           "the ReLU quantizer's last level (both units) read out with weight 0",
           _quantizer_term_dropped("last level"),
           (Check("varcheck.check.relu_quantizer:exact_quantizer_breakpoints"), Check("varcheck.check.relu_quantizer:torch_quantizer"))),
    Mutant("partition.quantizer-first-ramp-dropped", ("partition.relu-quantizer",),
           "the +δ unit of the quantizer's first level read out with weight 0",
           _quantizer_term_dropped("first ramp half"),
           (Check("varcheck.check.relu_quantizer:exact_quantizer_breakpoints"), Check("varcheck.check.relu_quantizer:torch_quantizer"))),
    Mutant("partition.value-key-off-by-one", ("partition.value-mapping", "partition.bad-set-accounting"),
           "the value map's second unit reads the first key",
           _value_key_off_by_one,
           (Check("varcheck.check.value_map:exact_value_map_keys"), Check("varcheck.check.bad_sets:exact_bad_set_accounting"))),
    Mutant("partition.target-constant-halved", ("partition.lipschitz-grid",),
           "blur targets declare half their Lipschitz constant",
           _target_constant_halved,
           (Check("varcheck.check.partition_grid:targets_declared_constants"), Check("varcheck.check.partition_grid:partition_error_property"),
            Check("varcheck.check.partition_grid:torch_partition_error"))),
    Mutant("partition.ramp-twice-as-steep", ("partition.lipschitz-blowup",),
           "quantizer ramps twice as steep as constructed (η halved in the weights only)",
           _ramp_twice_as_steep, (Check("varcheck.check.lipschitz_blowup:torch_blowup_slope"),)),
)

# =========================================================================== universality (T1, T2, F4, F9)


def _word_table_position_independent(p: Patcher) -> None:
    from ..runtime import approximator

    original = approximator._word_to_image

    def build(target, pyramid, eps, p_, attention, positional, *rest):
        return original(target, pyramid, eps, p_, attention, False, *rest)  # the positional codes E silently dropped

    p.setattr(approximator, "_word_to_image", build)


UNIVERSALITY_MUTANTS = (
    # The ledger certificate alone does not notice (it certifies the plan, not the table it is given):
    # the sampled check against the certified sup bounds must.
    Mutant("ua.word-table-position-independent", ("ua.word-to-image",),
           "word-to-image built with a position-independent value table (positional codes E dropped)",
           _word_table_position_independent,
           (Check("varcheck.check.universality:word_to_image_samples", caught_if=("failed",)),)),
)

#: varcheck's own mutants; a family may instead define ``MUTANTS`` in its evidence module (found automatically).
MUTANTS = INTERPOLATION_MUTANTS + ATTENTION_MUTANTS + PARTITION_MUTANTS + UNIVERSALITY_MUTANTS
