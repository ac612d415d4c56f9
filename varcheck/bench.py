"""Benchmarks (not timed tests): ``python -m varcheck.bench [--rows NAME ...] [--json PATH] [--repeat N]``.

Each row is a median of repeated runs with its baseline timed in the same run and the ratio reported.
Rows:

* ``verify-quick``: ``varcheck verify`` end to end in one process, against one fresh interpreter per claim;
* ``interp-var1024``: exact interpolation matrices for every var1024 pair, against a naive sympy Matrix build;

* ``w2i-var256``: word-to-image on var256 (d = 2, ε = 10⁻²): building the dense network plus certification, time
  and peak memory;
* ``w2i-dense-forward``: that dense network's forward on 1,024 words against its 2^d-cell fast path (same run);
* ``w2i-eval``: batched evaluation of the fast path against a per-sample loop (throughput);
* ``a4-quick`` / ``a4-full``: certifying A4 (paper construction) on the quick / full profile instance by
  the direct ball evaluation (python-flint arb at the precision chosen from the instance), against the
  same read-out arithmetic in mpmath at equal precision, and against the cancellation-free difference
  certificate (128 bits);
* ``sweep-dask`` / ``sweep-overhead``: a sweep's points on 2 Dask workers against serial in the same run, and the
  scheduling overhead per point (``varcheck.sweep.benchmarks``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from .errors import VarcheckError

__all__ = ["bench_a4", "main", "ROWS"]


def _median_time(fn, repeat: int):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def _readout_keys(cm, limit):
    """(query token, visible set, (i, k)) of the read-outs a certification evaluates, the first ``limit`` of them."""
    items = [(token, keys, ik) for token, sets in cm.readout_groups().items() for keys, ik in sets.items()]
    return items[:limit]


def _arb_readouts(cm, precision: int, limit=None):
    """The direct certification's read-outs as arb balls."""
    cm.clear_readouts()
    return [cm.readout(i, k, precision) for _, _, (i, k) in _readout_keys(cm, limit)]


def _mpmath_readouts(cm, precision: int, limit=None):
    """The same read-out arithmetic in mpmath at ``precision`` bits (no balls)."""
    import mpmath

    with mpmath.workprec(precision):
        out = []
        for token, keys, _ in _readout_keys(cm, limit):
            yk = sum(a * b for a, b in zip(cm.v, token))
            ys = [sum(a * b for a, b in zip(cm.v, x)) for x in keys]
            scores = [cm.c * yk * y for y in ys]
            top = max(scores)
            q = lambda f: mpmath.mpf(f.numerator) / f.denominator  # noqa: E731
            w = [mpmath.exp(q(s - top)) for s in scores]
            out.append(mpmath.fsum(wi * q(y) for wi, y in zip(w, ys)) / mpmath.fsum(w))
        return out


def bench_a4(profile: str, repeat: int, mpmath_readouts=None) -> dict:
    from .claims.attention.contextual_mapping import quick_paper_instance
    from .exact.contextual_mapping import contextual_mapping
    from .theory.registry import Context

    ctx = Context(profile)
    build_t, cm = _median_time(lambda: contextual_mapping(quick_paper_instance(ctx), construction="paper"), 1)

    def direct():
        cm.clear_readouts()
        return cm.certify(method="direct")

    t_arb, cert = _median_time(direct, repeat)
    if not cert.certified:
        raise VarcheckError(f"A4 {profile} instance did not certify: {cert.detail}")
    # arb against mpmath on the same read-outs (all of them, or the first ``mpmath_readouts``)
    t_arb_same, _ = _median_time(lambda: _arb_readouts(cm, cert.precision, mpmath_readouts), repeat)
    t_mp, _ = _median_time(lambda: _mpmath_readouts(cm, cert.precision, mpmath_readouts), repeat)
    t_diff, dcert = _median_time(lambda: cm.certify(method="difference"), repeat)
    return {
        "row": f"a4-{profile}", "instance": f"|V| = {cm.vocabulary_size}, N = {cm.family.N}, n = {cm.n}, d = {cm.d}",
        "precision_bits": cert.precision, "build_s": build_t, "arb_direct_s": t_arb,
        "readouts_compared": "all" if mpmath_readouts is None else f"first {mpmath_readouts}",
        "arb_readouts_s": t_arb_same, "mpmath_readouts_s": t_mp, "ratio_mpmath_over_arb": t_mp / t_arb_same,
            "arb_difference_s": t_diff, "difference_precision_bits": dcert.precision,
        "ratio_direct_over_difference": t_arb / t_diff, "repeat": repeat,
    }


