"""The review workspace: a local web app over the outputs of ``jixiao clean``.

``jixiao review OUTDIR`` serves it (:mod:`pipeline.workspace.app`); every judgement a
reviewer makes is stored in ``OUTDIR/review.db`` (:mod:`pipeline.workspace.store`), never in
the filings or the outputs; :mod:`pipeline.workspace.queue` orders the rows worth reviewing
next, :mod:`pipeline.workspace.export` turns corrections into labelled rows and a corrected
workbook, and, with :func:`~pipeline.train.corrections.with_corrections`, adds them to ``jixiao train``.

Importing this package is cheap: the web stack is imported by ``app`` only.
"""
