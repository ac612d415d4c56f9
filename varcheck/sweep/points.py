"""Sweep points: what a construction takes, how a point is identified, and running one point.

A *construction* (``contextual_mapping``, ``word_to_image``, ``image_to_image``) declares its parameters
(name, kind, default, range), its *measures* (named groups of result columns, each column typed), an
up-front memory estimate and a run function. A *point* is one assignment of every parameter plus the
measures asked for; its identity is the SHA-256 of the canonical JSON of (construction, parameters,
measures, varcheck version), so a stored result is found again by content, whatever spec asked for it.

:func:`run_point` is the job a Dask worker executes: it builds the construction, computes the measures
and returns a JSON-ready dict. A :class:`~varcheck.errors.VarcheckError` raised by the construction (an
instance it refuses, e.g. a float64 network that cannot be certified below some ε) is a *result*
(status ``refused``, the sentence kept); any other exception propagates and the point is not stored.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from functools import lru_cache

from ..errors import VarcheckError
from .constructions import CONSTRUCTIONS, STATUSES, Construction, Param, canonical_json, parse_pyramid

__all__ = ["Param", "Construction", "CONSTRUCTIONS", "construction", "point_hash", "run_point", "canonical_json",
           "parse_pyramid", "STATUSES"]


def construction(name: str) -> Construction:
    """The registered construction ``name`` (``contextual_mapping``, ``word_to_image``, ``image_to_image``)."""
    _load()
    if name not in CONSTRUCTIONS:
        raise VarcheckError(f"unknown construction {name!r}; the constructions are {', '.join(sorted(CONSTRUCTIONS))}.")
    return CONSTRUCTIONS[name]


def _load():
    """Import the construction modules, which register themselves in CONSTRUCTIONS (once)."""
    import importlib

    for module in ("varcheck.sweep.contextual", "varcheck.sweep.universality"):
        importlib.import_module(module)


def point_hash(construction_name: str, params: dict, measures, version: str) -> str:
    """SHA-256 (hex) of the canonical JSON of a point and the varcheck version that computes it."""
    key = {"construction": construction_name, "params": params, "measures": sorted(measures), "varcheck": version}
    return hashlib.sha256(canonical_json(key).encode("ascii")).hexdigest()


@lru_cache(maxsize=1)
def _stamp() -> dict:
    from ..provenance import git_revision, varcheck_version

    return {"varcheck_version": varcheck_version(), "git_revision": git_revision(),
            "worker": f"{socket.gethostname()}:{os.getpid()}"}


def run_point(point: dict) -> dict:
    """Build and measure one point (the Dask task). ``point``: construction, params, measures, hash.

    Returns the stored record: the point, ``status`` (ok / refused), ``message``, ``values`` (column →
    value), ``seconds``, and provenance (varcheck version, git revision, worker, finish time).
    """
    cons = construction(point["construction"])
    start = time.perf_counter()
    try:
        values = cons.run(dict(point["params"]), tuple(point["measures"]))
        status, message = "ok", ""
    except VarcheckError as exc:
        values, status, message = {}, "refused", " ".join(str(exc).split())
    seconds = time.perf_counter() - start
    columns = cons.measure_columns(point["measures"])
    for column, value in values.items():
        kind = columns.get(column)
        if kind is None or not (value is None or isinstance(value, kind) or (kind is float and isinstance(value, int))):
            raise TypeError(f"{point['construction']} returned {column} = {value!r}, expected {kind}")
    return {**point, "status": status, "message": message,
            "values": {c: (float(v) if columns[c] is float and v is not None else v) for c, v in values.items()},
            "seconds": seconds, "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **_stamp()}
