"""A user's own table of indicators (``jixiao classify -i FILE``) read as jixiao reads filings.

Users' files come from Excel and WPS: GBK/GB18030 or UTF-8 with or without BOM, comma or
tab separated, with Chinese headers. ``read_user_table(path)`` decodes the bytes with the
filing decoder (:func:`pipeline.ingest.text_reader.decode`: BOMs, UTF-8, UTF-16, GB18030), picks
the separator from the header line, renames Chinese headers to the input columns through
``configs/columns.yaml`` (``input_aliases``) and returns a DataFrame of strings.

Example: a GBK CSV ``一级指标,二级指标,三级指标,指标值`` / ``产出指标,数量指标,培训人数,300人``
is read with the columns ``level1_filed, level2_filed, name, target``.

Raises :class:`TableInputError` (one line a user can act on) for an empty file, bytes
that are no text, or a table without a name column. Not handled yet: .xlsx input (export it
as CSV), headers spread over two rows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.core.columns import column_names
from pipeline.core.errors import FilingError
from pipeline.ingest.text_reader import decode


class TableInputError(ValueError):
    """The file cannot be read as a table of indicators."""


def read_user_table(path: str | Path, *, required: tuple[str, ...] = ("name",)):
    import pandas as pd


    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise TableInputError(f"{path} is empty; expected a header line (三级指标/指标名称 or name, …) and rows")
    try:
        text, _ = decode(data, str(path))
    except FilingError as exc:
        raise TableInputError(f"{path}: {exc.problem}") from exc
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    sep = "\t" if first.count("\t") > first.count(",") else ","
    try:
        df = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), sep=sep, dtype=str, keep_default_na=False,
                         quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise TableInputError(f"{path} is not a CSV/TSV table: {exc}") from exc
    df.columns = [str(c).strip() for c in df.columns]
    df = df.rename(columns=column_names().rename_input(list(df.columns)))
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise TableInputError(f"{path} needs a column for {missing} (name: 三级指标, 指标名称 or name); "
                              f"it has {list(df.columns)}")
    return df
