"""The review stage: row checks, score checks, filing-level arithmetic and checks over
facts stated in prose. Every finding is a :class:`~pipeline.core.flags.Flag`.
"""
