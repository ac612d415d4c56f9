"""Execute every proof notebook (proofs/*.py, jupytext percent format) through a real Jupyter kernel.

A notebook passes when every cell runs without error: its asserts compare computations with the values
docs/theory.md states, so a failing derivation fails here. The kernel is the ``python3`` kernelspec, started
from ``sys.executable``, with the repository root as working directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO_ROOT / "proofs").glob("[0-9][0-9]_*.py"))  # notebook_tools.py is their helper

#: The registered claim each notebook is about (used for the ``claim`` marker).
NOTEBOOK_CLAIMS = {
    "01_interpolation.py": "interp.kernel-range",
    "02_contextual_mapping.py": "attn.contextual-mapping",
    "03_partition.py": "partition.lipschitz-grid",
    "04_var_universality.py": "ua.image-to-image",
    "05_flowar.py": "flowar.euler-exact-recovery",
    "06_hofar.py": "hofar.taylor-rate",
}


def _param(path: Path):
    claim = NOTEBOOK_CLAIMS.get(path.name)
    marks = [pytest.mark.claim(claim)] if claim else []
    return pytest.param(path, id=path.stem, marks=marks)


def test_proof_notebooks_exist():
    assert NOTEBOOKS, f"no proof notebooks found under {REPO_ROOT / 'proofs'}"


@pytest.mark.parametrize("path", [_param(p) for p in NOTEBOOKS])
def test_notebook_executes(path):
    import jupytext
    import nbclient

    nb = jupytext.read(path)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(REPO_ROOT)}}
    )
    client.execute()  # raises nbclient.exceptions.CellExecutionError on the first failing cell
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get(
        "outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
