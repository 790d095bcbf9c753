"""Reading filings into :class:`~pipeline.core.document.Document`: dispatch by file kind
(:mod:`.dispatch`), the text reader and its repairs (:mod:`.text_reader`), the grid builder
shared by the binary readers (:mod:`.grid`), docx, xlsx/xls, pdf and html readers, and the
guards on hostile files (:mod:`.safety`).

Imports only :mod:`pipeline.core`.
"""
