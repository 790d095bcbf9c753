"""A batch on disk as partitioned Parquet plus a manifest, for runs too big for one process.

Layout of an output folder written by ``jixiao clean --engine dask``::

    OUT/indicators/part-00000.parquet   the columns of indicators.csv (table, row: int64)
    OUT/flags/part-00000.parquet        the columns of flags.csv
    OUT/rejects/part-00000.parquet      the columns of rejects.csv
    OUT/filings/part-00000.parquet      the columns of filings.csv (totals as written there)
    OUT/errors/part-00000.parquet       files that could not be read (as errors.csv)
    OUT/errors/failed.parquet           files whose task failed on every try (rewritten each run)
    OUT/manifest.json                   which part holds which file, by content hash

A part is the output of one task (a chunk of files); its five files are written under a
temporary name and renamed, so a part is either whole or absent. Any Parquet reader (pandas,
pyarrow, DuckDB, Spark, ``dask.dataframe.read_parquet("OUT/indicators")``) reads a folder.

Parquet keeps the values as the pipeline computed them: ``table`` 0 is a fact mined from
prose (indicators.csv writes it as an empty cell), every other column is a string exactly
as in the CSV.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from pipeline.core.flags import FLAG_COLUMNS, Flag
from pipeline.extract.rows import Reject
from pipeline.output.tables import ERROR_COLUMNS, FILING_COLUMNS, REJECT_COLUMNS
from pipeline.run.batch import BatchResult, FileError, FileResult
from pipeline.run.enrich import ALL_COLUMNS

TABLES = ("indicators", "flags", "rejects", "filings", "errors")
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "jixiao-parts/1"
INT_COLUMNS = frozenset({"table", "row", "n_tables", "n_rows", "n_rejects"})


def columns_of(table: str) -> tuple[str, ...]:
    return {"indicators": ALL_COLUMNS, "flags": FLAG_COLUMNS, "rejects": REJECT_COLUMNS,
            "filings": FILING_COLUMNS, "errors": ERROR_COLUMNS}[table]


def _schema(table: str):
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in columns_of(table)])


def file_digest(path: str | Path) -> str:
    """sha256 of the file's bytes, read in blocks (memory does not grow with the file)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def part_name(part: int) -> str:
    return f"part-{part:05d}.parquet"


def _records(results: Sequence[FileResult]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for r in results:
        out["indicators"].extend(r.records)
        out["flags"].extend(f.as_dict() for f in r.flags)
        out["rejects"].extend({c: getattr(x, c) for c in REJECT_COLUMNS} for x in r.rejects)
        if r.info is not None:
            out["filings"].append(r.info.as_dict())
        if r.error is not None:
            out["errors"].append({c: getattr(r.error, c) for c in ERROR_COLUMNS})
    return out


def write_table(path: Path, table: str, records: Iterable[dict]) -> None:
    """One Parquet file of ``table``'s columns, written to a temporary name then renamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = columns_of(table)
    recs = list(records)
    data = {c: [rec.get(c, 0 if c in INT_COLUMNS else "") for rec in recs] for c in cols}
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(data, schema=_schema(table)), tmp, compression="zstd")
    os.replace(tmp, path)


def write_part(out: Path, part: int, results: Sequence[FileResult]) -> dict[str, int]:
    """The five Parquet files of one part; returns the number of records of each."""
    recs = _records(results)
    for table in TABLES:
        write_table(Path(out) / table / part_name(part), table, recs[table])
    return {t: len(v) for t, v in recs.items()}


# ------------------------------------------------------------------ manifest

@dataclass(slots=True)
class Manifest:
    """Which part holds which files (path → sha256), and the files whose task failed."""
    parts: dict[int, dict] = field(default_factory=dict)      # part -> {"files": {path: sha}, "counts": {...}}
    failed: dict[str, dict] = field(default_factory=dict)     # path -> {"sha256", "message"}

    @classmethod
    def load(cls, out: Path) -> Manifest:
        path = Path(out) / MANIFEST
        if not path.exists():
            return cls()
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"{path}: not a jixiao parts manifest (format {doc.get('format')!r}, "
                             f"expected {MANIFEST_FORMAT!r}); use a new output folder")
        return cls({int(k): v for k, v in doc.get("parts", {}).items()}, doc.get("failed", {}))

    def save(self, out: Path) -> None:
        path = Path(out) / MANIFEST
        tmp = path.with_name(MANIFEST + ".tmp")
        doc = {"format": MANIFEST_FORMAT, "parts": {str(k): v for k, v in sorted(self.parts.items())},
               "failed": dict(sorted(self.failed.items()))}
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    def next_part(self) -> int:
        return max(self.parts, default=-1) + 1

    def keep_unchanged(self, out: Path, digests: dict[str, str]) -> set[str]:
        """Drop every part one of whose files changed or disappeared (its Parquet files are
        deleted: its other files are processed again); return the files of the parts kept."""
        done: set[str] = set()
        for part, spec in sorted(self.parts.items()):
            files = spec["files"]
            if all(digests.get(f) == sha for f, sha in files.items()):
                done.update(files)
                continue
            for table in TABLES:
                (Path(out) / table / part_name(part)).unlink(missing_ok=True)
            del self.parts[part]
        return done


def prune_orphans(out: Path, manifest: Manifest) -> None:
    """Delete the part files the manifest does not list: what a task wrote before it failed,
    or a run killed between writing a part and recording it. Readers then see whole parts only."""
    for table in TABLES:
        for path in (Path(out) / table).glob("part-*.parquet*"):
            stem = path.name.split(".")[0]
            if int(stem.removeprefix("part-")) not in manifest.parts:
                path.unlink(missing_ok=True)


def write_failed(out: Path, manifest: Manifest) -> None:
    """errors/failed.parquet: the files whose task failed on every try (E198), from the manifest."""
    recs = [{"file": f, "stage": "engine", "code": "E198", "message": v["message"]}
            for f, v in sorted(manifest.failed.items())]
    write_table(Path(out) / "errors" / "failed.parquet", "errors", recs)


# ------------------------------------------------------------------ reading back

@dataclass(slots=True)
class StoredFiling:
    """A row of filings/ read back (what the CSV/xlsx/report writers need of a FilingInfo)."""
    file: str
    department: str = ""
    region: str = ""
    year: str = ""
    kind: str = ""
    layout: str = ""
    encoding: str = ""
    n_tables: int = 0
    n_rows: int = 0
    n_rejects: int = 0
    totals: str = ""

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def read_table(out: Path, table: str) -> list[dict]:
    import pyarrow.parquet as pq

    rows: list[dict] = []
    for path in sorted((Path(out) / table).glob("*.parquet")):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


def read_batch(out: Path, order: Sequence[str]) -> BatchResult:
    """The whole batch back in memory (small batches only), in the serial engine's order:
    files in ``order``, each file's records in the order the pipeline produced them."""
    rank = {f: i for i, f in enumerate(order)}

    def ordered(recs: list[dict]) -> list[dict]:
        return sorted(recs, key=lambda r: rank.get(r["file"], len(rank)))   # stable within a file

    res = BatchResult()
    res.records = ordered(read_table(out, "indicators"))
    res.flags = [Flag(**r) for r in ordered(read_table(out, "flags"))]
    res.rejects = [Reject(**r) for r in ordered(read_table(out, "rejects"))]
    res.filings = [StoredFiling(**r) for r in ordered(read_table(out, "filings"))]
    res.errors = [FileError(**r) for r in ordered(read_table(out, "errors"))]
    return res
