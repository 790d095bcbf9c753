"""Where the filings given to ``jixiao norms build`` come from: the ``manifest.json`` files
(data/raw/manifest.json: file, sha256, source, region, year, kind) found at or above the
inputs, so that each norm can say which regions and sectors it rests on."""

from __future__ import annotations

import json
from pathlib import Path


class InputManifest:
    """manifest.json entries found at or above the inputs, by absolute path and by tail."""

    def __init__(self):
        self.by_path: dict[str, dict] = {}
        self.by_tail: dict[str, dict] = {}
        self.seen: set[Path] = set()

    def add_from(self, path: Path) -> None:
        p = path.resolve()
        for folder in [p if p.is_dir() else p.parent, *list((p if p.is_dir() else p.parent).parents)[:4]]:
            mf = folder / "manifest.json"
            if mf.is_file() and mf not in self.seen:
                self.seen.add(mf)
                try:
                    entries = json.loads(mf.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError):
                    continue
                for e in entries if isinstance(entries, list) else []:
                    if isinstance(e, dict) and e.get("file"):
                        self.by_path[str((folder / e["file"]).resolve())] = e
                        self.by_tail["/".join(Path(e["file"]).parts[-2:])] = e

    def get(self, file: str) -> dict | None:
        e = self.by_path.get(str(Path(file).resolve()))
        return e or self.by_tail.get("/".join(Path(file).parts[-2:]))
