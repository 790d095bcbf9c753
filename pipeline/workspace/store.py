"""Reviewers' judgements in SQLite (``review.db`` beside the outputs).

Every action is one row of ``corrections``: who, when, which row (file, table, row, name),
which field, the value before and after, the reviewer's note, and a snapshot of the row as
the outputs had it (so that ``review.db`` alone is enough to build training rows). Nothing
is ever updated or deleted: a later correction of the same field wins.

Fields a reviewer can correct:

- ``level1`` / ``level2``: the standard first / second level (``level2`` one of the
  classifier's labels, e.g. ``时效指标``);
- ``name``, ``target_raw``, ``actual_raw``, ``unit_raw``: the text of the row;
- ``flag:CODE``: ``accept`` or ``reject`` a flag of the row (the note says why), e.g.
  ``flag:MISFILED_L2`` = ``reject`` with the note "填报的二级指标是对的".
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipeline.workspace.outdir import RowEntry, RowKey

TEXT_FIELDS = ("name", "target_raw", "actual_raw", "unit_raw")
CATEGORY_FIELDS = ("level1", "level2")
FLAG_VERDICTS = ("accept", "reject")
# what a snapshot keeps of a row: enough to make a labelled training row
SNAPSHOT_COLUMNS = ("level1_filed", "level2_filed", "name", "target_raw", "actual_raw", "unit_raw", "level1",
                    "level2", "confidence", "misfiled", "target_vague", "flags")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    file TEXT NOT NULL,
    tbl INTEGER NOT NULL,
    row INTEGER NOT NULL,
    name TEXT NOT NULL,
    field TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS corrections_row ON corrections (file, tbl, row, name);
"""


class CorrectionError(ValueError):
    """A correction that cannot be stored (unknown field, a value that is no label …)."""


@dataclass(frozen=True, slots=True)
class Correction:
    id: int
    at: str
    who: str
    file: str
    table: int
    row: int
    name: str
    field: str
    before: str
    after: str
    note: str
    snapshot: dict

    @property
    def key(self) -> RowKey:
        return RowKey(self.file, self.table, self.row, self.name)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check(field: str, value: str, row: RowEntry, labels: tuple[str, ...], level1s: tuple[str, ...]) -> None:
    """Raise :class:`CorrectionError` when ``field``/``value`` is no valid correction of ``row``."""
    if field == "level2":
        if value not in labels:
            raise CorrectionError(f"level2 must be one of {', '.join(labels)}; got {value!r}")
    elif field == "level1":
        if value not in level1s:
            raise CorrectionError(f"level1 must be one of {', '.join(level1s)}; got {value!r}")
    elif field in TEXT_FIELDS:
        if field == "name" and not value.strip():
            raise CorrectionError("a name cannot be empty")
    elif field.startswith("flag:"):
        code = field[5:]
        if code not in {f.code for f in row.flags}:
            raise CorrectionError(f"the row has no flag {code!r}; its flags: {[f.code for f in row.flags]}")
        if value not in FLAG_VERDICTS:
            raise CorrectionError(f"a flag is judged 'accept' or 'reject'; got {value!r}")
    else:
        raise CorrectionError(f"unknown field {field!r}; use level1, level2, {', '.join(TEXT_FIELDS)} or flag:CODE")


class Store:
    """The corrections of one output folder. ``Store(path)`` creates the file when needed."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        # the web server answers from worker threads: one connection per call
        with self._connect() as con:
            con.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=10)
        con.row_factory = sqlite3.Row
        return con

    def add(self, row: RowEntry, field: str, value: str, *, who: str, note: str = "",
            at: datetime | None = None) -> Correction:
        """Store one judgement of ``row`` (validated by the caller with :func:`check`)."""
        before = self.current(row.key).get(field)
        if before is None:
            before = row.fields.get(field, "") if not field.startswith("flag:") else ""
        snap = {c: row.fields.get(c, "") for c in SNAPSHOT_COLUMNS}
        stamp = (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO corrections (at, who, file, tbl, row, name, field, before, after, note, snapshot) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (stamp, who, row.key.file, row.key.table, row.key.row, row.key.name, field, before, value, note,
                 json.dumps(snap, ensure_ascii=False)))
            new_id = cur.lastrowid
        return self.get(new_id)

    def get(self, cid: int) -> Correction:
        with self._connect() as con:
            r = con.execute("SELECT * FROM corrections WHERE id = ?", (cid,)).fetchone()
        if r is None:
            raise KeyError(cid)
        return _correction(r)

    def all(self, file: str | None = None) -> list[Correction]:
        with self._connect() as con:
            if file is None:
                rs = con.execute("SELECT * FROM corrections ORDER BY id").fetchall()
            else:
                rs = con.execute("SELECT * FROM corrections WHERE file = ? ORDER BY id", (file,)).fetchall()
        return [_correction(r) for r in rs]

    def current(self, key: RowKey) -> dict[str, str]:
        """The latest value of every corrected field of one row."""
        with self._connect() as con:
            rs = con.execute("SELECT field, after FROM corrections WHERE file = ? AND tbl = ? AND row = ? AND name = ? "
                             "ORDER BY id", (key.file, key.table, key.row, key.name)).fetchall()
        return {r["field"]: r["after"] for r in rs}

    def latest(self) -> dict[RowKey, dict[str, Correction]]:
        """Row -> field -> its latest correction, for every corrected row."""
        out: dict[RowKey, dict[str, Correction]] = {}
        for c in self.all():
            out.setdefault(c.key, {})[c.field] = c
        return out


def _correction(r: sqlite3.Row) -> Correction:
    return Correction(id=r["id"], at=r["at"], who=r["who"], file=r["file"], table=r["tbl"], row=r["row"],
                      name=r["name"], field=r["field"], before=r["before"], after=r["after"], note=r["note"],
                      snapshot=json.loads(r["snapshot"] or "{}"))
