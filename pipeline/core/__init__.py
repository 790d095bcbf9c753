"""The ground floor every stage stands on: the Document model, errors, config loading,
text normalisation, segmentation, the taxonomy and flag records.

Nothing here imports another folder of ``pipeline``.
"""
