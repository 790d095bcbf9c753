"""The outputs of ``jixiao clean`` read back as typed records for the workspace.

``load_outdir("out")`` reads ``filings.csv``, ``indicators.csv`` and ``flags.csv`` into an
:class:`OutDir`: one :class:`FilingEntry` per filing (with its counts), its
:class:`RowEntry` rows and their :class:`FlagEntry` flags. A row is known by its
:class:`RowKey` (file, table, row, name): prose facts have table 0 and several rows may
start on one line, so the name is part of the key.

Example: the row ``data/raw/a.txt,1,29,…,康复资助年服务量人(次),…`` has the key
``RowKey("data/raw/a.txt", 1, 29, "康复资助年服务量人(次)")``.

Region: filings.csv has no region column; it is the leading place name of the department
(广州市番禺区残疾人联合会 → 广州市番禺区). Not handled yet: departments written without a
place name (region empty).
"""

from __future__ import annotations

import csv
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# leading place names: a province/city/prefecture then optional county-level units
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}?(?:省|自治区))?(?:[\u4e00-\u9fff]{1,8}?(?:市|州|盟|地区))?"
                     r"(?:[\u4e00-\u9fff]{1,6}?(?:区|县|旗|市))?")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True, order=True)
class RowKey:
    file: str
    table: int
    row: int
    name: str

    @property
    def id(self) -> str:
        """A string id for the page (HTML ids and URLs)."""
        return f"{self.table}-{self.row}-{zlib.crc32(self.name.encode()):08x}"


@dataclass(frozen=True, slots=True)
class FlagEntry:
    code: str
    severity: str
    message: str
    evidence: str
    suggestion: str


@dataclass(slots=True)
class RowEntry:
    key: RowKey
    fields: dict[str, str]                     # every column of indicators.csv, as written
    flags: list[FlagEntry] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        try:
            return float(self.fields.get("confidence") or 0.0)
        except ValueError:
            return 0.0


@dataclass(slots=True)
class FilingEntry:
    file: str
    kind: str
    department: str
    year: str
    region: str
    layout: str
    n_rows: int = 0
    n_errors: int = 0
    n_warnings: int = 0
    n_infos: int = 0
    codes: set[str] = field(default_factory=set)
    filing_flags: list[FlagEntry] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "kind": self.kind, "department": self.department, "year": self.year,
                "region": self.region, "n_rows": self.n_rows, "n_errors": self.n_errors,
                "n_warnings": self.n_warnings, "n_infos": self.n_infos, "codes": sorted(self.codes)}


@dataclass(slots=True)
class OutDir:
    path: Path
    columns: list[str]
    filings: dict[str, FilingEntry]
    rows: dict[str, list[RowEntry]]            # file -> rows in document order
    by_key: dict[RowKey, RowEntry]


def region_of(department: str) -> str:
    m = _REGION.match(department or "")
    return m.group(0) if m else ""


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        return [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _int(text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


def load_outdir(path: str | Path) -> OutDir:
    """Read an output folder of ``jixiao clean``; raises FileNotFoundError when it is none."""
    out = Path(path)
    if not (out / "indicators.csv").is_file():
        raise FileNotFoundError(f"{out}: no indicators.csv here; run `jixiao clean … -o {out}` first")
    _, filing_rows = _read(out / "filings.csv")
    columns, records = _read(out / "indicators.csv")
    _, flag_rows = _read(out / "flags.csv")
    filings: dict[str, FilingEntry] = {}
    for r in filing_rows:
        filings[r["file"]] = FilingEntry(r["file"], r.get("kind", ""), r.get("department", ""), r.get("year", ""),
                                         region_of(r.get("department", "")), r.get("layout", ""))
    rows: dict[str, list[RowEntry]] = {f: [] for f in filings}
    by_key: dict[RowKey, RowEntry] = {}
    for r in records:
        key = RowKey(r["file"], _int(r["table"]), _int(r["row"]), r.get("name", ""))
        entry = RowEntry(key, r)
        rows.setdefault(key.file, []).append(entry)
        by_key.setdefault(key, entry)
        if key.file not in filings:
            filings[key.file] = FilingEntry(key.file, "", "", "", "", "")
        filings[key.file].n_rows += 1
    for r in flag_rows:
        fe = FlagEntry(r["code"], r["severity"], r.get("message", ""), r.get("evidence", ""), r.get("suggestion", ""))
        filing = filings.get(r["file"])
        if filing is None:
            continue
        filing.codes.add(fe.code)
        if fe.severity == "error":
            filing.n_errors += 1
        elif fe.severity == "warning":
            filing.n_warnings += 1
        else:
            filing.n_infos += 1
        entry = by_key.get(RowKey(r["file"], _int(r["table"]), _int(r["row"]), r.get("name", "")))
        if entry is not None and r.get("row"):
            entry.flags.append(fe)
        else:
            filing.filing_flags.append(fe)
    for entries in rows.values():
        for e in entries:
            e.flags.sort(key=lambda f: SEVERITY_RANK.get(f.severity, 3))
    return OutDir(out, columns, filings, rows, by_key)
