"""Sweeps without a cluster: spec validation (bad specs exit 2 before any job), point identity, the
content-addressed store and resume, the --out guard, the table and its provenance, memory estimates
against measured use, growth-law fits, and the atlas page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from tests.jargon import jargon_in
from varcheck.cli import main
from varcheck.errors import VarcheckError
from varcheck.sweep import fit_growth_laws, load_spec, read_results, run_sweep
from varcheck.sweep.grid import MAX_POINTS, parse_bytes, parse_spec
from varcheck.sweep.points import construction, point_hash, run_point
from varcheck.sweep.store import ResultStore
from varcheck.sweep.table import write_table

#: A spec whose points take milliseconds each (tight contextual mapping, T2 sizes from the plan, a T1 instance,
#: and one T1 paper instance the builder refuses for its precision).
SMALL = {
    "name": "small",
    "study": [
        {"name": "cm", "construction": "contextual_mapping", "grid": {"variant": [
            "tight", "paper"], "G": [2, 3, 4], "n": 2}},
        {"name": "cm-n", "construction": "contextual_mapping", "grid": {"variant": "tight", "G": 2, "n": [2, 3, 4]}},
        {"name": "t2", "construction": "word_to_image", "measures": ["size"],
         "grid": {"pyramid": "var256", "d": [1, 2], "eps": [0.1, 0.05, 0.02, 0.01]}},
        {"name": "t1", "construction": "image_to_image", "measures": ["size", "certificate"],
         "grid": [{"pyramid": "1-2", "eps": [0.25, 0.1, 0.05]}, {"pyramid": "1x2-2x4",
                                                                 "variant": "paper", "eps": 0.6, "grid": 2}]},
    ],
}


def _write(tmp_path, spec, name="spec.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "out"
    summary = run_sweep(SMALL, out, executor="serial", progress=False)
    return out, summary


# --------------------------------------------------------------------------- specs and points


def test_spec_expands_grids_fills_defaults_and_hashes_points():
    spec = parse_spec(SMALL, "small")
    counts = {s.name: len(s.points) for s in spec.studies}
    assert counts == {"cm": 6, "cm-n": 3, "t2": 8, "t1": 4}
    # "cm" and "cm-n" share (tight, G=2, n=2): one job, two table rows
    assert len(spec.points()) == sum(counts.values()) - 1
    p = spec.studies[0].points[0]
    assert p["params"] == {"variant": "tight", "G": 2, "n": 2, "d": 1, "sample": 0, "method": "difference", "seed": 0}
    assert p["hash"] == point_hash("contextual_mapping", p["params"], p["measures"], "0.1.0")
    assert point_hash("contextual_mapping", p["params"], p["measures"], "0.2.0") != p[
        "hash"]  # the version is in the address
    eps = spec.studies[2].points[0]["params"]["eps"]
    assert eps == "1/10"  # decimal spec numbers are the rationals they denote
    assert spec.identity == parse_spec(json.loads(json.dumps(SMALL)), "again").identity


def _bad(**changes):
    spec = json.loads(json.dumps(SMALL))
    study = dict(spec["study"][0])
    study.update(changes)
    spec["study"] = [study]
    return spec


BAD_SPECS = [
    (_bad(construction="flash_attention"), r"unknown construction 'flash_attention'"),
    (_bad(grid={"variant": "tight", "G": [], "n": 2}), r"the grid is empty \(parameter 'G' has no value\)"),
    (_bad(grid={}), r"the grid is empty"),
    (_bad(grid={"G": -1, "n": 2}), r"G must be an integer ≥ 1, got -1"),
    (_bad(grid={"G": 2, "n": 0}), r"n must be an integer ≥ 2, got 0"),
    (_bad(grid={"G": 2, "n": 2, "tokens": 3}), r"has no parameter 'tokens'"),
    (_bad(measures=["gamma", "beauty"]), r"unknown measure 'beauty'"),
    (_bad(grid={"G": 2, "n": 13}), r"GridVocabulary\(G=2, n=13, d=1\) has .* at most 4096"),
    (
        _bad(grid={"variant": "paper", "method": "direct", "G": 16, "n": 2}),
        r"would need about .* above the memory cap of 4 GiB",
    ),
    ({"name": "x", "study": []}, r"the spec has no study"),
    ({"name": "x", "studies": []}, r"unknown key 'studies'"),
    ({"name": "x", "memory_cap": "4 parsecs", "study": SMALL["study"]}, r"unknown unit 'parsecs'"),
]


@pytest.mark.parametrize("spec, message", BAD_SPECS)
def test_bad_spec_is_one_sentence_exit_2_before_any_job(tmp_path, capsys, monkeypatch, spec, message):
    import re

    import varcheck.sweep.runner as runner

    monkeypatch.setattr(runner, "execute", lambda *a, **k: pytest.fail("a job was submitted"))
    out = tmp_path / "out"
    assert main(["sweep", str(_write(tmp_path, spec)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("varcheck: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert re.search(message, err), err
    assert not out.exists()  # nothing was created either


@pytest.mark.parametrize("argv, message", [
    (["--executor", "tcp://nowhere"], "--executor must be 'local', 'serial' or a scheduler address"),
    (["--executor", "tcp://127.0.0.1:1", "--workers", "2"], "--workers applies to --executor local only"),
    (["--workers", "0"], "--workers must be an integer ≥ 1"),
])
def test_bad_executor_arguments_exit_2_before_any_job(tmp_path, capsys, monkeypatch, argv, message):
    import varcheck.sweep.runner as runner

    monkeypatch.setattr(runner, "execute", lambda *a, **k: pytest.fail("a job was submitted"))
    assert main(["sweep", str(_write(tmp_path, SMALL)), "--out", str(tmp_path / "out"), *argv]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unreachable_scheduler_leaves_the_disk_as_it_was(tmp_path, capsys, monkeypatch):
    """No scheduler at the address: exit 2 with one sentence, and the --out it would have created is not there."""
    import socket

    import varcheck.sweep.execution as execution

    monkeypatch.setattr(execution, "CONNECT_TIMEOUT_S", 1)
    with socket.socket() as s:  # a port nothing listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        out = tmp_path / "out"
        code = main(["sweep", str(_write(tmp_path, SMALL)), "--out", str(out), "--executor", f"tcp://127.0.0.1:{port}",
                     "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("varcheck: error: --executor tcp://127.0.0.1:") and err.count("\n") == 1, err
    assert not out.exists()


def test_spec_files_toml_json_and_shipped_names(tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text('[[study]]\nname = "a"\nconstruction = "contextual_mapping"\n[study.grid]\nG = [2, 3]\nn = 2\n',
                    encoding="utf-8")
    spec = load_spec(toml)
    assert spec.name == "s" and len(spec.points()) == 2
    (tmp_path / "broken.toml").write_text("[[study]\n", encoding="utf-8")
    with pytest.raises(VarcheckError, match=r"^SPEC broken.toml is not valid TOML"):
        load_spec(tmp_path / "broken.toml")
    allowed = re.escape("; give a .toml or .json file or a shipped spec (default, full).") + "$"
    for missing in ("missing.toml", "notes.md", "sub/x.json"):  # a missing path says so, whatever its suffix
        message = rf"^SPEC '.*{re.escape(missing)}' does not exist \(no such file\){allowed}"
        with pytest.raises(VarcheckError, match=message):
            load_spec(tmp_path / missing)
    message = r"^SPEC 'defualt' is no file and no shipped spec \(did you mean 'default'\?\)"
    with pytest.raises(VarcheckError, match=message):
        load_spec("defualt")
    with pytest.raises(VarcheckError, match=rf"^SPEC '.*' is a directory{allowed}"):
        load_spec(tmp_path)
    (tmp_path / "notes.md").write_text("# a page\n", encoding="utf-8")
    with pytest.raises(VarcheckError, match=r"^SPEC notes.md must end in .toml or .json, got '.md'\.$"):
        load_spec(tmp_path / "notes.md")
    for name in ("default", "full"):  # shipped as package data; every point passes validation and the cap
        shipped = load_spec(name)
        assert shipped.name == name and len(shipped.points()) > 50
    assert set(load_spec("default").identity) != set()
    assert parse_bytes("4 GiB") == 4 * 2**30 and parse_bytes("512MB") == 512 * 10**6 and parse_bytes(1024) == 1024
    assert MAX_POINTS >= 10_000


def test_too_many_points_are_refused():
    spec = {"study": [{"name": "a", "construction": "word_to_image", "measures": ["size"],
                       "grid": {"eps": [f"1/{k}" for k in range(2, 400)], "seed": list(range(300))}}]}
    with pytest.raises(VarcheckError, match=f"119400 points, more than {MAX_POINTS}"):
        parse_spec(spec)


# --------------------------------------------------------------------------- running, storing, resuming


def test_sweep_stores_every_point_and_resume_skips_them(small_sweep, tmp_path):
    out, summary = small_sweep
    total = len(parse_spec(SMALL).points())
    assert summary.ok and summary.total == total and summary.computed == total and summary.skipped == 0
    assert summary.refused == 1  # the T1 paper instance needs more bits than the ball runtime's budget
    store = ResultStore(out)
    assert len(store.hashes()) == total and not list(out.glob("points/*/.*.tmp"))
    again = run_sweep(SMALL, out, executor="serial", progress=False)
    assert (again.skipped, again.computed) == (total, 0)
    # remove two finished points: exactly those two are recomputed, the others are read back untouched
    victims = sorted(store.hashes())[:2]
    before = {h: store.path(h).read_bytes() for h in store.hashes() if h not in victims}
    for h in victims:
        store.path(h).unlink()
    third = run_sweep(SMALL, out, executor="serial", progress=False)
    assert (third.skipped, third.computed) == (total - 2, 2)
    assert all(store.path(h).read_bytes() == data for h, data in before.items())


def test_refused_point_is_a_stored_result_with_its_reason(small_sweep):
    out, _ = small_sweep
    rows, _ = read_results(out)
    refused = [r for r in rows if r["status"] == "refused"]
    assert len(refused) == 1 and refused[0]["construction"] == "image_to_image" and refused[0]["variant"] == "paper"
    assert "bits" in refused[0]["message"]


def test_table_rows_types_and_provenance(small_sweep):
    import pyarrow.parquet as pq

    from varcheck.provenance import git_revision

    out, _ = small_sweep
    rows, prov = read_results(out)
    assert len(rows) == sum(len(s.points) for s in parse_spec(SMALL).studies)  # one row per (study, point)
    assert {r["status"] for r in rows} == {"ok", "refused"}
    cm = [r for r in rows if r["construction"] == "contextual_mapping" and r["variant"] == "tight" and r["G"] == 2
          and r["n"] == 2]
    assert {r["study"] for r in cm} == {"cm", "cm-n"} and len({r["point_hash"] for r in cm}) == 1
    row = cm[0]
    assert isinstance(row["bits_needed"], int) and isinstance(row["certified"], bool) and row["certified"]
    assert row["log10_gamma_actual"] < 0 and row["varcheck_version"] == prov["varcheck_version"]
    assert prov["seed"] == 0 and prov["spec"] == "small" and prov["git_revision"] == git_revision()
    assert prov["versions"]["pyarrow"] and prov["versions"]["numpy"] and prov["executor"] == "serial"
    meta = json.loads(pq.read_schema(out / "results.parquet").metadata[b"varcheck"])
    assert meta["spec_identity"] == prov["spec_identity"] and meta["git_revision"] == prov["git_revision"]
    t2 = [r for r in rows if r["construction"] == "word_to_image"]
    assert all(r["eps_exact"] == str(Fraction(r["eps_exact"])) and r["parameter_count"] > 0 for r in t2)


def test_measured_values_are_the_library_values():
    """A point's measures are what the library computes for that instance (nothing copied or re-derived)."""
    from varcheck import GridVocabulary, contextual_mapping
    from varcheck.exact.word_to_image import plan_word_to_image
    from varcheck.runtime import targets as T
    from varcheck.theory.pyramid import Pyramid

    spec = parse_spec(SMALL)
    point = next(p for p in spec.studies[0].points if p["params"]["variant"] == "paper" and p["params"]["G"] == 3)
    rec = run_point(point)
    cm = contextual_mapping(GridVocabulary(3, 2, 1), construction="paper")
    cert = cm.certify(method="difference")
    assert rec["values"]["bits_needed"] == cm.precision_budget(cert.gamma_actual)["mantissa_bits_needed"]
    assert rec["values"]["c_exact"] == str(cm.c) and rec["values"]["pairs_checked"] == cert.pairs_checked
    t2 = next(p for p in spec.studies[2].points if p["params"]["d"] == 2)
    target = T.smooth_field(seed=0, pyramid=Pyramid.preset("var256"), d=2, channels=1)
    plan = plan_word_to_image(d=2, L=680, channels=1, lipschitz=target.lipschitz, eps=Fraction(t2[
        "params"]["eps"]), p=2)
    values = run_point(t2)["values"]
    assert values["G"] == plan.G and values["parameter_count"] == plan.parameter_count()


