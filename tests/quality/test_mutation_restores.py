"""Mutants leave nothing behind, whatever the import order.

A mutant that patches a function another module binds by name must be undone everywhere: in one process, every
registered mutant runs and then a clean ``verify`` of every claim must give exactly the results of a clean
``verify`` in a fresh process (verdicts, observed values, bounds and details; not timings). Both runs are fresh
interpreters with every varcheck module imported before the claims run, because Hypothesis draws examples with the
help of the literals of the loaded modules: the same modules must be loaded for the same examples to be drawn.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from varcheck.claims.mutation import Patcher, import_every_module

REPO_ROOT = Path(__file__).resolve().parents[2]

_CLEAN_VERIFY = """
import json
from varcheck.claims.runner import run_claims
from varcheck.theory.registry import Context

def comparable(results):
    return [{"id": r.claim.id, "outcome": r.outcome, "status": r.status, "counterexample": r.counterexample,
             "evidence": [{k: v for k, v in e.to_dict().items() if k != "seconds"} for e in r.evidence]}
            for r in results]
"""

MUTANTS_THEN_VERIFY = _CLEAN_VERIFY + """
from varcheck.claims.mutation import run_mutants
survivors = [r.mutant.id for r in run_mutants() if not r.killed]
print(json.dumps({"survivors": survivors, "claims": comparable(run_claims(ctx=Context()))}))
"""

FRESH_VERIFY = _CLEAN_VERIFY + """
from varcheck.claims.mutation import import_every_module
import_every_module()
print(json.dumps({"survivors": [], "claims": comparable(run_claims(ctx=Context()))}))
"""


def _run(script: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, timeout=3000,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.claim("ua.word-to-image")
@pytest.mark.claim("interp.partition-of-unity")
def test_every_mutant_then_a_clean_verify_equals_a_fresh_verify():
    after_mutants = _run(MUTANTS_THEN_VERIFY)
    fresh = _run(FRESH_VERIFY)
    assert after_mutants["survivors"] == []
    assert len(fresh["claims"]) == len(after_mutants["claims"]) > 0
    for clean, dirty in zip(fresh["claims"], after_mutants["claims"]):
        assert dirty == clean, f"{clean['id']} differs after the mutants ran"


def test_a_binding_made_while_a_mutant_is_applied_is_restored(monkeypatch):
    """The reported leak, reduced: the mutant patches the cell-layer emitter, and a module that binds it by name is
    imported while the mutant is in place; undoing the mutant restores that binding too, and the bindings that
    existed before the mutant followed the patch and are restored with it."""
    import varcheck.runtime.cell_code as cell_code
    import varcheck.runtime.cell_value_map as cvm

    original = cvm.emit_cell_layer
    monkeypatch.delitem(sys.modules, "varcheck.runtime.word_to_image_network")  # as if it were not imported yet
    patcher = Patcher()
    patcher.setattr(cvm, "emit_cell_layer", lambda *args, **kwargs: None)
    assert cell_code.emit_cell_layer is cvm.emit_cell_layer is not original  # an existing binding follows the patch
    fresh = importlib.import_module("varcheck.runtime.word_to_image_network")
    assert fresh.emit_cell_layer is cvm.emit_cell_layer  # bound while the mutant was in place
    patcher.undo()
    assert cvm.emit_cell_layer is original and cell_code.emit_cell_layer is original
    assert fresh.emit_cell_layer is original


def test_undoing_a_data_patch_leaves_equal_values_elsewhere_alone(monkeypatch):
    """Patching a flag from False to True and back must not touch other bindings that happen to be True (small
    ints and booleans are shared objects: only functions and classes follow a patch)."""
    probe = type(sys)("varcheck._flag_probe")
    probe.ALWAYS = True
    monkeypatch.setitem(sys.modules, probe.__name__, probe)

    class Knob:
        broken = False

    patcher = Patcher()
    patcher.setattr(Knob, "broken", True)
    patcher.setattr(probe, "ALWAYS", 2)
    patcher.undo()
    assert Knob.broken is False and probe.ALWAYS is True


def test_every_module_is_imported_before_a_mutant():
    import_every_module()
    package = REPO_ROOT / "varcheck"
    expected = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not name.startswith(("varcheck.spec", "varcheck.check")) and not name.endswith("__main__"):
            expected.add(name)
    assert sorted(n for n in expected if n not in sys.modules) == []
