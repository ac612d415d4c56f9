"""The content-addressed result store of a sweep directory, and the guard on ``--out``.

Layout of a sweep directory::

    DIR/spec.json                    the validated spec, its identity hash and the source text
    DIR/points/ab/ab12…ef.json       one finished point, named by its hash (see :func:`point_hash`)
    DIR/results.parquet | .csv       the table of every point (:mod:`varcheck.sweep.table`)
    DIR/provenance.json              versions, seed, git revision, executor of the last run

A point file is written to a temporary name in its own folder, flushed to disk, then renamed over its
final name (``os.replace`` is atomic on POSIX): a process killed mid-write leaves at most a ``.tmp``
file, never a truncated point, so a re-run trusts every ``.json`` it finds and skips those points.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from ..errors import VarcheckError

__all__ = ["ResultStore", "prepare_directory", "atomic_write_text", "SPEC_FILE"]

SPEC_FILE = "spec.json"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, fsync, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


class ResultStore:
    """Finished points of a sweep directory, one JSON file per point hash."""

    def __init__(self, directory):
        self.root = Path(directory) / "points"

    def path(self, point_hash: str) -> Path:
        return self.root / point_hash[:2] / f"{point_hash}.json"

    def get(self, point_hash: str):
        """The stored record of a point, or ``None`` when it has not finished (or its file is not a record of it)."""
        path = self.path(point_hash)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("hash") == point_hash else None

    def has(self, point_hash: str) -> bool:
        return self.get(point_hash) is not None

    def put(self, record: dict) -> Path:
        """Store a finished point atomically; only measured or refused points are stored."""
        if record.get("status") not in ("ok", "refused"):
            raise VarcheckError(f"only finished points are stored, got status {record.get('status')!r}.")
        path = self.path(record["hash"])
        atomic_write_text(path, json.dumps(record, sort_keys=True, indent=1, allow_nan=False) + "\n")
        return path

    def hashes(self) -> set:
        """Hashes of every stored point file (without reading them)."""
        if not self.root.is_dir():
            return set()
        return {p.stem for p in self.root.glob("*/*.json")}

    def remove_temporaries(self) -> int:
        """Delete the ``.tmp`` files a killed writer left behind; returns how many."""
        if not self.root.is_dir():
            return 0
        count = 0
        for tmp in self.root.glob("*/.*.tmp"):
            tmp.unlink(missing_ok=True)
            count += 1
        return count


def prepare_directory(directory, spec, *, force: bool = False) -> Path:
    """Make ``directory`` the sweep directory of ``spec``: create it, resume it, or refuse it.

    A new or empty directory is created and the spec recorded. A directory recording the same spec
    (same identity) is resumed. A directory recording another spec is refused unless ``force`` (the spec
    is then replaced; stored points stay and are reused where their hash still occurs). A non-empty
    directory that is not a sweep directory is always refused: nothing a user wrote is overwritten.
    """
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise VarcheckError(f"--out {out} exists and is not a directory.")
    spec_path = out / SPEC_FILE
    if out.is_dir() and any(out.iterdir()):
        try:
            recorded = json.loads(spec_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise VarcheckError(f"--out {out} is not empty and holds no varcheck sweep ({SPEC_FILE} is missing or "
                                "unreadable); choose a new or empty directory.") from None
        if recorded.get("identity") == spec.identity:
            return out
        if not force:
            raise VarcheckError(f"--out {out} holds the sweep of another spec ({recorded.get('name')!r}, identity "
                                f"{str(recorded.get('identity'))[:12]}); use another directory, or --force to replace "
                                "its spec (stored points are kept and reused where they match).")
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(spec_path, json.dumps(spec.to_json(), sort_keys=True, indent=1, default=str) + "\n")
    return out