def test_out_of_another_spec_is_refused_unless_force(small_sweep, tmp_path, capsys):
    out, _ = small_sweep
    other = json.loads(json.dumps(SMALL))
    other["study"][1]["grid"]["n"] = [2, 3, 4, 5]
    path = _write(tmp_path, other)
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--no-progress"]) == 2
    assert "holds the sweep of another spec" in capsys.readouterr().err
    # --force replaces the spec and reuses every stored point whose hash still occurs: only n = 5 is new
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--no-progress", "--force"]) == 0
    assert ", 1 computed" in capsys.readouterr().out
    # put the module's spec back for the other tests of this module
    assert run_sweep(SMALL, out, executor="serial", force=True, progress=False).computed == 0


def test_non_sweep_directory_is_never_written(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    for extra in ([], ["--force"]):
        assert main(["sweep", str(_write(tmp_path, SMALL)), "--out", str(mine), "--executor", "serial", *extra]) == 2
        assert "holds no varcheck sweep" in capsys.readouterr().err
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_store_writes_atomically_and_ignores_what_is_not_a_record(tmp_path):
    store = ResultStore(tmp_path)
    point = parse_spec(SMALL).studies[0].points[0]
    rec = run_point(point)
    path = store.put(rec)
    assert json.loads(path.read_text())["hash"] == point["hash"] and store.get(point["hash"])["status"] == "ok"
    leftover = path.parent / f".{path.name}.123.abc.tmp"
    leftover.write_text("{half a rec", encoding="utf-8")  # what a killed writer leaves
    assert store.hashes() == {point["hash"]} and store.remove_temporaries() == 1 and not leftover.exists()
    path.write_text("{truncated", encoding="utf-8")  # not a record: the point counts as not finished
    assert store.get(point["hash"]) is None
    with pytest.raises(VarcheckError, match="only finished points are stored"):
        store.put({**rec, "status": "error"})


def test_failed_point_is_reported_not_stored_and_retried(tmp_path, monkeypatch, capsys):
    import varcheck.sweep.contextual as contextual

    spec = _write(tmp_path, {"study": [{"name": "a", "construction": "contextual_mapping",
                                        "grid": {"G": [2, 3], "n": 2}}]})
    real = contextual.CONTEXTUAL_MAPPING.run

    def flaky(p, measures):
        if p["G"] == 3:
            raise RuntimeError("simulated crash")
        return real(p, measures)

    monkeypatch.setattr(contextual.CONTEXTUAL_MAPPING, "run", flaky)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--executor", "serial"]) == 1
    io = capsys.readouterr()
    assert "1 failed" in io.out and "RuntimeError: simulated crash" in io.err
    rows, _ = read_results(out)
    assert sorted(r["status"] for r in rows) == ["error", "ok"]
    monkeypatch.setattr(contextual.CONTEXTUAL_MAPPING, "run", real)
    assert main(["sweep", str(spec), "--out", str(out), "--executor", "serial"]) == 0
    assert "1 already stored (skipped), 1 computed" in capsys.readouterr().out


def test_csv_table_reads_back_like_parquet(small_sweep, tmp_path):
    out, _ = small_sweep
    spec = parse_spec(SMALL)
    rows, prov = read_results(out)
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    from varcheck.sweep.table import results_rows

    write_table(copy, spec, results_rows(spec, ResultStore(copy)), {"executor": "serial", "workers": 1}, fmt="csv")
    assert not (copy / "results.parquet").exists()
    csv_rows, csv_prov = read_results(copy)
    assert csv_prov["format"] == "csv"
    assert [{k: v for k, v in r.items() if k != "message"} for r in csv_rows] == \
        [{k: v for k, v in r.items() if k != "message"} for r in rows]


def test_progress_bar_on_request(tmp_path, capsys):
    spec = {"study": [{"name": "a", "construction": "contextual_mapping", "grid": {"G": [2, 3], "n": 2}}]}
    run_sweep(spec, tmp_path / "out", executor="serial", progress=True)
    assert "2/2" in capsys.readouterr().err


# --------------------------------------------------------------------------- estimates against the builders


@pytest.mark.parametrize("variant, G, n, d", [("tight", 2, 2, 1), ("tight", 5, 3, 1), ("tight", 3, 2, 2),
                                              ("paper", 2, 2, 1), ("paper", 4, 2, 1), ("paper", 2, 3, 2)])
def test_working_precision_estimate_bounds_the_construction(variant, G, n, d):
    from varcheck import GridVocabulary, contextual_mapping
    from varcheck.sweep.contextual import working_precision_upper

    cm = contextual_mapping(GridVocabulary(G, n, d), construction=variant)
    estimate, actual = working_precision_upper(variant, G, n, d), cm.working_precision()
    assert actual <= estimate
    if variant == "tight":  # the closed forms are the instance's extremes: the estimate is tight
        assert estimate <= actual + 8


@pytest.mark.parametrize("eps", ["1/2", "1/5", "1/10"])
def test_t1_grid_estimate_is_the_builders_grid(eps):
    cons = construction("image_to_image")
    params = cons.normalize({"pyramid": "1x2-2x4", "eps": eps}, 0)
    from varcheck.sweep.universality import _t1_grid

    rec = run_point({"construction": cons.name, "params": params, "measures": ["size"], "hash": "x"})
    assert rec["values"]["G"] == _t1_grid(params)


_RSS_SCRIPT = """
import json, sys, threading, time
import psutil
import flint, torch  # imported before the baseline: the estimate is what a point allocates in a warm worker
from varcheck.sweep.points import construction, run_point
cons = construction(sys.argv[1])
params = cons.normalize(json.loads(sys.argv[2]), 0)
measures = json.loads(sys.argv[3])
estimate = cons.memory_bytes(params, measures)
me = psutil.Process()
base = me.memory_info().rss
peak = [base]
done = threading.Event()
def sample():  # the resident set, every millisecond, while the point runs
    while not done.is_set():
        peak[0] = max(peak[0], me.memory_info().rss)
        time.sleep(0.001)
sampler = threading.Thread(target=sample)
sampler.start()
rec = run_point({"construction": cons.name, "params": params, "measures": measures, "hash": "x"})
done.set()
sampler.join()
peak[0] = max(peak[0], me.memory_info().rss)
print(json.dumps({"estimate": estimate, "used": peak[0] - base, "status": rec["status"]}))
"""


@pytest.mark.parametrize("name, params, measures", [
    ("contextual_mapping", {"variant": "paper", "G": 3, "n": 2, "method": "direct"}, ["gamma", "bits"]),
    ("image_to_image", {"pyramid": "1x2-2x4", "eps": "1/10"}, ["size", "certificate"]),
    ("word_to_image", {"pyramid": "1-2-3-4", "d": 2, "eps": "1/100"}, ["size", "certificate"]),
])
def test_memory_estimate_bounds_the_measured_peak(name, params, measures):
    """In a fresh process, the peak-RSS increase of running the point stays below its up-front estimate."""
    out = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, name, json.dumps(params), json.dumps(measures)],
                         capture_output=True, text=True, check=True, timeout=300)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["status"] == "ok" and got["used"] <= got["estimate"], got


