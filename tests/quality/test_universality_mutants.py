"""Quality tests: a mutated word-to-image construction (T2) must be caught (varcheck.claims.universality)."""

from __future__ import annotations

import pytest

from tests.quality import assert_killed


@pytest.mark.claim("ua.word-to-image")
def test_position_independent_table_is_caught_by_the_sampled_check():
    result = assert_killed("ua.word-table-position-independent")
    assert "certified sup bound" in result.checks[0].detail
