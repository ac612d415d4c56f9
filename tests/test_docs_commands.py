"""Every shell command of README.md and docs/*.md works as written after the two set-up commands.

The commands are read from the pages' fenced ``bash`` blocks and run from a fresh temporary directory that
holds only a link ``.venv`` to this checkout's virtual environment (what ``bash scripts/setup.sh`` leaves at
the repository root), with the ordinary ``PATH`` — minus the environment's own ``bin`` — so that a command
which relies on a bare ``python`` or ``varcheck`` fails here as it fails on a fresh clone (the machine's
``python`` has no torch). Outputs land in the temporary directory, never in the checkout.

Some commands are not run as written in the quick profile, each for the reason given in :func:`_substitute`;
the full profile (``pytest --varcheck-profile full``) runs them too, except the set-up script and the suite
itself, which are checked at ``--help`` level always.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md"))
#: Pages whose commands another test runs with the files the page asks you to write first.
RUN_ELSEWHERE = {"tutorial-add-a-lemma.md": "tests/test_tutorial.py writes my_lemmas.py and runs both blocks"}
_FENCE = re.compile(r"^```(bash|sh|shell)\n(.*?)^```", re.S | re.M)


def venv_dir():
    """The virtual environment the pages' ``.venv/bin/...`` commands mean: this interpreter's, else REPO/.venv."""
    if sys.prefix != sys.base_prefix and (Path(sys.prefix) / "bin" / "python").exists():
        return Path(sys.prefix)
    candidate = REPO / ".venv"
    return candidate if (candidate / "bin" / "python").exists() else None


def link_venv(directory: Path) -> None:
    """Link ``directory/.venv`` to the environment, as if the commands ran at the repository root."""
    venv = venv_dir()
    if venv is None:
        pytest.skip("the pages' commands are written for the .venv of scripts/setup.sh, and there is none here")
    (directory / ".venv").symlink_to(venv, target_is_directory=True)


def _clean_env() -> dict:
    """The user's environment with the virtual environment's bin taken off PATH (a fresh shell does not have it)."""
    venv = venv_dir()
    venv_bin = (venv / "bin").resolve() if venv else None
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and (venv_bin is None or Path(p).resolve() != venv_bin)]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "VARCHECK_CLAIM_MODULES")}
    env["PATH"] = os.pathsep.join(path)
    return env


def logical_commands(block: str) -> list:
    """The commands of a shell block: continuation lines joined, blank and comment-only lines dropped."""
    out, current = [], ""
    for line in block.splitlines():
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip() and not current.strip().startswith("#"):
            out.append(current.strip())
        current = ""
    return out


def page_commands() -> list:
    """``(page, exports, command)`` for every command of every page, in page order, without repeats in a page
    (each page is followed on its own, from a fresh directory: a later command may need an earlier one's output)."""
    out = []
    for page in PAGES:
        seen = set()
        text = page.read_text(encoding="utf-8")
        for _, block in _FENCE.findall(text):
            exports = []
            for command in logical_commands(block):
                if command.startswith("export "):
                    exports.append(command)
                    continue
                for part in _split_and(command):
                    key = (tuple(exports), part)
                    if key not in seen:
                        seen.add(key)
                        out.append((page.name, tuple(exports), part))
    return out


def _split_and(command: str) -> list:
    """``a && b`` as two commands (each is checked on its own; the set-up script is never re-run)."""
    return [part.strip() for part in re.split(r"\s&&\s", command) if part.strip()]


def _words(command: str) -> list:
    code = command.split(" #", 1)[0]
    try:
        return shlex.split(code)
    except ValueError:
        return code.split()


def _substitute(command: str, full: bool):
    """``(command to run, reason)``: the command itself, or the check that stands for it, and why."""
    words = _words(command)
    if words[:2] == ["bash", "scripts/setup.sh"]:
        # it installs packages into the shared .venv and needs the network; the environment this test runs in is
        # its result. What can be checked without that: the script parses, and it refuses an unknown option.
        return (f"bash -n {REPO}/scripts/setup.sh && {{ rc=0; bash {REPO}/scripts/setup.sh --no-such-option "
                "2>/dev/null || rc=$?; test $rc -eq 2; }", "set-up script: syntax and option check only")
    if words[:3] == [".venv/bin/python", "-m", "pytest"]:
        # running the whole suite from inside the suite would recurse
        return ".venv/bin/python -m pytest --version", "test suite: --version only (no recursion)"
    if words[:2] == [".venv/bin/jupyter", "lab"]:
        # the server runs until it is stopped: tests/test_notebooks.py starts it and reads the proofs through it
        return ".venv/bin/jupyter lab --version", "JupyterLab: --version only (the notebook tests start the server)"
    if full:
        return command, ""
    if words[:2] == [".venv/bin/varcheck", "notebooks"]:
        # every proof notebook runs for minutes, and tests/test_notebooks.py executes each one already
        return _parse_only(words[1:]), "notebooks: argv parsed by varcheck's own parser (full profile runs it)"
    if words[:2] in ([".venv/bin/varcheck", "sweep"], [".venv/bin/varcheck", "atlas"]):
        # a sweep runs a local Dask cluster over every point of its spec (the shipped one: ~45 s) and atlas draws
        # from the sweep's directory: the quick profile parses the exact argv instead
        return _parse_only(words[1:]), "sweep/atlas: argv parsed by varcheck's own parser (full profile runs them)"
    if words[:2] == [".venv/bin/varcheck", "verify"]:
        ids = [w for w in words[2:] if not w.startswith("-") and not w.endswith((".json", ".md", ".html"))
               and w not in ("quick", "full") and not w.isdigit()]
        if "--profile" in words and words[words.index("--profile") + 1] == "full" or not ids:
            # every claim (~40 s) or the full profile (minutes): the quick profile parses the exact argv instead
            return _parse_only(words[1:]), ("long verify run: argv parsed by varcheck's own parser (full profile runs "
                                            "it)")
    if words[:3] == [".venv/bin/python", "-m", "varcheck.bench"]:
        # benchmarks time repeated runs (a minute or more even for two rows): the quick profile checks that the
        # command parses and that the rows it names exist
        rows = words[words.index("--rows") + 1:] if "--rows" in words else []
        rows = [r for r in rows[:next((i for i, r in enumerate(rows) if r.startswith("-")), len(rows))]]
        check = ("import sys; from varcheck.bench import ROWS; missing = [r for r in sys.argv[1:] if r not in ROWS]; "
                 "sys.exit(f'unknown rows {missing}' if missing else 0)")
        return (f".venv/bin/python -m varcheck.bench --help > /dev/null && .venv/bin/python -c {shlex.quote(check)} "
                f"{' '.join(map(shlex.quote, rows))}", "benchmark: --help and row names (full profile runs it)")
    return command, ""


def _parse_only(argv: list) -> str:
    code = ("import sys; from varcheck.cli import build_parser; a = build_parser().parse_args(sys.argv[1:]); "
            "from varcheck.report.json_report import check_report_path; "
            "getattr(a, 'report', None) and check_report_path(a.report)")
    return f".venv/bin/python -c {shlex.quote(code)} " + " ".join(shlex.quote(w) for w in argv)


def test_every_command_uses_the_set_up_environment():
    """No page tells the reader to run a bare ``python`` or ``varcheck``: after set-up neither is on PATH."""
    bad = []
    for page, _, command in page_commands():
        for segment in re.split(r"\|\||&&|\||;|\$\(|`", command):
            words = _words(segment.strip().lstrip("("))
            if words and words[0] in ("python", "python3", "varcheck", "pytest", "pip"):
                bad.append(f"{page}: {command}")
    assert not bad, "commands that do not run after `bash scripts/setup.sh` (use .venv/bin/…):\n" + "\n".join(bad)


def test_pages_have_commands():
    pages = {page for page, _, _ in page_commands()}
    assert {"README.md", "quickstart.md", "cli.md", "findings.md", "index.md", "performance.md"} <= pages


@pytest.fixture(scope="module")
def workdirs(tmp_path_factory):
    """One fresh directory per page (with the .venv link), shared by that page's commands in order."""
    made = {}

    def get(page: str) -> Path:
        if page not in made:
            made[page] = tmp_path_factory.mktemp("docs-" + page.replace(".", "-"))
            link_venv(made[page])
        return made[page]
    return get


def _cases():
    return [pytest.param(page, exports, command, id=f"{page}: "
                                                    f"{command[:70]}") for page, exports, command in page_commands()
            if page not in RUN_ELSEWHERE]


@pytest.mark.claim("interp.kernel-range")
@pytest.mark.parametrize("page, exports, command", _cases())
def test_command_runs_as_written(page, exports, command, workdirs, request):
    workdir = workdirs(page)
    full = request.config.getoption("--varcheck-profile") == "full"
    to_run, reason = _substitute(command, full)
    script = "\n".join([*exports, to_run])
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=workdir, env=_clean_env(), capture_output=True, text=True,
                          timeout=1800 if full else 600, check=False)
    where = f"{page}: {command}" + (f" [run as: {to_run} — {reason}]" if reason else "")
    assert proc.returncode == 0, f"{where}\nexit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr, f"{where}\n{proc.stderr[-3000:]}"


