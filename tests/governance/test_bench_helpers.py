"""The intake benchmark's request builder (the benchmark itself is not run by the suite)."""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_intake_body_is_a_valid_open311_form_and_deterministic():
    sys.path.insert(0, str(BENCH))
    try:
        from intake import API_KEY, intake_body
    finally:
        sys.path.remove(str(BENCH))
    body = intake_body(7, "330502001005", "04.01")
    fields = dict(urllib.parse.parse_qsl(body.decode()))
    assert fields["api_key"] == API_KEY
    assert (fields["service_code"], fields["address_id"]) == ("04.01", "330502001005")
    assert 30.85 <= float(fields["lat"]) <= 30.90
    assert body == intake_body(7, "330502001005", "04.01")
    assert body != intake_body(8, "330502001005", "04.01")
