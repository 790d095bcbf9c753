"""Speed and accuracy of the value parser on tests/golden/values.tsv, with JioNLP and
Recognizers-Text on the same cells when they are installed (``pip install -e .[bench]``).

    python bench/bench_values.py [--calls 200000]

Speed is measured on ``parse_value_uncached`` (no cache: every call parses). Accuracy is
strict on the tuple every tool can be mapped onto — (kind, number, unit, comparator), plus
the ISO date for date cells — so the three tools are judged alike; the parser's own
all-field accuracy is printed too (the same check as tests/test_values.py).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.values.parse import parse_value, parse_value_uncached  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "values.tsv"


def load_golden() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _num(text: str) -> float | None:
    return float(text) if text else None


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def tuple_right(row: dict[str, str], kind: str, number: float | None, unit: str, op: str, date: str = "") -> bool:
    """Strict on (kind, number, unit, comparator); the date too for date cells."""
    ok = kind == row["kind"] and _same(number, _num(row["value"])) and unit == row["unit_norm"] and op == row["op"]
    return ok and (row["kind"] != "date" or date == row["date"])


def all_fields_right(row: dict[str, str], v) -> bool:
    sec = [(float(a), b) for a, b in (s.split(":", 1) for s in row["secondary"].split("|") if s)]
    return (v.kind == row["kind"] and v.op == row["op"] and _same(v.value, _num(row["value"]))
            and _same(v.value_high, _num(row["value_high"])) and v.unit_norm == row["unit_norm"]
            and _same(v.money_yuan, _num(row["money_yuan"])) and v.date == row["date"]
            and [(q.value, q.unit_norm) for q in v.secondary] == sec
            and v.direction == row["direction"] and v.vague == (row["vague"] == "yes"))


def _args(row):
    return row["text"], row["unit_hint"] or None, int(row["year"]) if row["year"] else None


# ------------------------------------------------------------------ our parser

def bench_ours(rows, calls: int) -> None:
    args = [_args(r) for r in rows]
    parse_value_uncached("≥95%")                   # load the lexicon outside the timing
    n, t0 = 0, time.perf_counter()
    while n < calls:
        for text, hint, year in args:
            parse_value_uncached(text, unit_hint=hint, year=year)
        n += len(args)
    dt = time.perf_counter() - t0
    n2, t1 = 0, time.perf_counter()
    while n2 < calls:
        for text, hint, year in args:
            parse_value(text, unit_hint=hint, year=year)
        n2 += len(args)
    dt2 = time.perf_counter() - t1
    parsed = [parse_value_uncached(t, unit_hint=h, year=y) for t, h, y in args]
    sup = [i for i, r in enumerate(rows) if r["supported"] == "yes"]
    strict_sup = sum(all_fields_right(rows[i], parsed[i]) for i in sup) / len(sup)
    strict_all = sum(all_fields_right(r, v) for r, v in zip(rows, parsed)) / len(rows)
    tup = sum(tuple_right(r, v.kind, v.value, v.unit_norm, v.op, v.date) for r, v in zip(rows, parsed)) / len(rows)
    print(f"pipeline.values.parse   {n / dt:>10,.0f} values/s uncached ({n:,} calls), {n2 / dt2:>10,.0f} values/s cached")
    print(f"                  all-field strict accuracy {strict_sup:.4f} supported ({len(sup)}), {strict_all:.4f} overall "
          f"({len(rows)}); tuple accuracy {tup:.4f}")


# ------------------------------------------------------------------ JioNLP

_JIO_OP = {"accurate": "", "blur": "~", "blur+": ">", "blur-": "<"}


def _iso_from_span(start: str, end: str) -> str:
    """JioNLP gives a time span; name it at the granularity it covers."""
    s, e = start[:10], end[:10]
    if s[5:] == "01-01" and e[5:] == "12-31" and s[:4] == e[:4]:
        return s[:4]
    if s[:7] == e[:7] and s[8:] == "01" and e[8:] >= "28":
        return s[:7]
    return s if s == e else f"{s}/{e}"


def bench_jionlp(rows) -> None:
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            import jionlp as jio
    except Exception as exc:  # not installed, or broken
        print(f"jionlp            skipped: {type(exc).__name__}: {exc} (pip install -e .[bench])")
        return
    extract_money = getattr(jio, "extract_money", None) or getattr(getattr(jio, "ner", None), "extract_money", None)

    def one(row):
        text = row["text"]
        if not text.strip():
            return "empty", None, "", "", ""
        try:
            r = jio.parse_money(text)
            return "money", float(r["num"]), "元", _JIO_OP.get(r.get("definition", ""), ""), ""
        except Exception:
            pass
        try:
            found = extract_money(text, with_parsing=True) if extract_money else []
            if found:
                d = found[0]["detail"]
                return "money", float(d["num"]), "元", _JIO_OP.get(d.get("definition", ""), ""), ""
        except Exception:
            pass
        try:
            r = jio.parse_time(text)
            if r.get("type") in ("time_point", "time_span"):
                return "date", None, "", "", _iso_from_span(*r["time"][:2])
            if r.get("type") == "time_delta":
                return "duration", None, "", "", ""
        except Exception:
            pass
        return "text", None, "", "", ""

    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        t0 = time.perf_counter()
        out = [one(r) for r in rows]
        dt = time.perf_counter() - t0
    acc = sum(tuple_right(r, *o) for r, o in zip(rows, out)) / len(rows)
    print(f"jionlp {jio.__version__:<10} {len(rows) / dt:>10,.0f} values/s; tuple accuracy {acc:.4f} "
          "(parse_money, extract_money, parse_time)")


# ------------------------------------------------------------------ Recognizers-Text

_DIM_UNITS = {"Kilometer": "公里", "Meter": "米", "Centimeter": "厘米", "Square meter": "平方米", "Ton": "吨",
              "Hectare": "公顷", "Mu": "亩"}
_DUR_UNITS = {"D": "天", "H": "小时", "M": "月", "Y": "年", "W": "周"}


def bench_recognizers(rows) -> None:
    try:
        from recognizers_text import Culture
        import recognizers_date_time as rd
        import recognizers_number as rn
        import recognizers_number_with_unit as ru
    except Exception as exc:
        print(f"recognizers-text  skipped: {type(exc).__name__}: {exc} (pip install -e .[bench])")
        return
    zh = Culture.Chinese

    def first(fn, text):
        try:
            found = fn(text, zh)
            return found[0] if found else None
        except Exception:
            return None

    def one(row):
        text = row["text"]
        if not text.strip():
            return "empty", None, "", "", ""
        r = first(rn.recognize_percentage, text)
        if r is not None:
            try:
                return "percent", float(str(r.resolution["value"]).rstrip("%")), "%", "", ""
            except Exception:
                pass
        r = first(ru.recognize_currency, text)
        if r is not None:
            try:
                return "money", float(r.resolution["value"]), "元", "", ""
            except Exception:
                pass
        r = first(rd.recognize_datetime, text)
        if r is not None:
            try:
                v = r.resolution["values"][0]
                timex = v.get("timex", "")
                if "duration" in r.type_name and timex.startswith("P"):
                    return "duration", float(timex[1:-1]), _DUR_UNITS.get(timex[-1], ""), "", ""
                iso = timex.replace("XXXX-", "--")
                op = "<" if v.get("Mod") == "before" else ""
                return "date", None, "", op, iso
            except Exception:
                pass
        r = first(ru.recognize_dimension, text)
        if r is not None:
            try:
                return "count", float(r.resolution["value"]), _DIM_UNITS.get(r.resolution.get("unit", ""), ""), "", ""
            except Exception:
                pass
        r = first(rn.recognize_number, text)
        if r is not None:
            try:
                return "count", float(r.resolution["value"]), "", "", ""
            except Exception:
                pass
        return "text", None, "", "", ""

    t0 = time.perf_counter()
    out = [one(r) for r in rows]
    dt = time.perf_counter() - t0
    acc = sum(tuple_right(r, *o) for r, o in zip(rows, out)) / len(rows)
    print(f"recognizers-text  {len(rows) / dt:>10,.0f} values/s; tuple accuracy {acc:.4f} "
          "(percentage, currency, datetime, dimension, number; Culture.Chinese)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=200_000, help="parse calls to time (default 200000)")
    ns = ap.parse_args()
    rows = load_golden()
    print(f"{len(rows)} golden value cells from {GOLDEN.relative_to(ROOT)}")
    bench_ours(rows, ns.calls)
    bench_jionlp(rows)
    bench_recognizers(rows)


if __name__ == "__main__":
    main()
