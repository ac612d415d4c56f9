"""``varcheck constants`` (TeX macros / JSON, exact where exact) and ``varcheck repro`` (standalone snippets
that reproduce counterexamples and exit 0)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import varcheck.claims.catalog as registry_module
from tests.test_cli import CALLS, make_fake_registry  # noqa: F401  (fake registry for repro edge cases)
from varcheck.claims.catalog import registry
from varcheck.cli import main
from varcheck.report import constants as C

REPO = Path(__file__).resolve().parents[1]
MACRO = re.compile(r"^\\newcommand\{(\\varcheck[A-Za-z]+)\}\{\\ensuremath\{(.*)\}\}$")


@pytest.fixture(scope="module")
def tex() -> str:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["constants", "--format", "tex"]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def constants_json() -> dict:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["constants", "--format", "json"]) == 0
    return json.loads(out.getvalue())


# --- constants -------------------------------------------------------------------------------------------

def test_tex_macros_are_valid_unique_and_cover_every_instance(tex, constants_json):
    macros = []
    for line in tex.splitlines():
        if line.startswith("%") or not line.strip():
            continue
        match = MACRO.match(line)
        assert match, f"not a valid macro definition: {line!r}"
        macros.append(match.group(1))
        body = match.group(2)
        assert body.count("{") == body.count("}"), line
    assert len(macros) == len(set(macros))
    exact_macros = [c["macro"] for inst in constants_json["instances"].values() for c in inst.values()]
    assert set(exact_macros) <= set(macros)
    assert set(constants_json["instances"]) == set(C.INSTANCES)


@pytest.mark.claim("attn.contextual-mapping-tight")
@pytest.mark.claim("partition.lipschitz-grid")
@pytest.mark.claim("interp.inf-norm")
@pytest.mark.claim("ua.word-to-image")
def test_known_constants_are_exact(tex, constants_json):
    inst = constants_json["instances"]
    assert inst["attn-tight"]["temperature"]["value"] == "5/6" and inst["attn-tight"]["temperature"]["exact"]
    assert inst["attn-tight"]["temperature"]["tex"] == "\\frac{5}{6}"
    assert "\\newcommand{\\varcheckAttnTightTemperature}{\\ensuremath{\\frac{5}{6}}}" in tex
    assert inst["attn-tight"]["gamma_actual"]["exact"] is False
    assert re.fullmatch(r"\d\.\d{4}e-\d+", inst["attn-tight"]["gamma_actual"]["value"])
    assert inst["interp"]["kernel_min_a_3_4"]["value"] == "-1/9"
    assert "\\newcommand{\\varcheckInterpKernelMinAThreeFour}{\\ensuremath{-\\frac{1}{9}}}" in tex
    assert inst["interp"]["bicubic_inf_norm_a_3_4"]["value"] == "11/8"
    assert inst["interp"]["var_effective_map_max_deviation"]["value"] == "13743625/35995648"
    assert inst["interp"]["nearest_mismatch_pairs"]["value"] == 15
    assert inst["pyramid"]["var256_tokens"]["value"] == 680
    part = inst["partition"]
    G = part["grid"]["value"]
    assert isinstance(G, int) and part["delta"]["value"] == f"1/{G}"
    assert part["quantizer_width"]["value"] == 2 * (G - 1) * 2
    eta = Fraction(part["ramp"]["value"])
    assert Fraction(part["quantizer_lipschitz"]["value"]) == Fraction(1, G) / eta
    assert part["sup_bound"]["value"] == "16*sqrt(85)" and part["sup_bound"]["tex"] == "16 \\sqrt{85}"
    claims = inst["claims"]
    assert claims["I3 BICUBIC_INF_NORM_A_3_4"]["value"] == "11/8"
    w2i = inst["word-to-image"]
    assert w2i["eps"]["value"] == "1/100" and isinstance(w2i["grid"]["value"], int)
    assert w2i["ledger_total"]["exact"] is False
    assert float(w2i["certified_bound"]["value"]) <= 0.01 and w2i["parameters"]["value"] > 0


def test_constants_instance_selection_and_errors(capsys):
    assert main(["constants", "--instance", "pyramid", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc["instances"]) == ["pyramid"] and doc["meta"]["instances"] == ["pyramid"]
    assert main(["constants", "--instance", "nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("varcheck: error: argument --instance: invalid choice: 'nope'")
    assert main(["constants", "--format", "pdf"]) == 2


def test_macro_names_and_tex_values():
    assert C.macro_name("attn-tight", "W_O_scale") == "\\varcheckAttnTightWOScale"
    assert C.macro_name("claims", "I1-torch TORCH_PARITY_TOL") == "\\varcheckClaimsIOneTorchTorchParityTol"
    assert C.macro_name("partition", "ε₁") == "\\varcheckPartitionEpsOne"
    assert C.tex_value(Fraction(-2, 27)) == "-\\frac{2}{27}" and C.tex_value(7) == "7"
    assert C.tex_value("3.6083e-18") == "3.6083 \\times 10^{-18}"
    assert C.tex_value((Fraction(1, 2), 3)) == "(\\frac{1}{2}, 3)"
    assert C.tex_value("a_b & c") == "\\text{a\\_b \\& c}"


# --- repro -----------------------------------------------------------------------------------------------

def _shim(tmp_path) -> dict:
    """An environment in which `varcheck` and `python` are this interpreter and this checkout."""
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    # wrappers, not symlinks: a symlinked venv interpreter would not find its pyvenv.cfg
    for name, args in (("varcheck", "-m varcheck "), ("python", "")):
        (bindir / name).write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {args}\"$@\"\n", encoding="utf-8")
        (bindir / name).chmod(0o755)
    path = os.pathsep.join([str(bindir), os.environ.get("PATH", "")])
    pythonpath = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return dict(os.environ, PATH=path, PYTHONPATH=pythonpath)


REFUTED = [c.id for c in registry() if c.expected == "refuted"]


@pytest.mark.parametrize("claim_id", [pytest.param(i, marks=pytest.mark.claim(i)) for i in REFUTED])
def test_repro_snippet_of_every_refuted_claim_runs_standalone(tmp_path, claim_id):
    env = _shim(tmp_path)
    # exactly `python -c "$(varcheck repro ID)"`, keeping a copy of the snippet for the checks below
    script = f's="$(varcheck repro {claim_id})" && printf "%s" "$s" > snippet.py && python -c "$s"'
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout.strip()
    snippet = (tmp_path / "snippet.py").read_text(encoding="utf-8")
    assert snippet.startswith(f"# varcheck repro {claim_id} -- ") and "assert " in snippet
    assert not re.search(r"\d\.\d{17,}", snippet)  # exact values, not long float reprs


@pytest.mark.claim("interp.kernel-range")
def test_kernel_range_snippet_is_exact(capsys):
    assert main(["repro", "interp.kernel-range", "--seed", "4"]) == 0
    snippet = capsys.readouterr().out
    assert "Fraction('-3/4'), Fraction('4/3')" in snippet and "Fraction('-1/9')" in snippet
    assert "Fraction('-14553/131072')" in snippet and "--seed 4" in snippet
    compile(snippet, "snippet", "exec")


@pytest.mark.claim("interp.inf-norm")
def test_repro_of_a_claim_that_holds_exits_2(capsys):
    assert main(["repro", "interp.integer-offset-is-nearest"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == ("varcheck: error: claim interp.integer-offset-is-nearest holds; nothing to "
                                    "reproduce.")


def test_repro_unknown_claim_exits_2(capsys):
    assert main(["repro", "no.such-claim"]) == 2
    assert "unknown claim id 'no.such-claim'" in capsys.readouterr().err


def test_repro_of_a_failed_evidence_replays_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(registry_module, "_REGISTRY", make_fake_registry())
    assert main(["repro", "fake.fails"]) == 0
    snippet = capsys.readouterr().out
    assert "from tests.test_cli import ev_failed" in snippet and "assert result.verdict == 'failed'" in snippet
    assert "# It reported: observed error 2 exceeds bound 1" in snippet
    proc = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, cwd=REPO,
                          env=_shim(tmp_path), timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    # a refuted claim without a tailored builder gets the generic replay, asserting the exact counterexample
    assert main(["repro", "fake.refuted"]) == 0
    snippet = capsys.readouterr().out
    assert "expected = {'G': '3', 'ratio': '5/4'}" in snippet
    proc = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, cwd=REPO,
                          env=_shim(tmp_path), timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr and "fake.refuted refuted:" in proc.stdout
    assert main(["repro", "fake.holds"]) == 2
