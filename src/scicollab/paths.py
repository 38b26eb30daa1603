"""Where things live: the repository, the processed data, the raw inputs, the build."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SCICOLLAB_DATA", ROOT / "data"))
NOTEBOOKS_DIR = ROOT / "notebooks"
BUILD_DIR = ROOT / "_build"


def default_raw_dir() -> Path:
    """The raw third-party files: $SCICOLLAB_RAW, else ../shared/data beside the clone."""
    env = os.environ.get("SCICOLLAB_RAW")
    return Path(env) if env else (ROOT.parent / "shared" / "data")
