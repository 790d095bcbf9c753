"""Indicator rows out of a Document: the row model and rejects, cell roles, the grid reader
and the cell reader (one stream of typed cells, rows assembled by content), and the facts a
filing states about itself (department, budget totals).

Imports :mod:`pipeline.core` only.
"""