def test_readme_python_blocks_run_with_the_environment_python(workdirs):
    workdir = workdirs("README.md")
    blocks = re.findall(r"^```python\n(.*?)^```", (REPO / "README.md").read_text(encoding="utf-8"), re.S | re.M)
    assert blocks
    for block in blocks:
        proc = subprocess.run([".venv/bin/python", "-c", block], cwd=workdir, env=_clean_env(), capture_output=True,
                              text=True, timeout=600, check=False)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, block + "\n" + proc.stderr[-3000:]


def test_bare_python_is_what_the_papercut_was():
    """The failure this guards against is real here: the machine's bare python cannot import torch, or is absent."""
    proc = subprocess.run(["bash", "-c", "python -c 'import torch, varcheck'"], env=_clean_env(), capture_output=True,
                          text=True, timeout=120, check=False, cwd="/")
    if proc.returncode == 0:
        pytest.skip("this machine's bare python has torch and varcheck: the check above is then only static")
    assert "ModuleNotFoundError" in proc.stderr or "not found" in proc.stderr


#: Options whose value is a path a command writes (a file, or a directory it fills).
_OUTPUT_OPTIONS = ("--out", "--report", "--json")


def written_paths() -> list:
    """``(page, path)`` for every path a page's commands write: option values and ``> FILE`` redirections."""
    out = []
    for page, _, command in page_commands():
        words = _words(command)
        for i, word in enumerate(words[:-1]):
            if word in _OUTPUT_OPTIONS or word == ">":
                out.append((page, words[i + 1]))
            elif word.startswith(tuple(o + "=" for o in _OUTPUT_OPTIONS)):
                out.append((page, word.split("=", 1)[1]))
    return out


def test_what_the_pages_commands_write_is_ignored_by_git(tmp_path):
    """Running the documented commands from the repository root leaves `git status` clean: every output path
    (reports, models/, atlas/, r.json, …) matches .gitignore."""
    if subprocess.run(["git", "-C", str(REPO), "rev-parse"], capture_output=True, check=False).returncode != 0:
        pytest.skip("not a git checkout: .gitignore cannot be consulted")
    paths = sorted({path for _, path in written_paths() if not path.startswith(("/", "$"))})
    assert {"report.html", "r.json", "models/w2i", "atlas"} <= set(paths), paths
    probes = [p + "/x" if not Path(p).suffix else p for p in paths]  # a directory is ignored when a file inside is
    proc = subprocess.run(["git", "-C", str(REPO), "check-ignore", "--no-index", "--verbose", "--non-matching",
                           *probes], capture_output=True, text=True, check=False)
    not_ignored = [line.split("\t", 1)[1] for line in proc.stdout.splitlines() if line.startswith("::")]
    assert not not_ignored, f"outputs of documented commands that git would show as untracked: {not_ignored}"
