"""Regenerate the norms shipped in the package (pipeline/resources/norms.json) from data/raw.

Same as ``jixiao norms build --ship``. Run it after a change to configs/norms.yaml, to the
extraction or to data/raw, and commit the new file with the change; tests/test_norms.py
checks that the shipped file was built with the current norms config version.

    .venv/bin/python scripts/build_norms.py            # data/raw → pipeline/resources/norms.json
    .venv/bin/python scripts/build_norms.py -o out/    # also OUT/norms.csv, .xlsx, .json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from pipeline.cli.norms import DEFAULT_DATA, build_from_paths
    from pipeline.norms.lookup import shipped_norms_path
    from pipeline.norms.build import write_json, write_norms

    ap = argparse.ArgumentParser(description="Rebuild pipeline/resources/norms.json from data/raw.")
    ap.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_DATA], help="inputs (default: data/raw)")
    ap.add_argument("-o", "--out", type=Path, default=None, help="also write norms.csv/.xlsx/.json here")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="files read in parallel")
    args = ap.parse_args()
    doc, inputs = build_from_paths(args.paths, jobs=args.jobs)
    for e in inputs.errors:
        print(f"warning: {e}", file=sys.stderr)
    if not doc["indicators"]:
        print("error: no indicator rows found; nothing written", file=sys.stderr)
        return 1
    path = write_json(doc, shipped_norms_path())
    if args.out:
        write_norms(doc, args.out)
    sat = next((i for i in doc["indicators"] if i["family"]), None)
    print(f"{path}: {len(doc['indicators'])} canonical indicators from {doc['sources']['n_records']} rows of "
          f"{doc['sources']['n_filings']} filings ({doc['version']})")
    if sat and sat["units"]:
        u = sat["units"][0]
        print(f"{sat['canonical_name']}: {sat['n_filings']} filings, median {u['median']:g}{u['unit_norm']}, "
              f"p10 {u['p10']:g}, p90 {u['p90']:g}, ≥ share {u['ge_share']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