_W2I_SCRIPT = """
import json, resource, sys, time
start = time.perf_counter()
from varcheck import Pyramid, targets as T
from varcheck.runtime.approximator import build_var_approximator
pyr = Pyramid.preset("var256")
target = T.smooth_field(seed=0, pyramid=pyr, d=2, channels=2)
t0 = time.perf_counter()
approx = build_var_approximator(target, pyr, 0.01, p=2, setting="word_to_image", attention="identity", monte_carlo=0)
t1 = time.perf_counter()
cert = approx.certificate()
t2 = time.perf_counter()
size = approx.summary()
print(json.dumps({"build_s": t1 - t0, "certificate_s": t2 - t1, "import_s": t0 - start, "certified": cert["certified"],
                  "lp_bound": cert["lp_bound"], "G": approx.plan.G, "d_model": size["d_model"], "parameters":
                  size["parameters"],
                  "hidden_widths": size["ff1"] + size["ff2"], "peak_rss_mb":
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_word_to_image(repeat: int) -> dict:
    """Word-to-image on var256 (d = 2, ε = 10⁻²): building the DENSE float64 network plus its certification, time and
    the process's peak memory, measured in a fresh interpreter per run (median of ``repeat``; targets 60 s, 4 GB)."""
    import subprocess

    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _W2I_SCRIPT], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    return {"row": "w2i-var256", "G": runs[0]["G"], "certified": all(r["certified"] for r in runs),
            "lp_bound": runs[0]["lp_bound"],
            "d_model": runs[0]["d_model"], "hidden_widths": runs[0]["hidden_widths"],
                "parameters": runs[0]["parameters"],
            "build_s": med("build_s"), "certificate_s": med("certificate_s"),
                "build_plus_certificate_s": med("build_s") + med("certificate_s"),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "repeat": repeat}


