"""What every public entry point must do with any input (docs/design.md).

:func:`check_call` runs one call and asserts the contract: it returns, or it raises :class:`VarcheckError`
whose message is one sentence naming the argument; never another exception type, never a hang (a call that
has not returned after :data:`CALL_SECONDS` fails: sizes beyond a limit must be refused up front), and
nothing on disk changes when the call fails. Every distinct input is counted (:data:`TRIED`).
"""

from __future__ import annotations

import hashlib
import math
import re
import signal
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

from hypothesis import strategies as st

from varcheck.errors import VarcheckError

#: A call that takes longer than this has hung (within the limits, every call of the strategies takes < 1 s).
CALL_SECONDS = 15.0
#: A call may allocate at most this much beyond what the process already holds; more raises MemoryError,
#: which the contract counts as a failure (an unbounded size must be refused up front, not attempted).
CALL_MEMORY_BYTES = 3 * 2**30
#: Hashes of the distinct (entry point, input) pairs tried in this session; counts per entry point.
TRIED: set = set()
PER_ENTRY: dict = {}


class Hang(BaseException):
    """Raised by the alarm inside a call that did not return in time (BaseException: not caught as Exception)."""


@contextmanager
def memory_limit(extra_bytes: int):
    """Cap the address space at its current size plus ``extra_bytes`` for the duration (restored after)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm", encoding="ascii") as handle:
        current = int(handle.read().split()[0]) * resource.getpagesize()
    cap = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def time_limit(seconds: float):
    def on_alarm(signum, frame):
        raise Hang()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(directory: Path) -> dict:
    """Every file and directory below ``directory`` with its size and content hash."""
    out = {}
    for path in sorted(Path(directory).rglob("*")):
        rel = str(path.relative_to(directory))
        if path.is_dir():
            out[rel] = "dir"
        else:
            data = path.read_bytes()
            out[rel] = (len(data), hashlib.sha1(data).hexdigest())
    return out


_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[A-Z])")


def is_one_sentence(message: str) -> bool:
    """One line, ending with a full stop, with no second sentence starting after a full stop."""
    text = message.strip()
    return bool(text) and "\n" not in text and text.endswith((".", ")", "'")) and not _SENTENCE_BREAK.search(text)


def _describe(args, kwargs) -> str:
    text = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
    return text[:600]


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def record(entry: str, *payload) -> None:
    key = hashlib.sha1((entry + "\x00" + repr(payload)).encode("utf-8", "backslashreplace")).hexdigest()
    if key not in TRIED:
        TRIED.add(key)
        PER_ENTRY[entry] = PER_ENTRY.get(entry, 0) + 1


def check_call(entry: str, fn, args=(), kwargs=None, *, names=(), workdir=None, seconds: float = CALL_SECONDS):
    """Call ``fn(*args, **kwargs)`` under the contract; return ``(True, result)`` or ``(False, error)``.

    ``names``: the argument names one of which a VarcheckError message must mention (default: the keyword
    names given). ``workdir``: a directory that must be unchanged when the call fails.
    """
    kwargs = dict(kwargs or {})
    record(entry, args, kwargs)
    names = tuple(names) or tuple(kwargs)
    before = snapshot(workdir) if workdir is not None else None
    where = f"{entry}({_describe(args, kwargs)})"
    try:
        with memory_limit(CALL_MEMORY_BYTES), time_limit(seconds):
            result = fn(*args, **kwargs)
    except Hang:
        raise AssertionError(f"{where} did not return within {seconds:g} s: an unbounded size must be refused up "
                             "front") from None
    except MemoryError:
        raise AssertionError(f"{where} tried to allocate more than {CALL_MEMORY_BYTES / 2**30:g} GiB: an unbounded "
                             "size must be refused up front") from None
    except VarcheckError as exc:
        message = str(exc)
        assert is_one_sentence(message), f"{where}: the error is not one sentence: {message!r}"
        if names:
            assert any(n.lower() in message.lower() for n in names), (f"{where}: the error names none of {names}: "
                                                                      f"{message!r}")
        if before is not None:
            assert snapshot(workdir) == before, f"{where} failed but changed files in {workdir}"
        return False, exc
    except Exception as exc:  # noqa: BLE001 - this is exactly what the contract forbids
        raise AssertionError(f"{where} raised {type(exc).__name__}: {exc}"[:1500]) from exc
    return True, result


# --------------------------------------------------------------------------- strategies of bad (and good) values

def _fractions():
    return st.fractions(max_denominator=10**6)


#: Scalars of every kind a caller might pass by mistake.
junk_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.binary(max_size=4), _fractions(), st.complex_numbers(max_magnitude=10, allow_nan=False),
    st.just(object()), st.just(math.pi), st.just(Fraction(1, 3)), st.sampled_from([
        "1/3", "-2", "nan", "inf", "1e400", "0x10", "1e999999999", "1/0", " 7 "]),
)

#: Junk including small containers of junk.
junk = st.recursive(junk_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                                                           st.dictionaries(st.text(max_size=3), inner, max_size=2)),
                    max_leaves=6)


def sizes(low: int = -2, high: int = 6):
    """A size: small in-range or out-of-range integers, enormous ones, or junk."""
    return st.one_of(st.integers(low, high), st.integers(low, high), st.integers(10**6, 10**15),
                     st.sampled_from([0, -1, 2**31, 2**63, 10**100]), junk_scalars)


def rationals():
    """A rational-like value: small fractions, floats (with NaN/∞), huge or tiny numbers, numeric strings, junk."""
    return st.one_of(_fractions(), st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=True),
                     st.sampled_from([Fraction(1, 10**400), Fraction(10**400), 1e-320, 1e308, "1/3", "x", 0, -1]),
                     junk_scalars)


def choice_or_junk(choices):
    return st.one_of(
        st.sampled_from(tuple(choices)), st.sampled_from(tuple(choices)), st.text(max_size=10), junk_scalars
    )
