"""Provenance of a result: the varcheck version, the git revision and library versions.

These helpers sit at the bottom of the package (beside varcheck.errors) so that every layer that stamps a
result — the sweeps (every stored point and the results table), the reports (:mod:`varcheck.report.environment`),
the CLI's ``--version`` — uses one definition, and the package's ``__version__`` is :data:`VERSION`. None of them
ever fails: a missing library or an absent git checkout is ``None``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings
from pathlib import Path

__all__ = ["VERSION", "varcheck_version", "git_revision", "module_version", "library_versions", "SWEEP_LIBRARIES"]

#: varcheck's version (``varcheck.__version__``; pyproject.toml states the same).
VERSION = "0.1.0"

#: (key, importable module) of the libraries whose versions a sweep's provenance records.
SWEEP_LIBRARIES = (
    ("numpy", "numpy"),
    ("sympy", "sympy"),
    ("python-flint", "flint"),
    ("torch", "torch"),
    ("dask", "dask"),
    ("distributed", "distributed"),
    ("pyarrow", "pyarrow"),
)


def varcheck_version() -> str:
    """varcheck's version (:data:`VERSION`, the package's ``__version__``)."""
    return VERSION


def module_version(module_name: str, *, import_it: bool = True):
    """The ``__version__`` of a module (imported when ``import_it`` and not yet loaded), or ``None``."""
    module = sys.modules.get(module_name)
    if module is None:
        if not import_it:
            return None
        try:
            # Import-time deprecation chatter of a third-party library is not a varcheck failure
            # (tests run with warnings as errors, which would leave a half-imported module).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(module_name)
        except Exception:  # an absent or broken optional library is reported, never fatal
            return None
    version = getattr(module, "__version__", None)
    return str(version) if version is not None else None


def git_revision():
    """The commit of the checkout holding the varcheck package, or ``None`` outside a git checkout."""
    repo = Path(__file__).resolve().parents[1]
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    revision = out.stdout.strip()
    return revision if out.returncode == 0 and revision else None


def library_versions(libraries=SWEEP_LIBRARIES, *, import_them: bool = False) -> dict:
    """Versions of python and ``libraries``; by default only of those already imported (no import cost)."""
    import platform

    versions = {"python": platform.python_version()}
    for key, module_name in libraries:
        versions[key] = module_version(module_name, import_it=import_them)
    return versions
