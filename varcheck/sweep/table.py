"""The results table of a sweep: one row per (study, point), typed columns, provenance.

Parquet (pyarrow) when available, CSV otherwise. Columns: the study and point identity, every
parameter of every construction in the spec (a rational parameter such as ε as a float column plus an
exact ``*_exact`` string column), every measured column (types declared by the construction), the
status and message, the seconds a point took, and the stamp of the process that computed it (varcheck
version, git revision, worker, finish time). The table-wide provenance (spec name and identity, seed,
library versions, git revision, executor) is in the Parquet schema metadata under ``varcheck`` and in
``provenance.json`` beside the table (which also records the column types, so a CSV reads back typed).
"""

from __future__ import annotations

import csv
import io
import json
import time
from fractions import Fraction
from pathlib import Path

from .points import construction
from .store import atomic_write_text

__all__ = ["results_rows", "table_columns", "write_table", "read_results", "TABLE_NAMES", "PROVENANCE_FILE"]

TABLE_NAMES = ("results.parquet", "results.csv")
PROVENANCE_FILE = "provenance.json"
_BASE = (("study", str), ("construction", str), ("point_hash", str), ("status", str), ("message", str),
         ("seconds", float), ("worker", str), ("varcheck_version", str), ("git_revision", str), ("finished_at", str))
_TYPE_NAMES = {int: "int", float: "float", bool: "bool", str: "str"}


def _param_columns(cons) -> list:
    out = []
    for p in cons.params:
        if p.kind in ("int",):
            out.append((p.name, int))
        elif p.kind == "bool":
            out.append((p.name, bool))
        elif p.kind in ("rational", "exponent"):
            out += [(p.name, float), (f"{p.name}_exact", str)]
        else:
            out.append((p.name, str))
    return out


def table_columns(spec) -> dict:
    """Column name → Python type for the table of ``spec`` (base, parameters, then measured columns)."""
    columns = dict(_BASE)
    for study in spec.studies:
        cons = construction(study.construction)
        for name, kind in _param_columns(cons) + list(cons.measure_columns(study.measures).items()):
            if columns.setdefault(name, kind) is not kind:
                raise TypeError(f"column {name} has two types ({columns[name]} and {kind})")  # pragma: no cover
    return columns


def results_rows(spec, store, errors=None) -> list:
    """One dict per (study, point): the stored record, or an ``error``/``pending`` row for the others."""
    errors = errors or {}
    rows = []
    for study in spec.studies:
        cons = construction(study.construction)
        for point in study.points:
            record = store.get(point["hash"])
            row = {"study": study.name, "construction": study.construction, "point_hash": point["hash"]}
            for p in cons.params:
                value = point["params"][p.name]
                if p.kind in ("rational", "exponent"):
                    row[p.name], row[f"{p.name}_exact"] = float(Fraction(str(value))), str(value)
                else:
                    row[p.name] = value
            if record is None:
                row["status"] = "error" if point["hash"] in errors else "pending"
                row["message"] = errors.get(point["hash"], "")
            else:
                row.update({k: record.get(k) for k in ("status", "message", "seconds", "worker", "varcheck_version",
                                                       "git_revision", "finished_at")})
                row.update(record.get("values", {}))
            rows.append(row)
    return rows


def _provenance(spec, run_info: dict, columns: dict) -> dict:
    from ..provenance import git_revision, library_versions, varcheck_version

    return {"spec": spec.name, "spec_identity": spec.identity, "seed": spec.seed, "source": spec.source,
            "varcheck_version": varcheck_version(), "git_revision": git_revision(),
            "versions": library_versions(import_them=True), "written_at": time.strftime(
                "%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **run_info, "columns": {k: _TYPE_NAMES[v] for k, v in columns.items()}}


def write_table(directory, spec, rows, run_info: dict, *, fmt: str | None = None) -> Path:
    """Write the table (``fmt`` ``parquet``/``csv``; default Parquet when pyarrow imports) and provenance.json."""
    directory = Path(directory)
    columns = table_columns(spec)
    provenance = _provenance(spec, run_info, columns)
    if fmt is None:
        try:
            import pyarrow  # noqa: F401

            fmt = "parquet"
        except ImportError:
            fmt = "csv"
    provenance["format"] = fmt
    for name in TABLE_NAMES:  # a stale table of the other format would contradict this one
        if not name.endswith(fmt):
            (directory / name).unlink(missing_ok=True)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {int: pa.int64(), float: pa.float64(), bool: pa.bool_(), str: pa.string()}
        schema = pa.schema([(k, types[v]) for k, v in columns.items()],
                           metadata={"varcheck": json.dumps(provenance, sort_keys=True)})
        table = pa.Table.from_pylist([{k: row.get(k) for k in columns} for row in rows], schema=schema)
        path = directory / "results.parquet"
        tmp = directory / ".results.parquet.tmp"
        pq.write_table(table, tmp)
        tmp.replace(path)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
        path = directory / "results.csv"
        atomic_write_text(path, buffer.getvalue())
    atomic_write_text(directory / PROVENANCE_FILE, json.dumps(provenance, sort_keys=True, indent=1) + "\n")
    return path


def _cast(text: str, kind: str):
    if text == "":
        return None
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        return text == "True"
    return text


def read_results(directory) -> tuple:
    """(rows, provenance) of a sweep directory's table, typed (Parquet, or CSV with provenance.json's types)."""
    from ..errors import VarcheckError

    directory = Path(directory)
    try:
        provenance = json.loads((directory / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise VarcheckError(f"{directory} holds no sweep table ({PROVENANCE_FILE} is missing or unreadable); "
                            "run `varcheck sweep SPEC --out DIR` first.") from None
    parquet, text = directory / TABLE_NAMES[0], directory / TABLE_NAMES[1]
    if provenance.get("format") == "parquet" and parquet.is_file():
        import pyarrow.parquet as pq

        return pq.read_table(parquet).to_pylist(), provenance
    if text.is_file():
        types = provenance.get("columns", {})
        with open(text, newline="", encoding="utf-8") as fh:
            rows = [{k: _cast(v, types.get(k, "str")) for k, v in row.items()} for row in csv.DictReader(fh)]
        return rows, provenance
    raise VarcheckError(f"{directory} has {PROVENANCE_FILE} but no results table; re-run the sweep to write it.")