# --------------------------------------------------------------------------- growth laws and the atlas


def test_growth_fit_recovers_a_known_law_and_flags_a_mismatch():
    from varcheck.sweep.growth import LAWS, Law

    rows = [{"construction": "contextual_mapping", "status": "ok", "variant": "tight", "M_projection": M, "delta": 5.0,
             "max_abs_logit": 4 * M * 5.0 + 3, "log10_gamma_actual": -(2 * M * 5.0) / 2.302585092994046}
            for M in (4, 6, 8, 12)]
    fits = {f.law: f for f in fit_growth_laws(rows, [law for law in LAWS if law.id in ("tight-logit", "tight-gamma")])}
    assert fits["tight-logit"].slope == pytest.approx(4, rel=1e-12) and fits["tight-logit"].verdict == "agrees"
    assert fits["tight-logit"].intercept == pytest.approx(3, rel=1e-9) and fits["tight-logit"].r2 == pytest.approx(1)
    assert fits["tight-gamma"].slope == pytest.approx(2, rel=1e-9)
    assert fits["tight-gamma"].verdict.startswith("MISMATCH (×0.25")
    few = fit_growth_laws(rows[:2], [Law("x", "x", "x", lambda r: True, lambda r: (r["M_projection"], 1.0))])
    assert few == []  # two points always fit a line: not a law


