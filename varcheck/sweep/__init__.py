"""Sweeps of constructions over sizes and precisions, run on Dask (the realisability atlas).

Layer: above ``check`` (it builds the constructions and reuses their evidence helpers), below
``report`` (which draws the atlas from the table a sweep writes). Importing this package is cheap:
Dask, pyarrow and tqdm are imported only when a sweep runs.

    varcheck sweep default --out atlas          # the shipped default spec, on a local Dask cluster
    varcheck atlas atlas                        # figures, growth laws, HTML page

Python API: :func:`run_sweep`, :func:`load_spec`, :func:`read_results`, :func:`fit_growth_laws`.
"""

from __future__ import annotations

__all__ = ["run_sweep", "SweepSummary", "load_spec", "SweepSpec", "read_results", "fit_growth_laws", "GrowthFit",
           "construction", "CONSTRUCTION_NAMES"]

#: The constructions a spec can name.
CONSTRUCTION_NAMES = ("contextual_mapping", "word_to_image", "image_to_image")

_LAZY = {
    "run_sweep": "runner", "SweepSummary": "runner", "load_spec": "grid", "SweepSpec": "grid",
    "read_results": "table", "fit_growth_laws": "growth", "GrowthFit": "growth", "construction": "points",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
