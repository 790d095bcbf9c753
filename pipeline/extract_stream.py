"""Indicator rows from stream tables (placeholder until the stream reader lands)."""

from __future__ import annotations


def extract_stream(file, table, tno, out):
    for row in table.rows:
        out.rows_read += 1
        from pipeline.extract import Reject

        out.rejects.append(Reject(file, 0, row.line, "stream layout not read yet", " | ".join(row.cells)))
    return tno
