"""Rules across columns and rows, declared beside the pandera columns of each schema.

pandera checks one column at a time well; a rule that relates columns (a ratio against its
parts), rows (a unique key, a year-to-year jump, every unit in every year) or a table to a
reference list needs to say which row and which fields break it, and a missing row has no row
at all. A :class:`TableRule` does that: it finds :class:`Violation` records (row label, field,
value), and :mod:`analysis.data.io` turns them into problems naming the file's line.

Rules are declared in a schema's ``metadata={"rules": (...)}``; each states its
reason, and says so where a bound is a judgement rather than a fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.data.text import MIN_FRAGMENT, fragments, normalise

__all__ = [
    "TableRule",
    "Violation",
    "bounded",
    "calendar_date",
    "coverage",
    "finite",
    "identity",
    "max_jump",
    "names_agree",
    "plain",
    "quotation",
    "row_rule",
    "row_test",
    "rules_of",
    "unique_key",
]


@dataclass(frozen=True)
class Violation:
    """One breach of a rule: the row label (``None`` for the table), the field and the value.

    ``same_as`` names another row the breach refers to (the first copy of a duplicate key);
    ``detail`` is added to the rule in the message.
    """

    index: Hashable | None
    field: str
    value: object
    detail: str = ""
    same_as: Hashable | None = None


@dataclass(frozen=True)
class TableRule:
    """A rule over a whole table: what must hold, why, and how to find the rows that break it."""

    fields: tuple[str, ...]
    rule: str
    reason: str
    find: Callable[[pd.DataFrame], Iterable[Violation]] = field(repr=False)
    judgement: bool = False

    @property
    def statement(self) -> str:
        """The rule with its reason, as the data appendix lists it."""
        kind = "judgement" if self.judgement else "fact"
        return f"{self.rule} ({kind}: {self.reason})"


def rules_of(schema: pa.DataFrameSchema) -> tuple[TableRule, ...]:
    """The table rules a schema declares."""
    return tuple((schema.metadata or {}).get("rules", ()))


# --- column checks with their reasons ----------------------------------------------------------


def finite() -> pa.Check:
    """A float is finite (``inf`` passes ``gt(0)`` and would turn a mean into ``inf``)."""
    return pa.Check(np.isfinite, element_wise=False, name="finite", error="must be a finite number")


def bounded(
    dtype: type,
    low: float | None,
    high: float | None,
    reason: str,
    *,
    judgement: bool = False,
    **kwargs: object,
) -> pa.Column:
    """A numeric column, finite and within ``[low, high]``; ``reason`` says where the bounds come from."""
    checks = [finite()] if dtype is float else []
    if low is not None and high is not None:
        checks.append(pa.Check.in_range(low, high))
    elif low is not None:
        checks.append(pa.Check.ge(low))
    elif high is not None:
        checks.append(pa.Check.le(high))
    kind = "judgement" if judgement else "fact"
    return pa.Column(dtype, checks, coerce=True, description=f"{kind}: {reason}", **kwargs)  # type: ignore[arg-type]


def quotation(min_chars: int, reason: str) -> pa.Column:
    """A verbatim quotation of at least ``min_chars`` characters, with no short fragment.

    Characters are counted after :func:`analysis.data.text.normalise`; every fragment needs at
    least :data:`analysis.data.text.MIN_FRAGMENT`.
    """

    def long_enough(text: str) -> bool:
        parts = fragments(text)
        return len(normalise(text)) >= min_chars and bool(parts) and min(map(len, parts)) >= MIN_FRAGMENT

    return pa.Column(
        str,
        pa.Check(
            long_enough,
            element_wise=True,
            name=f"quotation(min {min_chars} characters, fragments >= {MIN_FRAGMENT})",
            error=f"needs at least {min_chars} characters and fragments of {MIN_FRAGMENT} or more",
        ),
        description=f"judgement: {reason}",
    )


def calendar_date(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real calendar date (no 2019-02-30)."""
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return False
    if [len(p) for p in parts] != [4, 2, 2][: len(parts)]:
        return False
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        dt.date(*numbers)
    except ValueError:
        return False
    return True


# --- table rules ---------------------------------------------------------------------------------


def _key(frame: pd.DataFrame, fields: Sequence[str]) -> list[Hashable]:
    if len(fields) == 1:
        return list(frame[fields[0]])
    return list(zip(*(frame[f] for f in fields), strict=True))


def plain(value: object) -> object:
    """A NumPy scalar as the Python value it holds (for messages)."""
    return value.item() if isinstance(value, np.generic) else value


def unique_key(*fields: str, reason: str) -> TableRule:
    """No two rows share the values of ``fields``; each repeat names the row it repeats."""

    def find(frame: pd.DataFrame) -> Iterator[Violation]:
        first: dict[Hashable, Hashable] = {}
        for index, key in zip(frame.index, _key(frame, fields), strict=True):
            if key in first:
                yield Violation(
                    index,
                    "/".join(fields),
                    tuple(plain(k) for k in key) if isinstance(key, tuple) else plain(key),
                    "repeats a key",
                    same_as=first[key],
                )
            else:
                first[key] = index

    what = " and ".join(fields)
    return TableRule(tuple(fields), f"{what} must be unique", reason, find)


