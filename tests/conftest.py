"""Shared pytest set-up: the claim marker, the evidence profile, and claim-id validation at collection."""

from __future__ import annotations

import pytest

from varcheck.claims.catalog import registry
from varcheck.theory.registry import Context


def pytest_addoption(parser):
    group = parser.getgroup("varcheck")
    group.addoption("--varcheck-profile", choices=("quick", "full"), default="quick",
                    help="instance sizes and example counts of claim evidence (default quick; full is the long run)")
    group.addoption("--varcheck-seed", type=int, default=0, help="seed of every random choice in claim evidence")


def pytest_collection_modifyitems(config, items):
    known = set(registry().ids())
    for item in items:
        for mark in item.iter_markers("claim"):
            if len(mark.args) != 1 or mark.args[0] not in known:
                raise pytest.UsageError(f"{item.nodeid} names claim {mark.args!r}, which is not registered")


@pytest.fixture
def ctx(request) -> Context:
    return Context(request.config.getoption("--varcheck-profile"), request.config.getoption("--varcheck-seed"))
