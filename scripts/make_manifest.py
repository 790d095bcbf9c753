"""Write data/raw/manifest.json: one record per raw filing with its sha256 and source.

Raw files are never edited; the manifest lets anyone check that (``sha256``) and says
where each came from. Sources come from data/reference/sources.tsv; the five seeds are the
filings the project was specified from.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

SEEDS = {
    "000_0bc3dd4ae087ad7a": ("广东省广州市番禺区", "2023", "target_table", "广州市番禺区残疾人联合会2023年部门整体预算绩效目标申报表"),
    "001_d4a61a06f04ad918": ("湖北省武汉市蔡甸区", "2025", "target_table", "蔡甸区残联2025年整体支出绩效目标表"),
    "002_2ce996c71ca4daff": ("湖南省株洲市石峰区", "2023", "target_table", "株洲市石峰区残疾人联合会2023年部门整体支出绩效目标表"),
    "003_552fed3c714631ba": ("广东省广州市白云区", "2022", "report", "广州市白云区残疾人联合会2022年部门整体支出绩效自评报告"),
    "004_bf38c9880e42d804": ("上海市闵行区", "2023", "self_eval", "上海市闵行区残疾人联合会部门(单位)整体支出绩效自评表(2023年度)"),
}


def main() -> None:
    sources = {}
    with open(ROOT / "data" / "reference" / "sources.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            sources[r["doc_id"]] = r
    records = []
    for path in sorted(RAW.rglob("*.txt")):
        stem = path.stem
        rec = {"file": str(path.relative_to(RAW)), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        if stem in SEEDS:
            region, year, kind, title = SEEDS[stem]
            rec.update(source="seed filing (project specification, shared/seeds)", title=title, region=region,
                       year=year, kind=kind)
        elif stem in sources:
            s = sources[stem]
            rec.update(source=s["url_or_repo_path"], title=s["title"], region=s["region"], year=s["year"],
                       kind=s["kind"])
        records.append(rec)
    (RAW / "manifest.json").write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(records)} records to data/raw/manifest.json")


if __name__ == "__main__":
    main()
