from __future__ import annotations

import base64

import altair as alt
import pandas as pd
import pytest

from analysis.report.chart import CJK_FONT, PALETTE, OfflineChart
from analysis.report.table import BookTable, escape_cell
from bookkit.sphinx.vega import javascript_bundle


def test_escape_cell_neutralises_markup() -> None:
    assert escape_cell("a|b *c* $x$") == r"a\|b \*c\* \$x\$"
    assert escape_cell(None) == ""
    assert escape_cell(float("nan")) == ""
    assert escape_cell("多行\n文本") == "多行 文本"


def test_book_table_is_a_labelled_myst_table() -> None:
    table = BookTable(pd.DataFrame({"地区": ["长三角"], "年份": [2019]}), "联盟", "tbl-x-y")
    text = table.markdown()
    assert text.startswith("```{table} 联盟\n:name: tbl-x-y\n")
    assert "| 长三角 | 2019 |" in text
    assert table._repr_mimebundle_()["text/markdown"] == text


@pytest.mark.parametrize(
    ("label", "caption", "rows"),
    [("fig-x", "c", 1), ("tbl_x", "c", 1), ("tbl-x", " ", 1), ("tbl-x", "c", 0)],
)
def test_book_table_rejects_bad_label_caption_or_empty(label: str, caption: str, rows: int) -> None:
    with pytest.raises(ValueError):
        BookTable(pd.DataFrame({"a": list(range(rows))}), caption, label)


@pytest.fixture(scope="module")
def chart() -> OfflineChart:
    frame = pd.DataFrame({"地区": ["长三角", "京津冀"], "年份": [2019, 2020]})
    return OfflineChart(alt.Chart(frame).mark_bar().encode(x="地区", y="年份"), "测试图")


def test_chart_bundle_is_offline_and_has_png(chart: OfflineChart) -> None:
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    # the only URL is the spec's "$schema" identifier, which vega-embed reads but never fetches
    assert "cdn" not in bundle["text/html"] and "<script src" not in bundle["text/html"]
    assert bundle["text/html"].count("https://") == 1 and '"$schema": "https://vega' in bundle["text/html"]
    assert "vegaEmbed(" in bundle["text/html"]
    assert 'aria-label="测试图"' in bundle["text/html"]
    assert base64.b64decode(bundle["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_uses_book_theme(chart: OfflineChart) -> None:
    config = chart.spec["config"]
    assert config["font"] == CJK_FONT
    assert config["range"]["category"] == list(PALETTE)


def test_chart_png_is_deterministic(chart: OfflineChart) -> None:
    assert chart.png() == chart.png()


def test_chart_needs_a_description() -> None:
    with pytest.raises(ValueError, match="description"):
        OfflineChart(alt.Chart(pd.DataFrame({"a": [1]})).mark_point(), "  ")


def test_javascript_bundle_defines_vega_embed() -> None:
    bundle = javascript_bundle()
    assert "window.vegaEmbed=" in bundle
    assert "cdn.jsdelivr" not in bundle


def test_every_field_of_every_data_file_is_described() -> None:
    from analysis.data import io
    from analysis.data.schemas.common import SCHEMAS
    from analysis.data.schemas.rules import rules_of
    from analysis.report import datasources

    manifest = io.load_manifest()
    dictionary = datasources.data_dictionary(manifest)
    fields = dictionary[dictionary["含义"] != datasources.RULE_ROW]
    rules = dictionary[dictionary["含义"] == datasources.RULE_ROW]
    assert len(fields) == sum(len(SCHEMAS[e.schema].columns) for e in manifest.files.values())
    assert len(rules) == sum(len(rules_of(SCHEMAS[e.schema])) for e in manifest.files.values()) > 0
    assert (dictionary["含义"].str.len() > 0).all()
    assert datasources.field_meaning("reform_events", "level") != datasources.field_meaning(
        "krippendorff_published", "level"
    )
    assert datasources.field_meaning("any_table", "a_field_nobody_described") is None
