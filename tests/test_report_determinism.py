"""The same seed gives a byte-identical JSON report: everything that varies between runs (the seconds of
claims, evidence and mutants) is kept in the separate last field ``timings``."""

from __future__ import annotations

import json

import pytest

from varcheck.cli import main
from varcheck.report.json_report import REPORT_KEYS, TIMINGS_KEY, deterministic_part

#: Fast claims whose evidence covers the three ways a run could drift: a sympy derivation, Hypothesis search
#: with targeting and shrinking (seeded), and ball arithmetic.
CLAIMS = ("interp.kernel-range", "interp.inf-norm", "attn.boltzmann-separation")


def _keys_outside_timings(node, found: set):
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            _keys_outside_timings(value, found)
    elif isinstance(node, list):
        for value in node:
            _keys_outside_timings(value, found)
    return found


@pytest.mark.claim("interp.kernel-range")
@pytest.mark.claim("interp.inf-norm")
@pytest.mark.claim("attn.boltzmann-separation")
def test_same_seed_gives_byte_identical_json_report(tmp_path, capsys):
    texts = []
    for run in ("first", "second"):
        path = tmp_path / f"{run}.json"
        assert main(["verify", *CLAIMS, "--seed", "3", "--report", str(path)]) == 0
        texts.append(path.read_bytes())
    capsys.readouterr()
    reports = [json.loads(t) for t in texts]
    assert tuple(reports[0]) == REPORT_KEYS and list(reports[0])[-1] == TIMINGS_KEY
    # without mutants the timings are the last field: the bytes before it are the deterministic report, identical
    marker = f'\n  "{TIMINGS_KEY}": '.encode()
    heads = [t.split(marker)[0] for t in texts]
    assert all(t.count(marker) == 1 for t in texts)
    assert heads[0] == heads[1]
    assert deterministic_part(reports[0]) == deterministic_part(reports[1])
    # nothing that measures time is left outside the timings field
    assert "seconds" not in _keys_outside_timings(deterministic_part(reports[0]), set())
    timings = reports[0][TIMINGS_KEY]
    assert set(timings["claims"]) == set(CLAIMS) and timings["unit"] == "seconds"
    for claim in reports[0]["claims"]:
        times = timings["claims"][claim["id"]]
        assert len(times["evidence"]) == len(claim["evidence"]) and times["total"] >= 0
    assert reports[0]["seed"] == 3 and reports[0]["summary"]["as_expected"] == len(CLAIMS)
