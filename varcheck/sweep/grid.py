"""Sweep specs: parsing (TOML or JSON), strict up-front validation, and expansion into points.

A spec names studies; each study names a construction, its measures and a grid (a table of
parameter → value or list of values, or a list of such tables whose products are joined)::

    name = "default"
    seed = 0
    memory_cap = "4 GiB"            # per point, estimated before anything runs

    [[study]]
    name = "bits-vs-G"
    construction = "contextual_mapping"
    measures = ["constants", "gamma", "bits", "logits", "feasibility"]
    [study.grid]
    variant = ["tight", "paper"]
    G = [2, 3, 4, 6, 8]
    n = 2

Everything is checked before a single job is submitted: unknown keys, constructions, parameters or
measures, empty grids, sizes out of range (negative, zero), instances the builder would refuse by size,
and each point's memory estimate against the cap. The first problem is one :class:`VarcheckError`
sentence that names the spec, the study and the point.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import VarcheckError, closest, shown
from .points import canonical_json, construction, point_hash

__all__ = ["SweepSpec", "Study", "load_spec", "parse_spec", "shipped_spec_path", "SHIPPED_SPECS", "parse_bytes",
           "DEFAULT_MEMORY_CAP", "MAX_POINTS", "format_bytes"]

#: Per-point memory cap when a spec gives none: the project's machines have 24 GiB and 2 cores, so one point
#: per core at 4 GiB leaves two thirds of the memory to the client, the OS and the workers' own imports.
DEFAULT_MEMORY_CAP = 4 * 2**30
#: A spec expanding to more points than this is refused (a typo in a grid should not submit a million jobs).
MAX_POINTS = 100_000
#: Spec names shipped with varcheck (``varcheck sweep default``), files in ``varcheck/sweep/specs``.
SHIPPED_SPECS = ("default", "full")

_TOP_KEYS = {"name", "description", "seed", "memory_cap", "study"}
_STUDY_KEYS = {"name", "description", "construction", "measures", "grid"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30,
          "tib": 2**40}


def parse_bytes(value, where: str = "memory_cap") -> int:
    """A byte count from an int or a string like ``"4 GiB"``, ``"512MB"``."""
    if isinstance(value, bool):
        raise VarcheckError(f"{where} must be a byte count like 4294967296 or '4 GiB', got {value!r}.")
    if isinstance(value, int):
        number, unit = value, "b"
    elif isinstance(value, str) and (m := re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", value)):
        number, unit = float(m.group(1)), (m.group(2) or "b").lower()
    else:
        raise VarcheckError(f"{where} must be a byte count like 4294967296 or '4 GiB', got {value!r}.")
    if unit not in _UNITS:
        raise VarcheckError(f"{where} has unknown unit {unit!r}; use B, KB, MB, GB, KiB, MiB or GiB.")
    total = int(number * _UNITS[unit])
    if total <= 0:
        raise VarcheckError(f"{where} must be > 0, got {value!r}.")
    return total


def format_bytes(n: float) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} B"


@dataclass
class Study:
    """One study of a spec: a construction, its measures, and its expanded, validated points."""

    name: str
    construction: str
    measures: tuple
    points: list  # dicts: construction, params, measures, hash
    description: str = ""


@dataclass
class SweepSpec:
    """A validated sweep spec. ``identity`` hashes what determines the results (not the description or cap)."""

    name: str
    seed: int
    memory_cap: int
    studies: list
    description: str = ""
    source: str = "<spec>"
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def identity(self) -> str:
        import hashlib

        key = {"name": self.name, "seed": self.seed,
               "studies": [{"name": s.name, "construction": s.construction, "measures": list(s.measures),
                            "params": [p["params"] for p in s.points]} for s in self.studies]}
        return hashlib.sha256(canonical_json(key).encode("ascii")).hexdigest()

    def points(self) -> list:
        """Every distinct point of the spec (a point shared by two studies is computed once)."""
        seen = {}
        for study in self.studies:
            for p in study.points:
                seen.setdefault(p["hash"], p)
        return list(seen.values())

    def to_json(self) -> dict:
        return {"name": self.name, "description": self.description, "seed": self.seed, "memory_cap": self.memory_cap,
                "identity": self.identity, "source": self.source, "spec": self.raw}


def shipped_spec_path(name: str) -> Path:
    """The path of a spec shipped with varcheck (``default`` or ``full``)."""
    from importlib import resources

    return Path(str(resources.files("varcheck.sweep") / "specs" / f"{name}.toml"))


def _missing_spec(text: str, path: Path) -> str:
    """Why ``text`` names no spec: a directory, a missing file, or neither a file nor a shipped name."""
    allowed = f"a .toml or .json file or a shipped spec ({', '.join(SHIPPED_SPECS)})"
    if path.is_dir():
        return f"SPEC {shown(text)} is a directory; give {allowed}."
    match = closest(text, SHIPPED_SPECS)
    if match:
        return f"SPEC {shown(text)} is no file and no shipped spec (did you mean {match!r}?); give {allowed}."
    if path.suffix or len(path.parts) > 1:
        return f"SPEC {shown(text)} does not exist (no such file); give {allowed}."
    return f"SPEC {shown(text)} is no file and no shipped spec; give {allowed}."


def load_spec(spec) -> SweepSpec:
    """Load and validate a spec: a path to a ``.toml``/``.json`` file, a shipped name, or a dict."""
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, dict):
        return parse_spec(spec, "<dict>")
    text = str(spec)
    path = shipped_spec_path(text) if text in SHIPPED_SPECS and not Path(text).exists() else Path(text)
    if not path.is_file():
        raise VarcheckError(_missing_spec(text, path))
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise VarcheckError(f"SPEC {path.name} must end in .toml or .json, got {suffix or 'no suffix'!r}.")
    try:
        if suffix == ".toml":
            import tomllib

            data = tomllib.loads(path.read_text(encoding="utf-8"))
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:  # tomllib.TOMLDecodeError and JSONDecodeError are ValueErrors
        raise VarcheckError(f"SPEC {path.name} is not valid {suffix[1:].upper()}: "
                            f"{' '.join(str(exc).split())}.") from None
    if not isinstance(data, dict):
        raise VarcheckError(f"SPEC {path.name} must hold a table of keys at the top level.")
    data.setdefault("name", path.stem)
    return parse_spec(data, path.name)


def _grid_size(grid) -> int:
    """How many points a grid expands to (before any validation)."""
    tables = grid if isinstance(grid, list) else [grid]
    total = 0
    for table in tables:
        if isinstance(table, dict):
            size = 1
            for values in table.values():
                size *= len(values) if isinstance(values, list) else 1
            total += size
    return total


def _grid_points(grid, where):
    tables = grid if isinstance(grid, list) else [grid]
    if not tables or not all(isinstance(t, dict) for t in tables):
        raise VarcheckError(f"{where}: grid must be a table of parameter = value or [values], or a list of such "
                            "tables.")
    for table in tables:
        if not table:
            raise VarcheckError(f"{where}: the grid is empty (a grid table names no parameter).")
        axes = []
        for key, values in table.items():
            values = values if isinstance(values, list) else [values]
            if not values:
                raise VarcheckError(f"{where}: the grid is empty (parameter {key!r} has no value).")
            axes.append([(key, v) for v in values])
        for combo in itertools.product(*axes):
            yield dict(combo)


def _fmt_point(params: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


def parse_spec(data: dict, source: str = "<spec>") -> SweepSpec:
    """Validate a spec given as a dict (what a TOML/JSON file holds); see the module docstring."""
    from ..provenance import varcheck_version

    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise VarcheckError(f"{source}: unknown key {unknown[0]!r}; a spec has {', '.join(sorted(_TOP_KEYS))}.")
    name = data.get("name", "sweep")
    if not isinstance(name, str) or not _NAME.match(name):
        raise VarcheckError(f"{source}: name must be letters, digits, '.', '_' or '-', got {name!r}.")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise VarcheckError(f"{source}: seed must be a non-negative integer, got {seed!r}.")
    cap = parse_bytes(data.get("memory_cap", DEFAULT_MEMORY_CAP), f"{source}: memory_cap")
    studies_raw = data.get("study")
    if not isinstance(studies_raw, list) or not studies_raw:
        raise VarcheckError(f"{source}: the spec has no study; add at least one [[study]] table.")
    count = sum(_grid_size(raw.get("grid", {})) for raw in studies_raw if isinstance(raw, dict))
    if count > MAX_POINTS:
        raise VarcheckError(f"{source}: the grids expand to {count} points, more than {MAX_POINTS}; split the sweep.")
    version = varcheck_version()
    studies, names = [], set()
    for i, raw in enumerate(studies_raw):
        if not isinstance(raw, dict):
            raise VarcheckError(f"{source}: study {i} must be a table.")
        sname = raw.get("name", f"study-{i}")
        where = f"{source}, study {sname!r}"
        bad = sorted(set(raw) - _STUDY_KEYS)
        if bad:
            raise VarcheckError(f"{where}: unknown key {bad[0]!r}; a study has {', '.join(sorted(_STUDY_KEYS))}.")
        if not isinstance(sname, str) or not _NAME.match(sname) or sname in names:
            raise VarcheckError(f"{where}: study names must be unique and made of letters, digits, '.', '_' or '-'.")
        names.add(sname)
        if "construction" not in raw:
            raise VarcheckError(f"{where}: the study names no construction.")
        try:
            cons = construction(raw["construction"])
        except VarcheckError as exc:
            raise VarcheckError(f"{where}: {exc}") from None
        measures = raw.get("measures", list(cons.default_measures))
        if not isinstance(measures, list) or not measures:
            raise VarcheckError(f"{where}: measures must be a non-empty list of {', '.join(cons.measures)}.")
        for m in measures:
            if m not in cons.measures:
                raise VarcheckError(f"{where}: unknown measure {m!r} for {cons.name}; its measures are "
                                    f"{', '.join(cons.measures)}.")
        measures = tuple(dict.fromkeys(measures))
        if "grid" not in raw:
            raise VarcheckError(f"{where}: the study has no grid.")
        points = []
        for params_raw in _grid_points(raw["grid"], where):
            try:
                params = cons.normalize(params_raw, seed)
                cons.check(params, measures)
                need = cons.memory_bytes(params, measures)
            except VarcheckError as exc:
                raise VarcheckError(f"{where}, point {_fmt_point(params_raw)}: {exc}") from None
            if need > cap:
                raise VarcheckError(f"{where}, point {_fmt_point(params_raw)}: the point would need about "
                                    f"{format_bytes(need)}, above the memory cap of {format_bytes(cap)}; lower its "
                                    "sizes or raise memory_cap.")
            points.append({"construction": cons.name, "params": params, "measures": list(measures),
                           "hash": point_hash(cons.name, params, measures, version)})
        studies.append(Study(sname, cons.name, measures, _unique(points), raw.get("description", "")))
    return SweepSpec(name, seed, cap, studies, data.get("description", ""), source, raw=data)


def _unique(points):
    seen = {}
    for p in points:
        seen.setdefault(p["hash"], p)
    return list(seen.values())
