"""The meaning check of the quotations: which quotations a reader should look at again, and why.

A quotation is verbatim (checked by :mod:`analysis.data.provenance`), but a verbatim quotation can
still be the wrong evidence: it may not express the concept it is shown for, it may come from a
part of the study that is not the case it is attributed to, or its source type may be wrong.
This module is the *method* that flags candidates; the judgement on each flag is data
(``data/raw/quote_checks.csv``, one row per segment and check, with the seed lines the judgement
rests on), and a test requires a judgement for every flag.

Rules (each names what it flags):

- ``case_unit``: the cited lines lie outside the case's unit, the lines of its study that write
  about the case (``data/raw/case_units.csv``; the dissertation's three regional cases are
  interleaved with its type chapters and have no single unit, so the next rule serves them);
- ``case_names``: the cited lines name another case of the same study more often than their own
  (:data:`CASE_NAMES`);
- ``source_marker``: the source type has no marker in the cited lines: an interview without an
  interview code or the word 访谈, a policy document without a document title 《…》 or a
  policy-document code, a news item without a newspaper or media-article code.

Readability (for the exemplar quotes of the cross-case meta-matrix) is a rule, not a flag:
:func:`readable`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import pandas as pd

from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.data.text import normalise

__all__ = [
    "CASE_NAMES",
    "MIN_READABLE",
    "SIC",
    "case_evidence",
    "failing_segments",
    "flags",
    "han_count",
    "load_seeds",
    "load_typos",
    "mark_typos",
    "marked",
    "not_the_case",
    "outside_unit",
    "readable",
    "rule_flags",
    "summary",
    "typo_candidates",
]

#: Fewest Chinese characters an exemplar quotation must have: a clause with its subject and
#: object takes about fifteen; shorter quotations in the coding are OCR table cells.
MIN_READABLE = 15

#: Names by which a study's text refers to each case (normalised text: NFKC, no spaces).
CASE_NAMES: dict[str, tuple[str, ...]] = {
    "ZJ-HS": ("红色教学", "一点通"),
    "LX": ("X局", "L市"),
    "HZ": ("杭州",),
    "SZ": ("苏州",),
    "C-YJ": ("C市",),
    "S-A": ("A区",),
    "QWJ": ("长三角", "青浦", "吴江", "嘉善", "青吴嘉", "示范区"),
    "JJJ": ("京津冀", "北京", "天津", "河北", "雄安"),
    "XN": ("西南", "川渝", "重庆", "四川", "贵州", "云南", "西藏", "五省"),
}

_HAN = re.compile(r"[\u4e00-\u9fff]")
#: Interview markers: the word, or an interview code (003: two letters + FT + date; 001: a
#: 访谈记录 code; 002: a 资料编码 whose letter F marks an interview).
_INTERVIEW = re.compile(r"访谈|受访|[A-Z]{2}FT\d|\d{8}[A-Z]{2}F[A-Z]?\d")
_POLICY = re.compile(r"[《》]|\d{8}[A-Z]{2}[PS][A-Z]?")
_NEWS = re.compile(r"报|媒体|新闻|记者|\d{8}[A-Z]{2}T[A-Z]?")
_MARKERS = {"interview": _INTERVIEW, "policy_document": _POLICY, "news": _NEWS}

#: Character pairs often confused in print or OCR (形近或音近), for :func:`typo_candidates`.
CONFUSABLE: tuple[tuple[str, str], ...] = (
    ("足", "是"),
    ("申", "伸"),
    ("己", "已"),
    ("未", "末"),
    ("冇", "有"),
    ("翼", "冀"),
    ("淨", "津"),
    ("丫", "了"),
    ("史", "更"),
    ("贵", "责"),
    ("年", "层"),
)


def han_count(text: str) -> int:
    """Number of Chinese characters (CJK unified ideographs) in ``text``."""
    return len(_HAN.findall(text))


def readable(quote: str) -> bool:
    """One continuous passage (no ``…`` joining OCR fragments) of at least :data:`MIN_READABLE` characters."""
    return "…" not in quote and han_count(quote) >= MIN_READABLE


def _lines(seed_text: list[str], line_from: int, line_to: int) -> str:
    return normalise("".join(seed_text[line_from - 1 : line_to]))


def flags(segments: pd.DataFrame, units: pd.DataFrame, seeds: dict[str, list[str]]) -> pd.DataFrame:
    """Every (segment, check, rule) the rules flag, in segment order.

    Parameters
    ----------
    segments : pd.DataFrame
        The consensus coding (segment id, case, seed, lines, source type, quotation).
    units : pd.DataFrame
        ``case_units``: case id, seed id, first and last line of the case's unit.
    seeds : dict[str, list[str]]
        Seed id -> its lines (as :func:`analysis.data.io.read_seed_lines` splits them).
    """
    outside = outside_unit(segments, units)
    rows: list[dict[str, str]] = []
    for rec in segments.to_dict("records"):
        sid, case, seed = str(rec["segment_id"]), str(rec["case_id"]), str(rec["seed_id"])
        text = _lines(seeds[seed], int(rec["line_from"]), int(rec["line_to"]))
        if sid in outside:
            rows.append({"segment_id": sid, "check": "case", "rule": "case_unit"})
        own = sum(text.count(n) for n in CASE_NAMES[case])
        siblings = [c for c, (s, _) in CASES.items() if s == seed and c != case]
        if any(sum(text.count(n) for n in CASE_NAMES[c]) > own for c in siblings):
            rows.append({"segment_id": sid, "check": "case", "rule": "case_names"})
        marker = _MARKERS.get(str(rec["source_type"]))
        if marker is not None and not marker.search(text):
            rows.append({"segment_id": sid, "check": "source_type", "rule": "source_marker"})
    return pd.DataFrame(rows, columns=["segment_id", "check", "rule"])


def load_seeds(seed_ids: Iterable[str], manifest: io.Manifest) -> dict[str, list[str]] | None:
    """The lines of each seed, read through the hash-checked gate; ``None`` without the sources."""
    out = {}
    for seed in seed_ids:
        lines = io.seed_lines(seed, manifest)
        if lines is None:
            return None
        out[seed] = lines
    return out


def typo_candidates(quote: str, seed_text: str) -> list[tuple[str, str]]:
    """Possible misprints in ``quote``: (printed pair, likely pair).

    A pair of characters is a candidate when it occurs only once in its study (``seed_text``,
    normalised) while the pair with one character replaced by a commonly confused one
    (:data:`CONFUSABLE`) occurs at least twice. Candidates are judged by a reader; the confirmed
    ones are listed in ``data/raw/source_typos.csv``.
    """
    swap: dict[str, list[str]] = {}
    for a, b in CONFUSABLE:
        swap.setdefault(a, []).append(b)
        swap.setdefault(b, []).append(a)
    q = normalise(quote)
    out = []
    for i in range(len(q) - 1):
        pair = q[i : i + 2]
        if seed_text.count(pair) != 1:
            continue
        for pos in (0, 1):
            for alt in swap.get(pair[pos], []):
                variant = pair[:pos] + alt + pair[pos + 1 :]
                if seed_text.count(variant) >= 2:
                    out.append((pair, variant))
    return out


def failing_segments(checks: pd.DataFrame) -> set[str]:
    """Segments with at least one failing check: never shown as an exemplar quotation."""
    return set(checks.loc[checks["status"] == "fails", "segment_id"])


def mark_typos(quote: str, seed_id: str, line_from: int, line_to: int, typos: pd.DataFrame) -> str:
    """``quote`` with each recorded misprint of its lines followed by 〔原文如此〕 ([sic]).

    A misprint is marked where its printed words occur in the quotation and its recorded lines
    overlap the quotation's lines.
    """
    here = typos[
        (typos["seed_id"] == seed_id) & (typos["line_from"] <= line_to) & (typos["line_to"] >= line_from)
    ]
    for printed in sorted(set(here["printed_zh"]), key=len, reverse=True):
        if printed in quote and f"{printed}{SIC}" not in quote:
            quote = quote.replace(printed, f"{printed}{SIC}")
    return quote


#: The Chinese convention for [sic].
SIC = "〔原文如此〕"


def outside_unit(segments: pd.DataFrame, units: pd.DataFrame) -> set[str]:
    """Segments whose cited lines leave their case's unit (cases without a unit are never outside)."""
    span = {str(r["case_id"]): (int(r["line_from"]), int(r["line_to"])) for r in units.to_dict("records")}
    return {
        str(rec["segment_id"])
        for rec in segments.to_dict("records")
        if str(rec["case_id"]) in span
        and not span[str(rec["case_id"])][0]
        <= int(rec["line_from"])
        <= int(rec["line_to"])
        <= span[str(rec["case_id"])][1]
    }