def test_atlas_writes_figures_growth_laws_and_provenance(small_sweep, tmp_path, capsys):
    out, _ = small_sweep
    page = tmp_path / "atlas.html"
    assert main(["atlas", str(out), "--report", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    for fig in ("bits_vs_G", "gamma_vs_n", "params_vs_inv_eps", "certified_eps"):
        assert f'id="figure-{fig}"' in html, fig
    assert "data:image/png;base64," in html and "<script" not in html and "http://" not in html
    laws = json.loads((out / "growth_laws.json").read_text())
    assert {f["law"] for f in laws} >= {"tight-logit", "tight-gamma", "paper-gamma", "t2-params"}
    rows, prov = read_results(out)
    assert all(f"<code>{f['law']}</code>" in html for f in laws) and prov["git_revision"] in html
    assert not jargon_in(html), jargon_in(html)
    assert main(["atlas", str(tmp_path)]) == 2
    assert "holds no sweep table" in capsys.readouterr().err


def test_every_construction_is_registered_whatever_is_imported_first():
    code = ("import varcheck.sweep.contextual; from varcheck.sweep.points import construction; "
            "print(sorted(construction(n).name for n in ('word_to_image', 'image_to_image', 'contextual_mapping')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "['contextual_mapping', 'image_to_image', 'word_to_image']"
