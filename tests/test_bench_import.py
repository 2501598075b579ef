"""``tongban bench import``: a small run end to end (generator, the importer in a child
process of its own, the raw load) prints its figures and imports every generated row."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_small_import_benchmark_imports_every_row_and_prints_the_ratio(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TMPDIR"] = str(tmp_path)
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tongban", "bench", "import", "--rows", "300", "--skip-die"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    out = completed.stdout
    imported = re.search(r"tongban import: ([\d,]+) rows in .* \(errors (\d+)\)", out)
    assert imported, out
    assert (imported.group(1), imported.group(2)) == ("300", "0")
    raw = re.search(r"raw load:\s+([\d,]+) rows", out)
    assert raw and raw.group(1) == "300", out
    assert re.search(r"ratio to raw: [\d.]+x", out), out
