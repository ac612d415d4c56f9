"""What every proof notebook shares: varcheck importable from a bare checkout, figures shown or closed, and the
registry's verdicts on the notebook's claims.

A notebook puts this directory on ``sys.path`` (it runs from proofs/ in Jupyter, or from the repository root) and
imports :func:`show` and :func:`verify_claims` from here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

try:
    import varcheck
except ImportError:  # a bare checkout: the repository root holds the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import varcheck

__all__ = ["show", "verify_claims", "varcheck"]


def show(fig) -> None:
    """Display inline in Jupyter; with a non-interactive backend (plain script, Agg) just close."""
    import matplotlib
    import matplotlib.pyplot as plt

    if matplotlib.get_backend().lower() == "agg":
        plt.close(fig)
    else:
        plt.show()


def verify_claims(ids, *, evidence: bool = False) -> list:
    """Run the registered evidence of the claims ``ids`` (quick profile), print one row per claim (and, with
    ``evidence``, one per evidence), and assert that every outcome is as expected."""
    start = time.perf_counter()
    results = varcheck.verify(list(ids), profile="quick")
    width = max(len(r.claim.id) for r in results)
    print(f"{'label':10} {'id':{width}} {'expected':9} {'outcome':12} {'status':13} seconds")
    for r in results:
        print(f"{r.claim.label:10} {r.claim.id:{width}} {r.claim.expected:9} {r.outcome:12} {r.status:13} "
              f"{r.seconds:6.2f}")
        for e in r.evidence if evidence else ():
            print(f"{'':10} {e.kind:12} {e.verdict:8} {e.detail[:150]}")
    print(f"verify: {time.perf_counter() - start:.1f} s")
    assert all(r.outcome == "as_expected" for r in results), [r.claim.id for r in results]
    return results
