"""torch's nearest index (docs/theory.md §2.4, I9, refuted): torch computes ⌊fl32(fl32(i)·fl32(h/h'))⌋, which differs
from ⌊i·h/h'⌋; with the claim's constant and its reproduction snippet."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ...errors import VarcheckError
from ...exact.interpolation import floor_nearest_index, torch_nearest_index
from ...theory.registry import Claim, Context, EvidenceResult
from ...theory.registry import EvidenceSpec as E
from ...theory.reporting import Constant
from ..snippets import counterexample_of, fraction_literal

__all__ = ["CLAIMS", "nearest_constants", "torch_nearest_floor_snippet"]

_VAR = "varcheck formalisation"


def exact_nearest_mismatches(ctx: Context) -> EvidenceResult:
    """Enumerate every size pair up to 64 where torch's float32 nearest index differs from ⌊i·h/h'⌋."""
    mismatches = [(h, hp, i) for h in range(1, 65) for hp in range(1, 65) for i in range(hp)
                  if torch_nearest_index(i, h, hp) != floor_nearest_index(i, h, hp)]
    pairs = sorted({(h, hp) for h, hp, _ in mismatches})
    if not mismatches:
        return EvidenceResult("passed", "torch nearest equals the floor formula for every pair up to 64")
    h, hp, i = next((m for m in mismatches if m[:2] == (26, 22)), mismatches[0])
    scale = np.float32(h) / np.float32(hp)
    product = np.float32(i) * scale
    return EvidenceResult(
        "refuted",
        f"{len(pairs)} size pairs up to 64 differ: " + ", ".join(f"{a}→{b}" for a, b in pairs)
        + f". E.g. {h}→{hp}, output {i}: float32({h}/{hp})·{i} = {Fraction(float(product))} < {i * h // hp}, "
        f"so torch copies input {torch_nearest_index(i, h, hp)}, not ⌊{i}·{h}/{hp}⌋ = {i * h // hp}.",
        observed=len(pairs), bound=0,
        counterexample={"h": h, "h_prime": hp, "output": i, "torch_index": torch_nearest_index(i, h, hp),
                        "floor_index": floor_nearest_index(i, h, hp), "float32_product": Fraction(float(product))},
    )


def torch_nearest_counterexample(ctx: Context) -> EvidenceResult:
    """Run torch itself on x = (0, 1, …, h−1) for each mismatching pair and read the copied index."""
    from ...runtime.interpolation import torch_interpolate

    found = None
    for h in range(1, 65):
        for hp in range(1, 65):
            got = torch_interpolate(np.arange(h, dtype=np.float64).reshape(1, 1, h, 1), (hp, 1), "nearest").reshape(hp)
            floor = np.array([floor_nearest_index(i, h, hp) for i in range(hp)])
            bad = np.nonzero(got != floor)[0]
            if bad.size and found is None:
                found = (h, hp, int(bad[0]), int(got[bad[0]]), int(floor[bad[0]]))
    if found:
        h, hp, i, t, f = found
        import torch
        import torch.nn.functional as F

        # torch's 1-D (3-D tensor) float64 kernel computes the index in float64: record what it does there
        one_d = F.interpolate(torch.arange(h, dtype=torch.float64).reshape(1, 1, h), size=hp, mode="nearest")[
            0, 0, i
        ].item()
        return EvidenceResult("refuted", f"torch.nn.functional.interpolate(nearest) on a 4-D float64 tensor {h}→{hp} "
                                         f"copies input {t} to output {i}; ⌊i·h/h'⌋ = {f}. (The 1-D call on a 3-D "
                                         f"float64 tensor copies input {int(one_d)} there: torch's nearest index "
                                         "depends on the tensor rank and dtype.)",
                              counterexample={"h": h, "h_prime": hp, "output": i, "torch_index": t, "floor_index": f})
    return EvidenceResult("passed", "torch nearest matched the floor formula everywhere")


def torch_nearest_floor_snippet(result) -> str:
    """I9: torch's float32 nearest index differs from ⌊i·h/h'⌋, shown in float32 arithmetic and by torch itself."""
    c = counterexample_of(result, exact_nearest_mismatches)
    h, hp, i, ti, fi = (int(c[key]) for key in ("h", "h_prime", "output", "torch_index", "floor_index"))
    lines = [
        "from fractions import Fraction",
        "",
        "import torch",
        "",
        f"h, h_prime, i = {h}, {hp}, {i}",
        "# torch (aten/native/UpSample.h, nearest_idx) computes floor(float32(i) * (float32(h) / float32(h'))):",
        "scale = torch.tensor(h, dtype=torch.float32) / torch.tensor(h_prime, dtype=torch.float32)",
        "product = (torch.tensor(i, dtype=torch.float32) * scale).item()",
        f"assert Fraction(product) == {fraction_literal(c['float32_product'])} < {fi}, Fraction(product)",
        f"assert (i * h) // h_prime == {fi}  # the mathematical nearest index",
        "",
        "# torch itself, on the 4-D (B, C, H, W) float64 tensor x = (0, 1, ..., h-1): output i copies input",
        "x = torch.arange(h, dtype=torch.float64).reshape(1, 1, h, 1)",
        'y = torch.nn.functional.interpolate(x, size=(h_prime, 1), mode="nearest")',
        f"assert int(y[0, 0, i, 0].item()) == {ti} != (i * h) // h_prime, y[0, 0, i, 0]",
    ]
    try:
        n = counterexample_of(result, torch_nearest_counterexample)
    except VarcheckError:
        n = None
    if n is not None and (int(n["h"]), int(n["h_prime"])) != (h, hp):
        h2, hp2, i2, t2, f2 = (int(n[key]) for key in ("h", "h_prime", "output", "torch_index", "floor_index"))
        lines += [
            "",
            f"# The first mismatching pair torch itself shows: {h2} -> {hp2}, output {i2}.",
            f"x2 = torch.arange({h2}, dtype=torch.float64).reshape(1, 1, {h2}, 1)",
            f'y2 = torch.nn.functional.interpolate(x2, size=({hp2}, 1), mode="nearest")',
            f"assert int(y2[0, 0, {i2}, 0].item()) == {t2} and ({i2} * {h2}) // {hp2} == {f2}",
        ]
    lines += ["", f'print(f"torch nearest {{h}}->{{h_prime}} copies input {ti} to output {{i}}; floor(i*h/h\') = '
                  f'{fi}")']
    return "\n".join(lines)


def nearest_constants() -> list:
    """The number of size pairs up to 64 where torch's nearest differs from the floor formula (I9)."""
    pairs = {(h, hp) for h in range(1, 65) for hp in range(1, 65) for i in range(hp)
             if torch_nearest_index(i, h, hp) != floor_nearest_index(i, h, hp)}
    return [Constant("nearest_mismatch_pairs", len(pairs), True,
                     "size pairs h, h' ≤ 64 where torch's nearest differs from ⌊i·h/h'⌋", "interp.torch-nearest-floor")]



