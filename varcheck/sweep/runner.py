"""``run_sweep``: validate a spec, resume its directory, run the missing points, write the table.

    from varcheck.sweep import run_sweep
    summary = run_sweep("default", "atlas-out", executor="local", workers=2)
    print(summary.line())

Order of work: (1) the spec is loaded and validated in full (every point, memory estimates included)
and the executor string parsed; (2) ``--out`` is created, resumed or refused; (3) the points not yet
stored are submitted, largest first; each finished point is stored atomically the moment it arrives;
(4) the table and provenance are written (also after failures or Ctrl-C, with what is finished).
Nothing is submitted before (1) and (2) succeeded.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import VarcheckError
from .execution import default_workers, execute, parse_executor
from .grid import load_spec
from .points import construction
from .store import ResultStore, prepare_directory
from .table import results_rows, write_table

__all__ = ["run_sweep", "SweepSummary", "cmd_sweep"]


@dataclass
class SweepSummary:
    """What a sweep run did: point counts, failures (point hash → sentence), the table, the time."""

    spec: str
    directory: Path
    total: int
    skipped: int
    computed: int
    refused: int
    failed: dict = field(default_factory=dict)
    table: Path | None = None
    seconds: float = 0.0
    executor: str = "local"
    workers: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        return (f"sweep {self.spec}: {self.total} points — {self.skipped} already stored (skipped), {self.computed} "
                f"computed ({self.refused} refused by their construction), {len(self.failed)} failed; "
                f"{self.seconds:.1f} s on {self.executor}"
                + (f" ({self.workers} "
                   "workers)" if self.executor != "serial" and self.computed + len(self.failed) else "")
                + (f"; table {self.table}" if self.table else ""))


def run_sweep(spec, out, *, executor: str = "local", workers: int | None = None, force: bool = False,
              progress=None, table_format: str | None = None) -> SweepSummary:
    """Run (or resume) the sweep ``spec`` (a path, a shipped name or a dict) into directory ``out``.

    ``executor``: ``local`` (a LocalCluster of ``workers`` processes, default one per core), ``serial``, or
    ``tcp://HOST:PORT``. ``force`` replaces the spec recorded in a directory of another sweep (its stored
    points stay and are reused where they match). ``progress``: show a tqdm bar (default: when stderr is a
    terminal).
    """
    start = time.perf_counter()
    sweep = load_spec(spec)
    executor = parse_executor(executor)
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise VarcheckError(f"--workers must be an integer ≥ 1, got {workers!r}.")
        if executor != "local":
            raise VarcheckError("--workers applies to --executor local only (a remote cluster has its own), got "
                                f"{executor}.")
    created = not Path(out).exists()
    directory = prepare_directory(out, sweep, force=force)
    store = ResultStore(directory)
    store.remove_temporaries()
    points = sweep.points()
    todo = [p for p in points if not store.has(p["hash"])]
    todo.sort(key=lambda p: -construction(p["construction"]).work(p["params"]))
    summary = SweepSummary(sweep.name, directory, len(points), len(points) - len(todo), 0, 0, executor=executor)

    def on_result(record):
        store.put(record)
        summary.computed += 1
        summary.refused += record["status"] == "refused"

    def on_error(point, exc):
        summary.failed[point["hash"]] = f"{type(exc).__name__}: {' '.join(str(exc).split())}"

    info = {"executor": executor, "workers": 0}
    try:
        info = execute(
            todo,
            executor=executor,
            workers=workers if executor != "local" else (workers or default_workers()),
            on_result=on_result,
            on_error=on_error,
            progress=progress,
            skipped=summary.skipped,
        )
    except VarcheckError:
        if summary.computed == 0:  # refused before any point ran (no scheduler answered): the disk stays as it was
            if created:
                shutil.rmtree(directory, ignore_errors=True)
            raise
        _finish(summary, sweep, store, info, table_format, start)
        raise
    except BaseException:  # an interrupt or a lost cluster: the table still lists every finished point
        _finish(summary, sweep, store, info, table_format, start)
        raise
    _finish(summary, sweep, store, info, table_format, start)
    return summary


def _finish(summary: SweepSummary, sweep, store: ResultStore, info: dict, table_format, start: float) -> None:
    """Write the results table and its provenance for what the store holds."""
    summary.workers = info.get("workers", 0)
    summary.table = write_table(summary.directory, sweep, results_rows(sweep, store, summary.failed),
                                {"executor": summary.executor, "workers": summary.workers}, fmt=table_format)
    summary.seconds = time.perf_counter() - start


def cmd_sweep(args) -> int:
    """The ``varcheck sweep`` command: exit 0 when every point finished, 1 when one failed, 2 on bad input."""
    summary = run_sweep(args.spec, args.out, executor=args.executor, workers=args.workers, force=args.force,
                        progress=False if args.no_progress else None)
    print(summary.line())
    if summary.failed:
        for point_hash, message in list(summary.failed.items())[:5]:
            print(f"failed point {point_hash[:12]}: {message}", file=sys.stderr)
        print(f"{len(summary.failed)} point(s) failed and were not stored; re-running the sweep retries them.",
              file=sys.stderr)
        return 1
    return 0
