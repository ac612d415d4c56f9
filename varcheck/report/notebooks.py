"""The proof notebooks for reading: ``varcheck notebooks --out DIR`` executes each notebook of ``proofs/``
(jupytext percent format) in a Jupyter kernel and writes it twice, as ``NAME.ipynb`` with its outputs (for Jupyter)
and as ``NAME.html``, one self-contained page (styles and figures inline, formulas as MathML, no script and nothing
loaded from the network), plus ``index.html`` linking the pages.

A notebook runs with the repository root as its working directory, as in the test suite. A notebook whose cell
fails is still written (up to the failing cell, with its error) and the command exits 1. The packages it needs
(jupytext, nbclient, nbformat, nbconvert, ipykernel; latex2mathml for the formulas) come with
``pip install 'varcheck[notebooks]'``.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from ..errors import VarcheckError, require_output_directory, shown

__all__ = ["NOTEBOOK_PACKAGES", "proofs_directory", "find_notebooks", "execute_notebook", "notebook_html",
           "export_notebook", "export_notebooks", "cmd_notebooks"]

#: What executing and converting a notebook needs (the ``notebooks`` extra).
NOTEBOOK_PACKAGES = ("jupytext", "nbclient", "nbformat", "nbconvert", "ipykernel")
#: Seconds a single cell may run before the notebook is reported as failed.
CELL_TIMEOUT = 600

#: External resources nbconvert's template would load (require.js, MathJax, Mermaid) and its inline script blocks.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


def proofs_directory() -> Path:
    """``proofs/`` of the checkout varcheck runs from (an editable install, as ``scripts/setup.sh`` makes)."""
    return Path(__file__).resolve().parents[2] / "proofs"


def _require_packages() -> None:
    import importlib.util

    missing = [name for name in NOTEBOOK_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise VarcheckError(f"varcheck notebooks needs {', '.join(missing)}: bash scripts/setup.sh --notebooks "
                            "(or pip install 'varcheck[notebooks]').")


def find_notebooks(names=(), proofs=None) -> list:
    """The notebooks of proofs/ named (by file stem; default: every one), in name order."""
    directory = Path(proofs) if proofs is not None else proofs_directory()
    if not directory.is_dir():
        raise VarcheckError(f"--proofs {shown(str(directory))} is not a directory of proof notebooks; pass --proofs "
                            "DIR (the repository's proofs/).")
    found = {p.stem: p for p in sorted(directory.glob("*.py")) if not p.name.startswith("_")}
    if not found:
        raise VarcheckError(f"--proofs {shown(str(directory))} holds no notebook (*.py in jupytext percent format).")
    unknown = [n for n in dict.fromkeys(names) if n not in found]
    if unknown:
        from ..errors import closest

        match = closest(unknown[0], found)
        hint = f" (did you mean {match!r}?)" if match else ""
        raise VarcheckError(f"no notebook {shown(unknown[0])} in {shown(str(directory))}{hint}; the notebooks are "
                            f"{', '.join(found)}.")
    return [found[n] for n in dict.fromkeys(names)] if names else list(found.values())


def execute_notebook(path, *, cwd=None, timeout: int = CELL_TIMEOUT) -> tuple:
    """``(notebook, error)``: the notebook of ``path`` executed in a ``python3`` kernel started from this Python;
    ``error`` is None, or the text of the first failing cell's error (the notebook then holds the cells run so far)."""
    _require_packages()
    import subprocess

    import jupytext
    import nbclient

    path = Path(path)
    nb = jupytext.read(path)
    cwd = Path(cwd) if cwd is not None else path.resolve().parent.parent
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(cwd)}})
    try:
        # the kernel's own stderr carries only its start-up chatter; cell errors come back as outputs
        client.execute(stderr=subprocess.DEVNULL)
    except nbclient.exceptions.CellExecutionError as exc:
        return nb, " ".join(str(exc).split())[-600:]
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    return nb, (f"{errors[0].get('ename')}: {errors[0].get('evalue')}" if errors else None)


#: What formulas are never looked for in: preformatted text, code, styles, and the tags themselves.
_HTML_PROTECTED = re.compile(r"<(pre|code|style|textarea)\b.*?</\1>|<[^>]*>", re.S | re.I)
#: TeX between $$…$$ (display) or $…$ (inline), as nbconvert leaves it in a Markdown cell's HTML.
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)", re.S)