CLAIMS = (
    Claim(
        id="interp.torch-nearest-floor",
        label="I9",
        title="torch's nearest equals ⌊i·h/h'⌋",
        statement="torch.nn.functional.interpolate(mode='nearest') copies input ⌊i·h/h'⌋ to output i.",
        paper_ref=_VAR,
        expected="refuted",
        corrected=(
            "torch copies input min(⌊fl32(fl32(i)·fl32(h/h'))⌋, h−1) (identity for h' = h, i>>1 for h' = 2h); "
            "this differs from ⌊i·h/h'⌋ at 15 size pairs up to 64. varcheck's nearest reproduces torch's 2-D "
            "(4-D tensor) call bit for bit, the one image models use; torch's 1-D and 3-D float64 kernels compute the "
            "index in float64 and can differ from its own 2-D result (26→22, output 11: 13 in 1-D, 12 in 2-D)."
        ),
        depends_on=("interp.torch-parity",),
        repro=torch_nearest_floor_snippet,
        evidence=(
            E("construction", exact_nearest_mismatches, "enumerate the emulated float32 index against the exact floor "
                                                        "for every pair up to 64"),
            E("numeric", torch_nearest_counterexample, "torch itself on x = (0, …, h−1): the copied index differs from "
                                                       "the floor"),
        ),
    ),
)