def row_rule(
    fields: Sequence[str],
    ok: Callable[[pd.DataFrame], pd.Series],
    rule: str,
    reason: str,
    *,
    judgement: bool = False,
) -> TableRule:
    """A rule each row must meet on its own; ``ok(frame)`` is a boolean Series by row."""

    def find(frame: pd.DataFrame) -> Iterator[Violation]:
        good = ok(frame)
        for index in frame.index[~good.to_numpy(dtype=bool)]:
            row = frame.loc[index]
            value = plain(row[fields[0]]) if len(fields) == 1 else {f: plain(row[f]) for f in fields}
            yield Violation(index, "/".join(fields), value)

    return TableRule(tuple(fields), rule, reason, find, judgement)


def row_test(
    fields: Sequence[str],
    test: Callable[..., bool],
    rule: str,
    reason: str,
    *,
    judgement: bool = False,
) -> TableRule:
    """:func:`row_rule` for a rule no column expression states: ``test`` takes one row's ``fields``.

    ``test(*values)`` receives the row's values of ``fields`` in that order and says whether the
    row meets the rule.
    """

    def ok(frame: pd.DataFrame) -> pd.Series:
        rows = zip(*(frame[f] for f in fields), strict=True)
        return pd.Series([bool(test(*values)) for values in rows], index=frame.index, dtype=bool)

    return row_rule(fields, ok, rule, reason, judgement=judgement)


def identity(
    result: str,
    compute: Callable[[pd.DataFrame], pd.Series],
    formula: str,
    rel_tol: float,
    reason: str,
    inputs: Sequence[str] = (),
) -> TableRule:
    """``result`` equals ``compute(frame)`` within ``rel_tol`` (a ratio against its parts)."""

    def find(frame: pd.DataFrame) -> Iterator[Violation]:
        expected = compute(frame).astype(float)
        got = frame[result].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            off = ((got - expected).abs() / expected.abs()).to_numpy()
        for index, o, e in zip(frame.index, off, expected, strict=True):
            if not o <= rel_tol:  # also NaN
                yield Violation(index, result, plain(frame.at[index, result]), f"the parts give {e:.6g}")

    return TableRule((result, *inputs), f"{result} = {formula} (within a relative {rel_tol:g})", reason, find)


def max_jump(
    column: str,
    unit: str,
    time: str,
    low: float,
    high: float,
    reason: str,
    *,
    judgement: bool = True,
) -> TableRule:
    """From one year to the next a unit's ``column`` changes by a factor within ``[low, high]``."""

    def find(frame: pd.DataFrame) -> Iterator[Violation]:
        ordered = frame.sort_values([unit, time], kind="stable")
        values = ordered[column].astype(float)
        before = values.groupby(ordered[unit]).shift()
        gap = ordered[time].astype(int) - ordered[time].astype(int).groupby(ordered[unit]).shift()
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = values / before
        bad = (gap == 1) & ~factor.between(low, high)
        for index in ordered.index[bad.to_numpy(dtype=bool)]:
            yield Violation(
                index,
                column,
                plain(frame.at[index, column]),
                f"{factor[index]:.3g} times the year before ({before[index]:.6g})",
            )

    return TableRule(
        (column, unit, time),
        f"{column} changes from one {time} to the next by a factor in [{low:g}, {high:g}]",
        reason,
        find,
        judgement,
    )


def coverage(
    unit: str,
    time: str,
    units: Callable[[pd.DataFrame], Iterable[Hashable]],
    times: Callable[[pd.DataFrame], Iterable[int]],
    reason: str,
) -> TableRule:
    """Every unit of ``units`` in every time of ``times``: a missing pair names the row before the gap."""

    def find(frame: pd.DataFrame) -> Iterator[Violation]:
        want_units, want_times = list(units(frame)), sorted(times(frame))
        years = frame[time].astype(int)
        have = set(zip(frame[unit], years, strict=True))
        rows = {u: frame.index[frame[unit] == u] for u in want_units}
        for u in want_units:
            if rows[u].empty:
                yield Violation(
                    None, unit, u, f"has no rows (needs every {time} {want_times[0]}-{want_times[-1]})"
                )
                continue
            for t in want_times:
                if (u, t) in have:
                    continue
                earlier = [i for i in rows[u] if years[i] < t]
                where = max(earlier, key=lambda i: years[i]) if earlier else None
                yield Violation(where, time, t, f"{u} has no row for {time} {t}")
        extra = sorted(set(frame[unit]) - set(want_units), key=str)
        for u in extra:
            yield Violation(frame.index[frame[unit] == u][0], unit, u, "is not in the reference list")

    return TableRule((unit, time), f"every {unit} in every {time} of the design", reason, find)


def names_agree(zh: str, en: str, reference: dict[str, str], reason: str) -> TableRule:
    """Each Chinese name and its English name are a pair of the one ``reference`` table."""

    def find(frame: pd.DataFrame) -> Iterator[Violation]:
        for index, a, b in zip(frame.index, frame[zh], frame[en], strict=True):
            if a not in reference:
                yield Violation(index, zh, a, "is not a name of the reference table")
            elif reference[a] != b:
                yield Violation(index, en, b, f"the reference table names {a} {reference[a]!r}")

    return TableRule((zh, en), f"{zh} and {en} agree with the reference table", reason, find)
