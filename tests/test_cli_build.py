"""`varcheck build` writes a loadable approximator; bad usage is one line and exit 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import torch

import varcheck
from varcheck.cli import main

TARGET = "smooth_field(seed=2,pyramid=1-2-3,d=1,channels=1)"


@pytest.mark.claim("ua.word-to-image")
def test_build_writes_a_loadable_model(tmp_path, capsys):
    out = tmp_path / "model"
    assert main(["build", "--target", TARGET, "--pyramid", "[1,2,3]", "--eps", "0.05", "--out", str(out)]) == 0
    cert = json.loads((out / "certificate.json").read_text())
    assert cert["certified"] and cert["lp_bound"] <= 0.05
    module = varcheck.load(out)
    x = torch.rand(3, 1, 1, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert module(x).shape == (3, 14, 1)
    # a second build into the same directory is refused, with --force it is allowed
    assert main(["build", "--target", TARGET, "--pyramid", "[1,2,3]", "--eps", "0.05", "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["build", "--target", TARGET, "--pyramid", "[1,2,3]", "--eps",
                 "0.05", "--out", str(out), "--force"]) == 0


@pytest.mark.parametrize("extra, message", [
    (["--eps", "0"], "--eps"),
    (["--eps", "0.05", "--pyramid", "[1,x]"], "--pyramid"),
    (["--eps", "0.05", "--pyramid", "var2048"], "--pyramid must be a preset"),
    (["--eps", "0.05", "--p", "0.5"], "--p"),
    (["--eps", "1e-300"], "table of G^d·L·channels entries with G^d ≈ "),  # a short sentence: no 300-digit G
    (["--eps", "0.05", "--target", "smoth_field(seed=2,pyramid=1-2-3,d=1,channels=1)"],
     "unknown target 'smoth_field' in 'smoth_field(seed=2,pyramid=1-2-3,d=1,channels=1)' "
     "(did you mean 'smooth_field'?)"),
])
def test_build_bad_usage_is_one_line(tmp_path, extra, message):
    args = ["build", "--target", TARGET, "--pyramid", "[1,2,3]", "--out", str(tmp_path / "m")]
    for i in range(0, len(extra), 2):
        if extra[i] in args:
            args[args.index(extra[i]) + 1] = extra[i + 1]
        else:
            args += extra[i:i + 2]
    proc = subprocess.run([sys.executable, "-m", "varcheck", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr, proc.stderr
    assert len(lines[0]) < 300 and not re.search(r"\d{17,}", lines[0]) and not (tmp_path / "m").exists()
