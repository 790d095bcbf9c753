"""Categories of indicator rows: features, the numpy scorer of the shipped model,
prediction and the misfile decision.

Runtime only: training (scikit-learn, MLflow) lives in :mod:`pipeline.train`, which nothing
here imports.
"""