def bench_dense_forward(repeat: int, words: int = 1024) -> dict:
    """The dense var256 network's forward on ``words`` inputs (chunked) against its 2^d-cell fast path on the same
    inputs, in one run; the outputs are compared against the certified rounding of both. The dense forward
    multiplies every token by every weight of each layer: macs_per_token of them, against ≈ 2^d·(table row) for the
    fast path."""
    import torch

    from .runtime.instances import t2

    _, approx = t2(0)
    x = torch.rand(words, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    t_dense, yd = _median_time(lambda: approx(x, strategy="dense"), repeat)
    t_fast, yf = _median_time(lambda: approx(x, strategy="lookup"), repeat)
    r = approx.plan.rounding()
    if float((yd - yf).abs().max()) > float(r["anywhere"] + r["anywhere_lookup"]):
        raise VarcheckError("dense and fast-path outputs differ by more than their certified rounding")
    size = approx.summary()
    return {"row": "w2i-dense-forward", "words": words, "dense_s": t_dense, "lookup_s": t_fast,
            "ratio_dense_over_lookup": t_dense / t_fast, "macs_per_token": size["macs_per_token"],
            "dense_gmac_per_s": size["macs_per_token"] * size["tokens"] * words / t_dense / 1e9,
            "d_model": size["d_model"], "hidden_widths": size["ff1"] + size["ff2"], "parameters": size["parameters"],
            "repeat": repeat}


def bench_batched_eval(repeat: int) -> dict:
    """Throughput of the word-to-image fast path: one batched call against a per-sample loop, same inputs."""
    import torch

    from .runtime.instances import t2

    _, approx = t2(0)
    x = torch.rand(32, 1, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        t_batch, yb = _median_time(lambda: approx(x, strategy="lookup"), repeat)
        t_loop, yl = _median_time(
            lambda: torch.cat([approx(x[i : i + 1], strategy="lookup") for i in range(len(x))]), repeat
        )
    if not torch.equal(yb, yl):
        raise VarcheckError("batched and per-sample outputs differ")
    return {"row": "w2i-eval", "inputs": len(x), "batched_s": t_batch, "loop_s": t_loop,
            "speedup_loop_over_batched": t_loop / t_batch,
            "batched_inputs_per_s": len(x) / t_batch, "repeat": repeat}


def _sympy_bicubic(h: int, hp: int):
    """The naive baseline: the same 1-D bicubic matrix as a sympy Matrix, entry by entry in sympy Rationals."""
    import sympy as sp

    from .theory.cubic_kernel import keys_value

    a = sp.Rational(-3, 4)

    def W(x):
        return keys_value(a, x)

    m = sp.zeros(hp, h)
    for i in range(hp):
        s = (sp.Rational(2 * i + 1, 2) * sp.Rational(h, hp)) - sp.Rational(1, 2)
        i0 = min(sp.floor(s), h - 1)
        t = s - i0
        for off, x in zip((-1, 0, 1, 2), (t + 1, t, 1 - t, 2 - t)):
            j = min(max(i0 + off, 0), h - 1)
            m[i, j] += W(x)
    return m


def bench_interpolation(repeat: int) -> dict:
    """Exact bicubic matrices (both axes) for every consecutive pair of var1024: varcheck (Fractions → fmpq_mat)
    against a naive sympy Matrix construction; the results are compared entry by entry."""
    from fractions import Fraction

    from .exact.interpolation import interpolation_matrix_1d, interpolation_taps
    from .theory.pyramid import PRESETS

    sides = PRESETS["var1024"]
    pairs = list(zip(sides, sides[1:]))

    def ours():
        interpolation_taps.cache_clear()
        return [interpolation_matrix_1d(h, hp, "bicubic", exact=True) for h, hp in pairs]

    t_ours, mats = _median_time(ours, repeat)
    t_sympy, smats = _median_time(lambda: [_sympy_bicubic(h, hp) for h, hp in pairs], max(1, repeat // 3))
    for m, sm in zip(mats, smats):
        for i in range(m.nrows()):
            for j in range(m.ncols()):
                if Fraction(str(m[i, j])) != Fraction(str(sm[i, j])):
                    raise VarcheckError("varcheck and sympy matrices differ")
    return {"row": "interp-var1024", "pairs": len(pairs), "varcheck_s": t_ours, "sympy_matrix_s": t_sympy,
            "ratio_sympy_over_varcheck": t_sympy / t_ours, "repeat": repeat}


_VERIFY_SCRIPT = "import sys; from varcheck.cli import main; sys.exit(main(['verify'] + sys.argv[1:]))"


def bench_verify(repeat: int) -> dict:
    """``varcheck verify`` (quick) end to end in one process, against the naive way of running every claim in its
    own fresh interpreter (``varcheck verify ID`` per claim: imports and cached builds are paid every time)."""
    import subprocess

    from .claims.catalog import registry

    def one_process():
        subprocess.run([sys.executable, "-c", _VERIFY_SCRIPT], check=True, capture_output=True)

    def per_claim():
        for cid in registry().ids():
            subprocess.run([sys.executable, "-c", _VERIFY_SCRIPT, cid], check=True, capture_output=True)

    t_one, _ = _median_time(one_process, repeat)
    t_each, _ = _median_time(per_claim, 1)
    return {"row": "verify-quick", "claims": len(registry()), "one_process_s": t_one, "process_per_claim_s": t_each,
            "ratio_per_claim_over_one": t_each / t_one, "repeat": repeat}


def _sweep_bench(name: str, repeat: int) -> dict:
    """A sweep row of varcheck.sweep.benchmarks (each repeat starts a Dask cluster: at most 2 repeats)."""
    from .sweep import benchmarks

    return getattr(benchmarks, name)(min(repeat, 2))


#: The full instance's mpmath baseline is timed on one read-out: at ~1.15M bits pure-Python mpmath needs minutes each.
ROWS = {"a4-quick": lambda r: bench_a4("quick", r), "a4-full": lambda r: bench_a4("full", 1, mpmath_readouts=1),
        "w2i-var256": bench_word_to_image, "w2i-dense-forward": lambda r: bench_dense_forward(min(r, 2)),
        "w2i-eval": bench_batched_eval, "interp-var1024": bench_interpolation,
        "verify-quick": bench_verify,
        "sweep-dask": lambda r: _sweep_bench("bench_sweep_dask", r),
        "sweep-overhead": lambda r: _sweep_bench("bench_sweep_overhead", r)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m varcheck.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="*", default=list(ROWS), choices=list(ROWS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be ≥ 1")
    results = []
    for name in args.rows:
        print(f"running {name} …", file=sys.stderr, flush=True)
        row = ROWS[name](args.repeat)
        results.append(row)
        print("  " + ", ".join(f"{k} = {v:.4g}" if isinstance(v, float) else f"{k} = {v}" for k, v in row.items()))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
