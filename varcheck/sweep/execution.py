"""Running sweep points on Dask (``dask.distributed``), or serially in this process.

* ``local``: an in-process :class:`distributed.LocalCluster` on this machine (``workers`` processes, one
  thread each: the certificates are pure-Python/flint work that the GIL would serialise); zero set-up.
* ``tcp://HOST:PORT``: ``Client(address)`` on a running Dask cluster; the same sweep, unchanged. Its
  workers need varcheck importable (the same version: the point hash includes it).
* ``serial``: no Dask, one point after the other here (the baseline of ``sweep-dask`` in the bench).

Results come back to this process and are handed to ``on_result`` as soon as each point finishes
(the caller stores them), so a worker killed mid-sweep loses only the point it was computing: Dask
reschedules that point on another worker, and a re-run of the sweep skips every point already stored.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from contextlib import contextmanager

from ..errors import VarcheckError
from .points import run_point

__all__ = ["parse_executor", "dask_client", "execute", "CONNECT_TIMEOUT_S", "TASK_PREFIX"]

#: Seconds to wait for a remote scheduler before giving up with an error sentence.
CONNECT_TIMEOUT_S = 10
#: Dask keys of sweep tasks: the prefix and the point hash (a resubmitted point is recognised by the scheduler).
TASK_PREFIX = "varcheck-point-"
_ADDRESS = re.compile(r"^tcp://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):([0-9]{1,5})$")


def parse_executor(text: str) -> str:
    """``local``, ``serial``, or a ``tcp://HOST:PORT`` scheduler address (validated, not yet contacted)."""
    if text in ("local", "serial"):
        return text
    m = _ADDRESS.match(str(text))
    if not m or not 0 < int(m.group(2)) < 65536:
        raise VarcheckError("--executor must be 'local', 'serial' or a scheduler address tcp://HOST:PORT, got "
                            f"{text!r}.")
    return str(text)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(executor: str, workers: int | None = None):
    """A connected ``distributed.Client`` for ``local`` (a fresh LocalCluster, closed on exit) or an address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise VarcheckError("the Dask executors need dask.distributed: pip install 'varcheck[sweep]' "
                            "(or use --executor serial).") from None
    if executor == "local":
        import dask

        # ":0": the scheduler's HTTP server (health routes, a dashboard if bokeh is installed) on a free port, so a
        # second cluster on the machine (another user, another test) never collides on 8787. worker-ttl None: one
        # arb or big-integer call can hold a worker's GIL for minutes, silencing its heartbeats; a worker that
        # really dies still closes its connection and is noticed at once.
        with dask.config.set({"distributed.scheduler.worker-ttl": None}):
            # silence_logs=ERROR: the nanny's shutdown chatter ("still alive after 4 s, killing") is not the user's news
            cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.ERROR)
        try:
            client = Client(cluster)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()
        return
    try:
        client = Client(executor, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError) as exc:
        raise VarcheckError(f"--executor {executor}: no Dask scheduler answered within {CONNECT_TIMEOUT_S} s "
                            f"({type(exc).__name__}); start one with `dask scheduler` or use --executor "
                            "local.") from None
    try:
        yield client
    finally:
        client.close()


def _progress_bar(total: int, initial: int, show):
    show = sys.stderr.isatty() if show is None else show
    if not show:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a convenience; the summary line is always printed
        return None
    return tqdm(total=total, initial=initial, desc="sweep", unit="point", file=sys.stderr, dynamic_ncols=True)


def execute(points, *, executor: str, workers: int | None = None, on_result, on_error, progress=None,
            skipped: int = 0) -> dict:
    """Run ``points`` (dicts for :func:`run_point`); call ``on_result(record)`` or ``on_error(point, exc)`` each.

    Returns ``{"workers": number of workers that served the sweep, "executor": executor}``.
    """
    bar = _progress_bar(len(points) + skipped, skipped, progress)
    try:
        if executor == "serial" or not points:
            for point in points:
                try:
                    record = run_point(point)
                except Exception as exc:  # a failed point is reported and not stored, never counted as done
                    on_error(point, exc)
                else:
                    on_result(record)
                if bar is not None:
                    bar.update(1)
            return {"workers": 1 if executor == "serial" else 0, "executor": executor}
        from distributed import as_completed

        with dask_client(executor, workers) as client:
            served = len(client.scheduler_info().get("workers", {}))
            by_key = {TASK_PREFIX + p["hash"]: p for p in points}
            futures = client.map(run_point, points, key=list(by_key), pure=False)
            try:
                for future in as_completed(futures):
                    point = by_key[future.key]
                    if future.status == "error":
                        on_error(point, future.exception())
                    else:
                        on_result(future.result())
                    future.release()
                    if bar is not None:
                        bar.update(1)
            except BaseException:
                client.cancel(futures)
                raise
            return {"workers": max(served, len(client.scheduler_info().get("workers", {}))), "executor": executor}
    finally:
        if bar is not None:
            bar.close()