def load_typos(manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The recorded misprints of the sources (``source_typos``)."""
    return io.load_table("source_typos", manifest)


def marked(rec: Mapping[Hashable, Any], quote: str | None = None) -> str:
    """The quotation of a segment record (or ``quote``, a cut of it) with its misprints marked."""
    text = str(rec["evidence_zh"]) if quote is None else quote
    lo, hi = int(str(rec["line_from"])), int(str(rec["line_to"]))
    return mark_typos(text, str(rec["seed_id"]), lo, hi, load_typos())


def rule_flags(segments: pd.DataFrame, manifest: io.Manifest | None = None) -> pd.DataFrame | None:
    """:func:`flags` of the consensus coding; ``None`` without the sources."""
    manifest = manifest or io.load_manifest()
    units = io.load_table("case_units", manifest)
    seeds = load_seeds(sorted(set(segments["seed_id"])), manifest)
    if seeds is None:
        return None
    return flags(segments, units, seeds)


def not_the_case(checks: pd.DataFrame) -> set[str]:
    """Segments judged not to be about the case they are coded for (a failing ``case`` check)."""
    return set(checks.loc[(checks["check"] == "case") & (checks["status"] == "fails"), "segment_id"])


def case_evidence(segments: pd.DataFrame, manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The segments that belong to the case they are coded for, for comparisons between cases.

    A segment coded for a case may come from a part of its study that is about something else:
    a province-wide context, a type chapter's general argument, the national policy background.
    It stays evidence for its study's own frameworks and type tables, but who co-creates in a
    case, the case's configuration and a proposition's verdict in a case count only the segments
    without a failing ``case`` check (:func:`not_the_case`).
    """
    checks = io.load_table("quote_checks", manifest or io.load_manifest())
    return segments[~segments["segment_id"].isin(not_the_case(checks))].reset_index(drop=True)


def summary(segments: pd.DataFrame, manifest: io.Manifest | None = None) -> dict[str, int | str]:
    """Counts of the meaning check for the methods page."""
    manifest = manifest or io.load_manifest()
    checks = io.load_table("quote_checks", manifest)
    fails = checks[checks["status"] == "fails"]
    found = rule_flags(segments, manifest)
    return {
        "flags_phrase": (
            "本次构建时源文件不可用，规则未能重新运行"
            if found is None
            else f"规则标出 {len(found)} 处"
            if len(found)
            else "规则没有标出任何一处"
        ),
        "n_review": int((checks["found_by"] == "review").sum()),
        "n_rows": len(checks),
        "n_fail": len(fails),
        "n_fail_revision": int((fails["fix"] == "revision").sum()),
        "n_fail_exemplar": int((fails["fix"] == "not_exemplar").sum()),
        "n_typos": len(load_typos(manifest)),
    }
