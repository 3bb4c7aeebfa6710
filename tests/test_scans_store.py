"""SQLite result store (qke.scans.store): round trip, key stability, CSV export, persistence."""
import csv
import hashlib
import io
import sqlite3

import numpy as np
import pytest

from qke.errors import QKEInputError
from qke.scans.grid import INDEX_KEY
from qke.scans.store import ResultStore, canonical_json, point_key

POINT = {"model": "sm", "flavor": "mu", "m4": 7.1e-6, "sin2_2theta": 2e-9}


def test_round_trip_ok_and_failed():
    store = ResultStore(":memory:", version="v1")
    store.put(POINT, {"omega_h2": 0.121, "y": 3.5e-5}, None, wall_time=1.25)
    bad = {**POINT, "m4": 1e-7}
    store.put(bad, None, "SolverError: step size underflow at T = 1 GeV", wall_time=0.5)
    got = store.get(POINT)
    assert got.ok and got.status == "ok" and got.error is None
    assert got.values == {"omega_h2": 0.121, "y": 3.5e-5}
    assert got.point == POINT and got.wall_time == 1.25 and got.created > 0
    failed = store.get(bad)
    assert not failed.ok and failed.values is None
    assert failed.error == "SolverError: step size underflow at T = 1 GeV"
    assert store.get({**POINT, "m4": 2e-6}) is None
    assert store.done_keys() == {store.key(POINT), store.key(bad)}
    assert store.done_keys("failed") == {store.key(bad)}
    assert [r.key for r in store.rows()] == [store.key(POINT), store.key(bad)]
    assert len(store) == 2


def test_put_needs_exactly_one_of_result_and_error():
    store = ResultStore()
    with pytest.raises(ValueError):
        store.put(POINT, None, None, 0.0)
    with pytest.raises(ValueError):
        store.put(POINT, {"a": 1.0}, "oops", 0.0)


def test_key_is_stable_and_canonical():
    reordered = dict(reversed(list(POINT.items())))
    assert point_key(POINT, "v1") == point_key(reordered, "v1")
    assert point_key(POINT, "v1") == point_key({**POINT, "m4": np.float64(7.1e-6)}, "v1")
    assert point_key({"n": 3}, "v1") == point_key({"n": 3.0}, "v1") == point_key({"n": np.int64(3)}, "v1")
    # bookkeeping keys (grid index) are not part of the point
    assert point_key({**POINT, INDEX_KEY: (3, 4)}, "v1") == point_key(POINT, "v1")
    # the key must not change between runs or Python versions: SHA-256 of this exact text
    expected = hashlib.sha256(b'{"point":{"name":"a","x":1.0},"version":"v"}').hexdigest()
    assert point_key({"x": 1, "name": "a"}, "v") == expected
    assert len(point_key(POINT, "v1")) == 64
    assert canonical_json({"b": 1, "a": 0.1}) == '{"a":0.1,"b":1.0}'


def test_key_changes_with_version_and_value():
    assert point_key(POINT, "v1") != point_key(POINT, "v2")
    assert point_key(POINT, "v1") != point_key({**POINT, "m4": 7.1e-6 * (1 + 1e-15)}, "v1")
    assert ResultStore(version="a").key(POINT) != ResultStore(version="b").key(POINT)


def test_other_version_does_not_see_results(tmp_path):
    path = tmp_path / "s.sqlite"
    with ResultStore(path, version="v1") as store:
        store.put(POINT, {"y": 1.0}, None, 0.1)
    with ResultStore(path, version="v2") as other:
        assert other.get(POINT) is None
    with ResultStore(path, version="v1") as again:
        assert again.get(POINT).values == {"y": 1.0}


def test_unstorable_value_is_refused():
    with pytest.raises(QKEInputError, match="object"):
        ResultStore().key({"model": object()})


def test_each_put_is_committed_and_wal(tmp_path):
    path = tmp_path / "s.sqlite"
    store = ResultStore(path)
    store.put(POINT, {"y": 1.0}, None, 0.1)
    # another connection (as another process would) sees the row at once
    other = sqlite3.connect(path)
    assert other.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()
    store.close()


def _export(store, **kwargs):
    buffer = io.StringIO()
    store.export_csv(buffer, **kwargs)
    return buffer.getvalue()


def test_csv_export_header_units_and_failed_rows(tmp_path):
    store = ResultStore(version="v1")
    for m4 in (3e-6, 1e-6, 2e-6):
        store.put({**POINT, "m4": m4}, {"omega_h2": m4 * 1e4, "y": 2.0}, None, 0.1)
    store.put({**POINT, "m4": 1.5e-6}, None, "ValueError: no, really, no", 0.1)
    text = _export(store, columns=["m4", "sin2_2theta", "omega_h2"],
                   units={"m4": "GeV", "sin2_2theta": "1", "omega_h2": "1"})
    lines = text.splitlines()
    assert lines[0].startswith("# ") and "4 points, 1 failed" in lines[0]
    assert lines[1].startswith("# ") and "m4 [GeV]" in lines[1] and "omega_h2 [1] (result)" in lines[1]
    rows = list(csv.reader(lines[2:]))
    assert rows[0] == ["m4", "sin2_2theta", "omega_h2", "error"]
    body = rows[1:]
    assert [float(r[0]) for r in body] == [1e-6, 1.5e-6, 2e-6, 3e-6]  # sorted by parameters
    failed = body[1]
    assert failed[:2] == ["1.5e-06", "2e-09"] and failed[2] == "" and failed[3] == "ValueError: no, really, no"
    assert float(body[0][2]) == 1e-2 and body[0][3] == ""
    # to a path, with default columns: all parameters then all results
    path = tmp_path / "out.csv"
    store.export_csv(path)
    header = [l for l in path.read_text().splitlines() if not l.startswith("#")][0]
    assert header == "flavor,m4,model,sin2_2theta,omega_h2,y,error"


def test_csv_full_precision():
    store = ResultStore()
    store.put({"x": 0.1 + 0.2}, {"y": 1 / 3}, None, 0.0)
    row = list(csv.reader(_export(store).splitlines()[2:]))[1]
    assert float(row[0]) == 0.1 + 0.2 and float(row[1]) == 1 / 3