def _mathml(match) -> str:
    """A formula of a Markdown cell as MathML (which browsers typeset without a script), or as it was when the
    converter does not know one of its macros."""
    from html import unescape

    from latex2mathml.converter import convert

    display, inline = match.group(1), match.group(2)
    try:
        return convert(unescape(display if display is not None else inline),
                       display="block" if display is not None else "inline")
    except Exception:  # noqa: BLE001 - an unknown macro: the reader sees the TeX source instead
        return match.group(0)


def _formulas_as_mathml(html: str) -> str:
    out, last = [], 0
    for protected in _HTML_PROTECTED.finditer(html):
        out += [_MATH.sub(_mathml, html[last:protected.start()]), protected.group(0)]
        last = protected.end()
    return "".join(out + [_MATH.sub(_mathml, html[last:])])


def notebook_html(nb, title: str) -> str:
    """One self-contained HTML page of an executed notebook: nbconvert's lab template, figures inline, formulas as
    MathML (when ``latex2mathml`` is installed; TeX source otherwise), and every script removed (the template's
    require.js, MathJax and Mermaid would come from a CDN)."""
    import importlib.util

    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", embed_images=True)
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html = _SCRIPT.sub("", html)
    return _formulas_as_mathml(html) if importlib.util.find_spec("latex2mathml") is not None else html


def export_notebook(path, out_dir, *, cwd=None) -> dict:
    """Execute ``path`` and write ``out_dir/NAME.ipynb`` and ``out_dir/NAME.html``; the result as a dict."""
    import nbformat

    path, out_dir = Path(path), Path(out_dir)
    nb, error = execute_notebook(path, cwd=cwd)
    ipynb, page = out_dir / f"{path.stem}.ipynb", out_dir / f"{path.stem}.html"
    nbformat.write(nb, str(ipynb))
    page.write_text(notebook_html(nb, path.stem), encoding="utf-8")
    return {"name": path.stem, "ipynb": ipynb, "html": page, "error": error}


def _index(results: list) -> str:
    rows = "\n".join(f'<li><a href="{escape(r["html"].name)}">{escape(r["name"])}</a> '
                     f'(<a href="{escape(r["ipynb"].name)}">.ipynb</a>)'
                     + (f" — <b>failed</b>: {escape(r['error'])}" if r["error"] else "") + "</li>" for r in results)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>varcheck proof notebooks"
            "</title>\n</head>\n<body>\n<h1>varcheck proof notebooks</h1>\n<p>Each notebook executed, with its "
            "outputs: "
            "the HTML page to read, the .ipynb to open in Jupyter.</p>\n<ul>\n" + rows + "\n</ul>\n</body>\n</html>\n")


def export_notebooks(names=(), out_dir=None, *, proofs=None, force: bool = False, progress=None) -> list:
    """Execute the named notebooks (default: all) and write them to ``out_dir`` (refused when it is not empty,
    unless ``force``), with ``index.html``; ``progress(event, index, total, name_or_result)`` reports each one."""
    _require_packages()
    notebooks = find_notebooks(names, proofs)
    existed = Path(out_dir).exists()
    out = require_output_directory(out_dir, force)
    results = []
    try:
        for i, path in enumerate(notebooks, 1):
            if progress:
                progress("start", i, len(notebooks), path.stem)
            results.append(export_notebook(path, out, cwd=path.resolve().parent.parent))
            if progress:
                progress("done", i, len(notebooks), results[-1])
    except BaseException:
        if not existed and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # leave no empty directory behind a run that wrote nothing
        raise
    (out / "index.html").write_text(_index(results), encoding="utf-8")
    return results


def cmd_notebooks(args) -> int:
    """The ``varcheck notebooks`` command: 0 when every notebook ran, 1 when one failed (its files are written)."""
    import sys
    import time

    started = {}

    def progress(event, index, total, item):
        if event == "start":
            started[index] = time.perf_counter()
            sys.stderr.write(f"[{index}/{total}] {item} ... ")
        else:
            sys.stderr.write(f"{'FAILED' if item['error'] else 'ok'} ({time.perf_counter() - started[index]:.1f} s)\n")
        sys.stderr.flush()

    results = export_notebooks(args.names, args.out, proofs=args.proofs, force=args.force, progress=progress)
    for r in results:
        if r["error"]:
            print(f"{r['name']} failed: {r['error']}")
    print(f"{len(results)} notebooks written to {args.out} ({sum(1 for r in results if not r['error'])} ran "
          f"without error): open {Path(args.out) / 'index.html'}")
    return 1 if any(r["error"] for r in results) else 0
