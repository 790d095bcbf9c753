"""The corpus of indicator norms: configuration, grouping of names (rapidfuzz), the
map/reduce build and the lookup used by ``jixiao clean``.
"""
