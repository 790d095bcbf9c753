"""Indicator rows out of a Document: the row model and rejects, cell roles, the grid and
stream readers, and the facts a filing states about itself (department, budget totals).

Imports :mod:`pipeline.core` only.
"""
