"""The environment manifest every report carries (docs/design.md: versions, seed, git revision).

A published table can only be regenerated bit for bit when the interpreter, library versions,
platform and source revision are known; :func:`environment` collects them and never fails: a
missing library or an absent git checkout is reported as ``None``.
"""

from __future__ import annotations

import platform
import sys

# the version, module-version and git helpers live one layer down, where the sweeps use them too
from ..provenance import git_revision, varcheck_version
from ..provenance import module_version as _module_version

__all__ = ["environment", "varcheck_version", "git_revision"]

#: (report key, importable module) of the libraries whose versions a report records.
_LIBRARIES = (
    ("torch", "torch"),
    ("sympy", "sympy"),
    ("numpy", "numpy"),
    ("python-flint", "flint"),
    ("hypothesis", "hypothesis"),
)


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
