"""``jixiao norms build OUT`` on the Parquet parts of ``jixiao clean --engine dask``: the map
of :mod:`pipeline.norms.build` as one Dask task per part, the reduce streamed on the client.

Each task reads ``indicators/part-K.parquet`` and ``filings/part-K.parquet`` (the same files:
a part holds whole filings), gives every filing its (sector, region) context as
:func:`pipeline.cli.norms.read_inputs` does, and returns the :class:`Partial` of its rows.
The client merges partials as they arrive (their size grows with the distinct names, not
with the rows) and finalizes. The result equals a build over the same rows in one process:
counters add, filing sets unite, and the quantile sketches (ddsketch) merge exactly.

Not handled yet: parts on object stores (local or shared file systems only).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.engine.dask_engine import _client
from pipeline.norms.build import Partial, finalize, map_partition, merge_into
from pipeline.norms.config import region_places, region_province
from pipeline.norms.group import Normaliser, norms_config, sector_of
from pipeline.norms.manifest import InputManifest
from pipeline.output import parquet as store
from pipeline.output.tables import placed

COLUMNS = ("file", "table", "row", "name", "target_raw", "level1", "level2", "level1_filed", "level2_filed",
           "target_kind", "target_op", "target_value", "target_unit_norm", "target_vague", "target_status")


def is_parts_folder(path: Path) -> bool:
    """A folder written by ``--engine dask`` (indicators/ parts beside a manifest)."""
    return path.is_dir() and (path / store.MANIFEST).is_file() and (path / "indicators").is_dir()


def part_files(folders: list[Path]) -> list[Path]:
    return [p for f in folders for p in sorted((f / "indicators").glob("part-*.parquet"))]


def _manifest_for(files):
    man = InputManifest()
    for folder in sorted({str(Path(f).parent) for f in files}):
        if Path(folder).is_dir():
            man.add_from(Path(folder))
    return man


def places_of(folders: list[Path]) -> set[str]:
    """Region place names of the manifests above the filings (read part by part: the client
    keeps the set of folders, never the list of files)."""
    import pyarrow.parquet as pq


    parents: set[str] = set()
    for folder in folders:
        for p in sorted((folder / "filings").glob("part-*.parquet")):
            parents.update(str(Path(f).parent) for f in pq.read_table(p, columns=["file"]).column("file").to_pylist())
    man = _manifest_for([str(Path(p) / "x") for p in parents])
    out: set[str] = set()
    for e in man.by_path.values():
        out.update(region_places(e.get("region", "")))
    return out


def map_part(path: str, places: tuple[str, ...]):
    """The map task: one part's rows → (Partial, filing kinds)."""
    import pyarrow.parquet as pq


    path = Path(path)
    table = pq.read_table(path)
    # as indicators.csv writes them (table 0 of prose facts as an empty cell, numbers as
    # text), so that a build from the parts equals a build from the CSV of the same run
    records = [{k: str(v) for k, v in placed(r).items()}
               for r in table.select([c for c in COLUMNS if c in table.column_names]).to_pylist()]
    filings = path.parent.parent / "filings" / path.name
    departments, kinds = {}, Counter()
    if filings.is_file():
        for r in pq.read_table(filings, columns=["file", "department", "kind"]).to_pylist():
            departments[r["file"]] = r["department"]
            kinds[r["kind"]] += 1
    man = _manifest_for(departments or [r["file"] for r in records])
    context = {}
    for file in {r["file"] for r in records}:
        e = man.get(file) or {}
        context[file] = (sector_of(f"{departments.get(file, '')} {e.get('title', '')}"),
                         region_province(e.get("region", "")))
    return map_partition(records, context=context, normaliser=_normaliser(places)), kinds


_NORMALISERS: dict = {}


def _normaliser(places: tuple[str, ...]):
    """One Normaliser per worker and set of places (it compiles the place patterns)."""
    if places not in _NORMALISERS:
        _NORMALISERS.clear()
        _NORMALISERS[places] = Normaliser(set(places))
    return _NORMALISERS[places]


def build_on_dask(folders: list[Path], *, scheduler: str | None = None, workers: int = 2,
                  cluster_options: dict | None = None, sources: dict | None = None) -> dict:
    """The norms document of the parts in ``folders`` (see the module docstring)."""
    from distributed import as_completed


    cfg = norms_config()
    places = tuple(sorted(places_of(folders)))
    parts = part_files(folders)
    reduced, kinds = Partial(), Counter()
    client, cluster = _client(scheduler, workers, cluster_options)
    try:
        futures = client.map(map_part, [str(p) for p in parts], places=places, pure=False)
        for fut in as_completed(futures):
            partial, k = fut.result()
            merge_into(reduced, partial, cfg)
            kinds.update(k)
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    n_filings = len({f for agg in reduced.names.values() for f in agg.filings})
    src = dict(sources or {}) | {"n_filings": n_filings, "filing_kinds": dict(kinds.most_common())}
    return finalize(reduced, cfg, src)
