#!/usr/bin/env bash
# Set up varcheck in ./.venv (idempotent). Usage: bash scripts/setup.sh [--dev]
#   --dev  also install the test and notebook tools (pytest, Jupyter kernel, jupytext, Dask, onnx).
# Torch: an installed torch >= 2.1 (in this Python or the venv) is kept as it is; only when none is
# found is the CPU build torch==2.13.0 installed, so that pip never resolves an unpinned torch to a
# multi-GB CUDA build. Override the pin with VARCHECK_TORCH_SPEC (e.g. "torch==2.14.1").
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
case "${1:-}" in
  --dev) extras="[dev]" ;;
  "") ;;
  *) echo "setup.sh: unknown option '$1'; allowed: --dev" >&2; exit 2 ;;
esac

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "setup.sh: varcheck needs Python >= 3.10; set PYTHON to one (found: $("$PYTHON" --version 2>&1 || echo none))." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup.sh: creating .venv (with access to this Python's packages, so an installed torch is reused)"
  "$PYTHON" -m venv --system-site-packages .venv
fi
VPY=.venv/bin/python
pip_install() { "$VPY" -m pip install --quiet --disable-pip-version-check "$@"; }

if ! "$VPY" - <<'PY' 2>/dev/null
import sys
import torch
major, minor = (int(p) for p in torch.__version__.split(".")[:2])
sys.exit(0 if (major, minor) >= (2, 1) else 1)
PY
then
  spec="${VARCHECK_TORCH_SPEC:-torch==2.13.0}"
  echo "setup.sh: no torch >= 2.1 found; installing $spec"
  pip_install "$spec"
fi

echo "setup.sh: installing varcheck$extras (editable)"
pip_install -e ".$extras"
"$VPY" -c 'import varcheck, torch, flint; print(f"setup.sh: varcheck {varcheck.__version__} ready (torch {torch.__version__}, python-flint {flint.__version__})")'
