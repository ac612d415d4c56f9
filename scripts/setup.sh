#!/usr/bin/env bash
# Set up varcheck in ./.venv (idempotent). Usage: bash scripts/setup.sh [--dev] [--notebooks]
#   --dev        also install the test tools (pytest, Jupyter kernel, jupytext, nbconvert, JupyterLab, Dask, onnx).
#   --notebooks  also install JupyterLab with jupytext, to open and run proofs/*.py as notebooks
#                (.venv/bin/jupyter lab proofs/), and what `varcheck notebooks --out DIR` needs.
# With JupyterLab installed, a proof notebook (a .py file in jupytext's percent format) opens as a notebook on a
# double click: scripts/jupyterlab-overrides.json becomes the venv's JupyterLab settings overrides (an overrides file
# already there is left as it is).
# Torch: an installed torch >= 2.1 (in this Python or the venv) is kept as it is; only when none is
# found is the CPU build torch==2.13.0 installed, so that pip never resolves an unpinned torch to a
# multi-GB CUDA build. Override the pin with VARCHECK_TORCH_SPEC (e.g. "torch==2.14.1").
set -euo pipefail
cd "$(dirname "$0")/.."

names=()
for option in "$@"; do
  case "$option" in
    --dev) names+=("dev") ;;
    --notebooks) names+=("notebooks") ;;
    *) echo "setup.sh: unknown option '$option'; allowed: --dev, --notebooks" >&2; exit 2 ;;
  esac
done
extras=""
if [ "${#names[@]}" -gt 0 ]; then
  extras="[$(IFS=,; echo "${names[*]}")]"
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  found="$("$PYTHON" --version 2>&1 || echo none)"
  echo "setup.sh: varcheck needs Python >= 3.10; set PYTHON to one (found: $found)." >&2
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
overrides=.venv/share/jupyter/lab/settings/overrides.json
if [ -x .venv/bin/jupyter-lab ] && [ ! -e "$overrides" ]; then
  mkdir -p "$(dirname "$overrides")" && cp scripts/jupyterlab-overrides.json "$overrides"
  echo "setup.sh: JupyterLab opens proofs/*.py as notebooks (.venv/bin/jupyter lab proofs/)"
fi
"$VPY" -c 'import varcheck, torch, flint; print(f"setup.sh: varcheck {varcheck.__version__} ready \
(torch {torch.__version__}, python-flint {flint.__version__})")'
