"""Execute every proof notebook (proofs/*.py, jupytext percent format) through a real Jupyter kernel, as a reader
gets them: each one is executed once, by ``varcheck notebooks``'s own function, which writes it as an ``.ipynb``
with its outputs and as a self-contained HTML page; the pages are then checked in headless Chromium.

A notebook passes when every cell runs without error: its asserts compare computations with the values
docs/theory.md states, so a failing derivation fails here. The kernel is the ``python3`` kernelspec, started
from ``sys.executable``, with the repository root as working directory.

The command itself (``varcheck notebooks``: arguments, refusing a non-empty directory, a failing notebook) is
tested on a two-cell notebook of its own, so that the default run executes no proof notebook twice; and the
Jupyter front end of the ``notebooks`` extra is started once to check that it serves the proofs as notebooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.jargon import jargon_in
from tests.test_html_browser import load_in_browser

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
#: The notebook the page test exports itself when run without the notebook tests (the quickest to execute).
SMALLEST = "06_hofar"
#: Pages written by test_notebook_executes in this session: notebook stem → (ipynb, html).
WRITTEN: dict = {}


def _param(path: Path):
    claim = NOTEBOOK_CLAIMS.get(path.name)
    marks = [pytest.mark.claim(claim)] if claim else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.fixture(scope="module")
def pages_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("notebook-pages")


def test_proof_notebooks_exist():
    assert NOTEBOOKS, f"no proof notebooks found under {REPO_ROOT / 'proofs'}"


@pytest.mark.parametrize("path", [_param(p) for p in NOTEBOOKS])
def test_notebook_executes(path, pages_dir):
    import nbformat

    from varcheck.report.notebooks import export_notebook

    result = export_notebook(path, pages_dir, cwd=REPO_ROOT)
    assert result["error"] is None, result["error"]
    nb = nbformat.read(str(result["ipynb"]), as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(cell.get("execution_count") for cell in code)  # every cell ran, in the written file
    assert any(cell.get("outputs") for cell in code)
    WRITTEN[path.stem] = (result["ipynb"], result["html"])


def test_notebook_pages_render_in_browser(pages_dir, tmp_path):
    """Each page written above (or the smallest notebook's, when run alone) loads in headless Chromium with nothing
    on the console, is self-contained (no script, nothing from the network), shows its figures inline and its
    formulas as MathML, and speaks no project jargon."""
    from varcheck.report.notebooks import export_notebook

    if not WRITTEN:
        result = export_notebook(REPO_ROOT / "proofs" / f"{SMALLEST}.py", pages_dir, cwd=REPO_ROOT)
        assert result["error"] is None, result["error"]
        WRITTEN[SMALLEST] = (result["ipynb"], result["html"])
    for name, (_, page) in sorted(WRITTEN.items()):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and not re.search(r"(src|href)=\"(https?:)?//", text), name
        assert not jargon_in(text), (name, jargon_in(text))
        dom, console = load_in_browser(page, tmp_path / f"profile-{name}")
        assert not console, (name, console)
        assert dom.count("<math") >= 3 and 'src="data:image/png;base64,' in dom, name
        title = NOTEBOOKS[[p.stem for p in NOTEBOOKS].index(name)].read_text(encoding="utf-8")
        heading = re.search(r"^# # (.+)$", title, re.M)
        assert heading and heading.group(1).split(":")[0].split("—")[0].strip() in dom, name


# --------------------------------------------------------------------------- the command, on a notebook of its own

TINY = """# %% [markdown]
# # A tiny proof
# The kernel checks that $x^2 \\ge 0$ for a few $x \\in \\mathbb{Z}$.

# %%
values = [x * x for x in range(-3, 4)]
assert min(values) >= 0
print(values)
"""
FAILING = """# %%
print("before")

# %%
assert 1 + 1 == 3, "arithmetic"
"""


@pytest.fixture
def tiny_proofs(tmp_path) -> Path:
    proofs = tmp_path / "repo" / "proofs"
    proofs.mkdir(parents=True)
    (proofs / "tiny.py").write_text(TINY, encoding="utf-8")
    (proofs / "failing.py").write_text(FAILING, encoding="utf-8")
    return proofs


def test_notebooks_command_writes_ipynb_and_html_and_refuses_to_overwrite(tiny_proofs, tmp_path, capsys):
    import nbformat

    from varcheck.cli import main

    out = tmp_path / "pages"
    assert main(["notebooks", "tiny", "--proofs", str(tiny_proofs), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "tiny.html", "tiny.ipynb"]
    nb = nbformat.read(str(out / "tiny.ipynb"), as_version=4)
    assert nb.cells[1].outputs[0]["text"] == "[9, 4, 1, 0, 1, 4, 9]\n"
    page = (out / "tiny.html").read_text(encoding="utf-8")
    assert page.count("<math") == 2 and "[9, 4, 1, 0, 1, 4, 9]" in page and "<script" not in page
    assert 'href="tiny.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert "1 notebooks written to" in capsys.readouterr().out
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for argv, message in [
        (["notebooks", "tiny", "--proofs", str(tiny_proofs), "--out", str(out)], "is not empty; choose another"),
        (["notebooks", "tiy", "--proofs", str(tiny_proofs), "--out", str(tmp_path / "x")],
         "no notebook 'tiy' in '" + str(tiny_proofs) + "' (did you mean 'tiny'?); the notebooks are failing, tiny."),
        (["notebooks", "--proofs", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")], "is not a directory"),
        (["notebooks", "tiny", "--proofs", str(tiny_proofs)], "the following arguments are required: --out"),
    ]:
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("varcheck: error: ") and message in err[0], err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before and not (tmp_path / "x").exists()


def test_a_failing_notebook_is_written_up_to_its_error_and_exits_1(tiny_proofs, tmp_path, capsys):
    import nbformat

    from varcheck.cli import main

    out = tmp_path / "pages"
    assert main(["notebooks", "failing", "--proofs", str(tiny_proofs), "--out", str(out)]) == 1
    assert "failing failed: " in capsys.readouterr().out
    nb = nbformat.read(str(out / "failing.ipynb"), as_version=4)
    assert nb.cells[0].outputs[0]["text"] == "before\n"
    assert nb.cells[1].outputs[0]["output_type"] == "error" and nb.cells[1].outputs[0]["ename"] == "AssertionError"
    assert "failed" in (out / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the front end of the notebooks extra


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a server on 127.0.0.1
        return json.loads(response.read().decode("utf-8"))


def test_jupyterlab_serves_the_proofs_as_notebooks(tmp_path):
    """README's `.venv/bin/jupyter lab proofs/`: the server (JupyterLab with jupytext) reads each proof as a notebook,
    and the settings override of scripts/setup.sh makes a notebook the default view of a .py file."""
    lab = Path(sys.executable).with_name("jupyter-lab")
    if not lab.exists():
        if os.environ.get("CI"):
            pytest.fail("JupyterLab is not installed in CI; the dev extra installs it")
        pytest.skip("JupyterLab is not installed (bash scripts/setup.sh --notebooks or --dev installs it)")
    settings = tmp_path / "settings"
    settings.mkdir()
    shutil.copy(REPO_ROOT / "scripts" / "jupyterlab-overrides.json", settings / "overrides.json")
    port, token = _free_port(), "varcheck-test"
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed in the finally below
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    server = subprocess.Popen([str(lab), "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO_ROOT}",
                               f"--LabServerApp.app_settings_dir={settings}",
                               *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
                              stdout=subprocess.DEVNULL, stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-2000:]
                time.sleep(0.5)
        for path in NOTEBOOKS:
            model = _get(f"{base}/api/contents/proofs/{path.name}?type=notebook&content=1", token)
            cells = model["content"]["cells"]
            assert model["type"] == "notebook" and cells[0]["cell_type"] == "markdown", path.name
            assert sum(c["cell_type"] == "code" for c in cells) >= 3, path.name
        plugin = _get(f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin", token)
        # an override replaces the schema's default (the user's own settings, empty here, still win)
        assert plugin["schema"]["properties"]["defaultViewers"]["default"] == {"python": "Jupytext Notebook"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()
