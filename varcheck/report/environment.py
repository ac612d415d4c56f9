"""The environment manifest every report carries (DESIGN.md: versions, seed, git revision).

A published table can only be regenerated bit for bit when the interpreter, library versions,
platform and source revision are known; :func:`environment` collects them and never fails: a
missing library or an absent git checkout is reported as ``None``.
"""

from __future__ import annotations

import importlib
import platform
import subprocess
import sys
import warnings
from pathlib import Path

__all__ = ["environment", "varcheck_version", "git_revision"]

#: (report key, importable module) of the libraries whose versions a report records.
_LIBRARIES = (
    ("torch", "torch"),
    ("sympy", "sympy"),
    ("numpy", "numpy"),
    ("python-flint", "flint"),
    ("hypothesis", "hypothesis"),
)

_FALLBACK_VERSION = "0.1.0"


def varcheck_version() -> str:
    """``varcheck.__version__``, else the installed distribution's version, else ``"0.1.0"``."""
    import varcheck

    version = getattr(varcheck, "__version__", None)
    if isinstance(version, str) and version:
        return version
    try:
        from importlib.metadata import PackageNotFoundError, version as dist_version

        return dist_version("varcheck")
    except (ImportError, PackageNotFoundError):
        return _FALLBACK_VERSION


def _module_version(module_name: str):
    """The ``__version__`` of an importable module, or ``None`` when it cannot be imported."""
    module = sys.modules.get(module_name)
    if module is None:
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
    repo = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    revision = out.stdout.strip()
    return revision if out.returncode == 0 and revision else None


def environment() -> dict:
    """Versions of python and the numeric libraries, the platform and the git revision."""
    env = {
        "varcheck": varcheck_version(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
    }
    for key, module_name in _LIBRARIES:
        env[key] = _module_version(module_name)
    env["platform"] = platform.platform()
    env["machine"] = platform.machine()
    env["executable"] = sys.executable
    env["git_revision"] = git_revision()
    return env
