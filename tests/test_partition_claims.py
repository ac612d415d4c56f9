"""Every partition claim (P1–P5) runs its full evidence and comes out as expected.

Run with ``--varcheck-profile full`` for the larger instances and example counts.
"""

from __future__ import annotations

import pytest

from tests.claim_checks import assert_claim_as_expected
from varcheck.claims.catalog import registry

CASES = [
    pytest.param("partition.lipschitz-grid", marks=pytest.mark.claim("partition.lipschitz-grid")),
    pytest.param("partition.relu-quantizer", marks=pytest.mark.claim("partition.relu-quantizer")),
    pytest.param("partition.value-mapping", marks=pytest.mark.claim("partition.value-mapping")),
    pytest.param("partition.bad-set-accounting", marks=pytest.mark.claim("partition.bad-set-accounting")),
    pytest.param("partition.lipschitz-blowup", marks=pytest.mark.claim("partition.lipschitz-blowup")),
]


@pytest.mark.parametrize("claim_id", CASES)
def test_claim_evidence_is_as_expected(claim_id, ctx):
    assert_claim_as_expected(claim_id, ctx)


@pytest.mark.claim("partition.lipschitz-grid")
def test_targeted_search_reaches_the_attained_bound(ctx):
    from varcheck.claims.partition.grid import EXTREMAL_GAP, partition_error_property

    result = partition_error_property(ctx)
    assert result.verdict == "passed", result.detail
    assert 1 - EXTREMAL_GAP <= result.observed <= 1


@pytest.mark.claim("partition.lipschitz-blowup")
def test_dependencies_point_to_partition_claims():
    reg = registry()
    assert set(reg.get("partition.bad-set-accounting").depends_on) >= {"partition.lipschitz-grid",
                                                                       "partition.relu-quantizer"}
    assert "partition.bad-set-accounting" in reg.get("partition.lipschitz-blowup").depends_on
