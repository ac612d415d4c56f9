"""Benchmark rows of the sweeps (``python -m varcheck.bench --rows sweep-dask sweep-overhead``).

* ``sweep-dask``: the same certification points run serially in this process and on a LocalCluster of 2
  worker processes, in one run; throughput ratio with and without the cluster's start-up (target ≥ 1.6×
  on 2 cores). Points: tight contextual mappings of sampled 6-token families (0.5–1.5 s each).
  ``point_time_inflation``: the points' own summed seconds on the workers over the serial run's — above 1
  when the workers got less CPU than the serial run (other processes on the cores), which caps the speedup
  at about workers/inflation whatever the scheduler does.
* ``sweep-overhead``: scheduling overhead per point: many near-empty points (a one-sequence vocabulary,
  ~1 ms of work) through Dask against the same points serially: (T_dask − T_serial/W)/N.

Both call :func:`varcheck.sweep.execution.execute` (the code path of ``varcheck sweep``) without the store,
so they time scheduling and computation, not JSON writing.
"""

from __future__ import annotations

import time

__all__ = ["bench_sweep_dask", "bench_sweep_overhead", "THROUGHPUT_TARGET"]

#: The target speed-up of 2 Dask workers against serial on 2 cores.
THROUGHPUT_TARGET = 1.6


def _points(spec: dict) -> list:
    from .grid import parse_spec

    return parse_spec(spec, "bench").points()


def _serial(points) -> tuple:
    from .execution import execute

    results, errors = [], []
    start = time.perf_counter()
    execute(points, executor="serial", on_result=results.append, on_error=lambda p, e: errors.append(e), progress=False)
    return time.perf_counter() - start, results, errors


def _dask(points, workers: int) -> tuple:
    from distributed import as_completed

    from .execution import TASK_PREFIX, dask_client
    from .points import run_point

    start = time.perf_counter()
    with dask_client("local", workers) as client:
        # warm the workers (every import a point makes: the construction's modules, torch, python-flint) so that
        # the timed part is computation and scheduling, as in the serial run of the same process
        client.run(_warm)
        up = time.perf_counter()
        futures = client.map(run_point, points, key=[TASK_PREFIX + p["hash"] for p in points], pure=False)
        results = [f.result() for f in as_completed(futures)]
        done = time.perf_counter()
    return up - start, done - up, results


def _warm() -> None:
    import importlib

    for module in ("varcheck.sweep.contextual", "varcheck.sweep.universality", "varcheck.exact.contextual_mapping",
                   "varcheck.exact.token_family", "varcheck.claims.attention.precision",
                       "varcheck.runtime.attention", "flint", "torch"):
        importlib.import_module(module)


def _same_values(a, b) -> bool:
    key = lambda r: r["hash"]  # noqa: E731
    return [r["values"] for r in sorted(a, key=key)] == [r["values"] for r in sorted(b, key=key)]


def bench_sweep_dask(repeat: int = 1, workers: int = 2) -> dict:
    """Serial against ``workers`` Dask workers on the same points, in one run (median of ``repeat``)."""
    import statistics

    spec = {"study": [{"name": "bench", "construction": "contextual_mapping", "measures": ["gamma", "bits"],
                       "grid": {"variant": "tight", "G": 2, "n": 6, "sample": list(range(40, 64))}}]}
    points = _points(spec)
    serial, dask, startup, inflation = [], [], [], []
    for _ in range(repeat):
        t_serial, r_serial, errors = _serial(points)
        t_up, t_dask, r_dask = _dask(points, workers)
        if errors or not _same_values(r_serial, r_dask):
            raise RuntimeError("serial and Dask runs of the same points disagree")
        serial.append(t_serial), dask.append(t_dask), startup.append(t_up)
        # the points' own seconds, summed: above 1 when the workers get less CPU than the serial run did
        inflation.append(sum(r["seconds"] for r in r_dask) / sum(r["seconds"] for r in r_serial))
    ts, td, tu = statistics.median(serial), statistics.median(dask), statistics.median(startup)
    return {"row": "sweep-dask", "points": len(points), "workers": workers, "serial_s": ts, "dask_s": td,
            "cluster_startup_s": tu, "speedup": ts / td, "speedup_with_startup": ts / (td + tu),
            "point_time_inflation": statistics.median(inflation), "target": THROUGHPUT_TARGET,
            "meets_target": ts / td >= THROUGHPUT_TARGET, "repeat": repeat}


def bench_sweep_overhead(repeat: int = 1, workers: int = 2, count: int = 200) -> dict:
    """Per-point scheduling overhead of the Dask path on near-empty points."""
    import statistics

    spec = {"study": [{"name": "tiny", "construction": "contextual_mapping", "measures": ["constants"],
                       "grid": {"variant": "tight", "G": 1, "n": 2, "seed": list(range(count))}}]}
    points = _points(spec)
    overheads, serial, dask = [], [], []
    for _ in range(repeat):
        t_serial, _, _ = _serial(points)
        _, t_dask, _ = _dask(points, workers)
        serial.append(t_serial), dask.append(t_dask)
        overheads.append((t_dask - t_serial / workers) / len(points))
    return {"row": "sweep-overhead", "points": len(points), "workers": workers,
            "serial_per_point_ms": 1e3 * statistics.median(serial) / len(points),
            "dask_per_point_ms": 1e3 * statistics.median(dask) / len(points),
            "overhead_per_point_ms": 1e3 * statistics.median(overheads), "repeat": repeat}
