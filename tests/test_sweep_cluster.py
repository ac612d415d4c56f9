"""Sweeps on real Dask clusters: an in-process LocalCluster with 2 worker processes, and a `dask scheduler`
with two `dask worker` processes on 127.0.0.1 reached through its address — including a worker killed
mid-sweep (no finished point lost, the sweep completes on resume). Every process started here is ended
here, by its own id."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from varcheck.sweep import read_results, run_sweep
from varcheck.sweep.grid import parse_spec
from varcheck.sweep.store import ResultStore

BIN = Path(sys.executable).parent
#: Seconds a cluster process gets to start, register, or finish a sweep before the test gives up.
STARTUP_S = 90

#: Eight quick points (both contextual-mapping constructions; no torch import in the workers): milliseconds each.
QUICK = {"name": "quick", "study": [
    {"name": "cm", "construction": "contextual_mapping", "grid": [{"variant": "tight", "G": [2, 3, 4, 5, 6, 8], "n": 2},
                                                                  {"variant": "paper", "G": [2, 3], "n": 2}]},
]}
#: Twelve points of about half a second each: sampled families of 6-token sequences (pairs grow with the sample).
SLOW = {"name": "slow", "study": [
    {"name": "cm", "construction": "contextual_mapping", "grid": {"G": 2, "n": 6, "sample": list(range(28, 40))}},
]}


def test_local_cluster_with_two_worker_processes(tmp_path):
    summary = run_sweep(QUICK, tmp_path / "dask", executor="local", workers=2, progress=False)
    assert summary.ok and summary.workers == 2 and summary.computed == 8
    serial = run_sweep(QUICK, tmp_path / "serial", executor="serial", progress=False)
    dask_rows = {(r["study"], r["point_hash"]): r for r in read_results(tmp_path / "dask")[0]}
    serial_rows = {(r["study"], r["point_hash"]): r for r in read_results(tmp_path / "serial")[0]}
    assert dask_rows.keys() == serial_rows.keys() and serial.computed == 8
    measured = [c for c in dask_rows[next(iter(dask_rows))] if c not in
                ("seconds", "worker", "finished_at", "message")]
    for key, row in dask_rows.items():  # the same numbers, computed in other processes
        assert {c: row[c] for c in measured} == {c: serial_rows[key][c] for c in measured}
        assert not row["worker"].endswith(f":{os.getpid()}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _wait_for(predicate, what: str, timeout: float = STARTUP_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes (no nanny: a killed worker stays dead) on 127.0.0.1."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = {}

    def start(name, argv):
        log = open(logs / f"{name}.log", "w", encoding="utf-8")
        procs[name] = (subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path), log)

    try:
        start("scheduler", [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                            "--no-dashboard"])
        _wait_for(lambda: "Scheduler at" in (logs / "scheduler.log").read_text(), "the scheduler")
        for i in range(2):
            start(f"worker{i}", [str(BIN / "dask"), "worker", address, "--nthreads",
                                 "1", "--no-nanny", "--no-dashboard",
                                 "--name", f"w{i}", "--local-directory", str(tmp_path / f"w{i}"),
                                     "--death-timeout", "60"])
        for i in range(2):
            _wait_for(lambda i=i: "Registered to" in (logs / f"worker{i}.log").read_text(), f"worker {i}")
        yield address, {name: proc for name, (proc, _) in procs.items()}
    finally:
        for name in sorted(procs, reverse=True):  # workers first, then the scheduler
            proc, log = procs[name]
            _stop(proc)
            log.close()


def _sweep_cli(spec_path, out, address, **kw):
    return subprocess.Popen([str(BIN / "varcheck"), "sweep", str(spec_path), "--out", str(out), "--executor", address,
                             "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_sweep_through_a_scheduler_address(cluster, tmp_path):
    address, _ = cluster
    spec = tmp_path / "quick.json"
    spec.write_text(json.dumps(QUICK), encoding="utf-8")
    proc = _sweep_cli(spec, tmp_path / "out", address)
    out, err = proc.communicate(timeout=STARTUP_S)
    assert proc.returncode == 0, err
    assert "8 computed" in out and "0 failed" in out and "(2 workers)" in out
    rows, prov = read_results(tmp_path / "out")
    assert prov["executor"] == address and {r["status"] for r in rows} == {"ok"}
    assert len({r["worker"] for r in rows}) >= 1 and not any(r["worker"].endswith(f":{proc.pid}") for r in rows)


def test_killed_worker_loses_no_finished_point_and_resume_completes(cluster, tmp_path):
    address, procs = cluster
    spec = tmp_path / "slow.json"
    spec.write_text(json.dumps(SLOW), encoding="utf-8")
    out = tmp_path / "out"
    store = ResultStore(out)
    total = len(parse_spec(SLOW).points())
    sweep = _sweep_cli(spec, out, address)
    try:
        _wait_for(lambda: len(store.hashes()) >= 2, "two finished points")
        procs["worker0"].send_signal(signal.SIGKILL)  # a worker dies mid-sweep, computing a point
        procs["worker0"].wait(timeout=15)
        after_kill = {h: store.path(h).read_bytes() for h in store.hashes()}
        _wait_for(lambda: len(store.hashes()) > len(after_kill), "a point finished by the surviving worker")
        sweep.send_signal(signal.SIGKILL)  # then the sweep itself is killed before it completes
        sweep.wait(timeout=15)
    finally:
        _stop(sweep)
        if sweep.stdout:
            sweep.stdout.close()
            sweep.stderr.close()
    finished = {h: store.path(h).read_bytes() for h in store.hashes()}
    assert all(finished[h] == data for h, data in after_kill.items())  # nothing finished was lost or rewritten
    assert all(json.loads(data)["status"] == "ok" for data in finished.values()) and len(finished) < total
    resume = _sweep_cli(spec, out, address)
    stdout, stderr = resume.communicate(timeout=STARTUP_S * 2)
    assert resume.returncode == 0, stderr
    assert f"{len(finished)} already stored (skipped), {total - len(finished)} computed" in stdout
    assert "(1 workers)" in stdout  # the killed worker is gone; the sweep completes on the other
    rows, _ = read_results(out)
    assert len(rows) == total and {r["status"] for r in rows} == {"ok"}
    assert all(store.path(h).read_bytes() == data for h, data in finished.items())
