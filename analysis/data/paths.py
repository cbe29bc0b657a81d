"""Project paths. Every other module takes its paths from here."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "BOOK_DIR",
    "BUILD_DIR",
    "DATA_DIR",
    "GLUE_REGISTRY",
    "GOLDEN_GLUE",
    "HTML_DIR",
    "MANIFEST",
    "PROJECT_ROOT",
    "RAW_DIR",
    "seeds_dir",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BOOK_DIR = PROJECT_ROOT / "book"
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
MANIFEST = DATA_DIR / "MANIFEST.yaml"
BUILD_DIR = PROJECT_ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
GLUE_REGISTRY = BUILD_DIR / "glue.json"
#: The committed golden glue registry that the built one is compared with.
GOLDEN_GLUE = PROJECT_ROOT / "tests" / "golden" / "glue.json"


def seeds_dir() -> Path:
    """Folder of the five source documents: ``$SEEDS_DIR``, else ``../shared/seeds``."""
    env = os.environ.get("SEEDS_DIR")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "seeds"
