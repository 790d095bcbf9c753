"""Indicator rows out of a Document: the row model and rejects, cell roles, one stream of typed
cells per table (grid cells placed by column and row, other text cut by content) and one
assembler of rows, and the facts a filing states about itself (department, budget totals).

Imports :mod:`pipeline.core` only.
"""
