"""Headless Chromium, with every network request refused, renders the timeline chart."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup


def test_timeline_renders_offline_in_chromium(html_dir: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed (make setup installs it)")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--proxy-server=http://127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=10000",
                "--dump-dom",
                (html_dir / "book" / "introduction.html").as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    soup = BeautifulSoup(done.stdout, "html.parser")
    figure = soup.find(id="fig-intro-timeline")
    assert figure is not None, done.stderr[-2000:]
    svg = figure.find("svg")
    assert svg is not None, "the chart did not render (no SVG in its container)"
    texts = " ".join(t.get_text() for t in svg.find_all("text"))
    assert "全国" in texts and "E01" in texts
