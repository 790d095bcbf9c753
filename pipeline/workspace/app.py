"""The review workspace as a FastAPI app: ``create_app("out")``.

Pages: ``/`` the filings (sortable, filterable, searchable), ``/filing?file=F`` a filing's
source beside its rows with the review actions, ``/next`` the review queue. JSON API (used
by the pages and the tests):

- ``GET /api/filings`` → ``[{file, kind, department, year, region, n_rows, n_errors,
  n_warnings, n_infos, codes}]``; query ``q`` (full text over file, department, names and
  values), ``kind``, ``department``, ``region``, ``year``, ``code``, ``sort``, ``desc``;
- ``GET /api/rows?file=F`` → the filing's rows with their flags and corrections;
- ``POST /api/corrections`` ``{file, table, row, name?, field, value, note?}`` → 201 with the
  stored correction (404 for no such row, 422 for a field or value that is not valid);
- ``GET /api/corrections`` → every correction; ``GET /api/next`` → the review queue.

Every script and style is served from the package (``/static``); nothing comes from a CDN.
The outputs are read once at start; corrections go to ``review.db`` only.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from pipeline.classify.types import LABELS
from pipeline.core.columns import column_names
from pipeline.core.flags import review_rules
from pipeline.core.taxonomy import taxonomy
from pipeline.workspace.outdir import OutDir, RowEntry, RowKey, load_outdir
from pipeline.workspace.queue import review_queue
from pipeline.workspace.source import source_lines
from pipeline.workspace.store import CorrectionError, Store, check

HERE = Path(__file__).resolve().parent
SORTS = ("n_errors", "n_warnings", "n_rows", "file", "department", "year", "kind", "region")


class CorrectionIn(BaseModel):
    file: str
    table: int
    row: int
    field: str
    value: str
    name: str | None = None
    note: str = ""
    who: str | None = None


def _labels() -> tuple[tuple[str, ...], tuple[str, ...]]:
    tax = taxonomy()
    level1s = tuple(dict.fromkeys(l1 for prof in tax.profiles.values() for l1 in prof)) + ("过程指标",)
    return tuple(x for x in LABELS if x != "none"), tuple(dict.fromkeys(level1s))


def create_app(outdir: str | Path, *, db: str | Path | None = None, user: str = "reviewer") -> FastAPI:
    out: OutDir = load_outdir(outdir)
    store = Store(db or Path(outdir) / "review.db")
    labels, level1s = _labels()
    rules = review_rules()
    app = FastAPI(title="jixiao 审核工作台", docs_url=None, redoc_url=None)
    app.state.out, app.state.store = out, store
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(zh=rules.zh, col=_column_zh(), labels=labels, level1s=level1s,
                                 kind_zh=_kinds_zh())

    def row_json(r: RowEntry, current: dict[str, str] | None = None) -> dict:
        cur = store.current(r.key) if current is None else current
        return {"id": r.key.id, "file": r.key.file, "table": r.key.table, "row": r.key.row, "name": r.key.name,
                "fields": r.fields, "flags": [{"code": f.code, "zh": rules.zh(f.code), "severity": f.severity,
                                               "message": f.message, "evidence": f.evidence,
                                               "suggestion": f.suggestion, "verdict": cur.get(f"flag:{f.code}", "")}
                                              for f in r.flags],
                "corrections": cur}

    def find_row(c: CorrectionIn) -> RowEntry:
        rows = [r for r in out.rows.get(c.file, []) if r.key.table == c.table and r.key.row == c.row
                and (c.name is None or r.key.name == c.name)]
        if not rows:
            raise HTTPException(404, f"no row {c.table}/{c.row} {c.name or ''} in {c.file}")
        if len(rows) > 1:
            raise HTTPException(422, f"{len(rows)} rows start at {c.table}/{c.row} in {c.file}; give the name")
        return rows[0]

    def filings(q: str = "", kind: str = "", department: str = "", region: str = "", year: str = "",
                code: str = "", sort: str = "n_errors", desc: bool = True) -> list[dict]:
        items = list(out.filings.values())
        for attr, want in (("kind", kind), ("department", department), ("region", region), ("year", year)):
            if want:
                items = [f for f in items if getattr(f, attr) == want]
        if code:
            items = [f for f in items if code in f.codes]
        if q:
            items = [f for f in items if _matches(q, f, out.rows.get(f.file, []))]
        if sort not in SORTS:
            raise HTTPException(422, f"sort must be one of {', '.join(SORTS)}")
        items.sort(key=lambda f: f.file)
        items.sort(key=lambda f: getattr(f, sort), reverse=desc)
        return [f.as_dict() for f in items]

    @app.get("/api/filings")
    def api_filings(q: str = "", kind: str = "", department: str = "", region: str = "", year: str = "",
                    code: str = "", sort: str = "n_errors", desc: bool = True) -> list[dict]:
        return filings(q, kind, department, region, year, code, sort, desc)

    @app.get("/api/rows")
    def api_rows(file: str = Query(...)) -> list[dict]:
        if file not in out.filings:
            raise HTTPException(404, f"no filing {file}")
        return [row_json(r) for r in out.rows.get(file, [])]

    @app.post("/api/corrections", status_code=201)
    def api_correct(c: CorrectionIn) -> dict:
        row = find_row(c)
        try:
            check(c.field, c.value, row, labels, level1s)
        except CorrectionError as exc:
            raise HTTPException(422, str(exc)) from exc
        stored = store.add(row, c.field, c.value, who=c.who or user, note=c.note)
        return {**stored.as_dict(), "row": row_json(row)}

    @app.get("/api/corrections")
    def api_corrections(file: str | None = None) -> list[dict]:
        return [c.as_dict() for c in store.all(file)]

    @app.get("/api/next")
    def api_next(n: int = 50) -> list[dict]:
        return [{**row_json(it.row), "score": it.score, "why": it.why}
                for it in review_queue(out, set(store.latest()), size=n)]

    @app.get("/", response_class=HTMLResponse)
    def page_filings(request: Request):
        items = filings()
        facets = {k: sorted({str(f[k]) for f in items if f[k]}) for k in ("kind", "department", "region", "year")}
        codes = sorted({c for f in items for c in f["codes"]})
        return templates.TemplateResponse(request, "filings.html", {"filings": items, "facets": facets,
                                                                     "codes": codes, "outdir": str(out.path),
                                                                     "search": _search_text(out)})

    @app.get("/filing", response_class=HTMLResponse)
    def page_filing(request: Request, file: str = Query(...)):
        filing = out.filings.get(file)
        if filing is None:
            raise HTTPException(404, f"no filing {file}")
        rows = [row_json(r) for r in out.rows.get(file, [])]
        return templates.TemplateResponse(request, "filing.html", {
            "filing": filing, "rows": rows, "source": source_lines(file),
            "filing_flags": filing.filing_flags, "codes": sorted({f["code"] for r in rows for f in r["flags"]})})

    @app.get("/next", response_class=HTMLResponse)
    def page_next(request: Request):
        items = review_queue(out, set(store.latest()))
        return templates.TemplateResponse(request, "next.html", {"items": [
            {**row_json(it.row), "score": it.score, "why": it.why} for it in items]})

    @app.exception_handler(HTTPException)
    async def _json_errors(request: Request, exc: HTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    return app


def _column_zh() -> dict[str, str]:
    return column_names().zh


def _kinds_zh() -> dict[str, str]:
    return column_names().kinds_zh


def _matches(q: str, filing, rows: list[RowEntry]) -> bool:
    q = q.strip().lower()
    if q in filing.file.lower() or q in filing.department.lower():
        return True
    return any(q in (r.fields.get(c) or "").lower() for r in rows
               for c in ("name", "target_raw", "actual_raw", "level1_filed", "level2_filed"))


def _search_text(out: OutDir) -> dict[str, str]:
    """Per filing, the text the page's search box looks in (names and values of its rows)."""
    return {f: " ".join(" ".join((r.fields.get("name", ""), r.fields.get("target_raw", ""),
                                  r.fields.get("actual_raw", ""))) for r in rows)
            for f, rows in out.rows.items()}


__all__ = ["create_app", "RowKey"]
