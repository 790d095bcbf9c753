"""The stages chained: one filing through every stage (:mod:`.enrich`), a batch of files
(:mod:`.batch`) and the importable entry points (:mod:`.api`).
"""
