"""Training the classifier: grouped cross-validation, candidates, metrics, MLflow tracking
and export of the shipped model.

Needs the ``train`` extra (scikit-learn, MLflow, skops, matplotlib); imported only by the
``jixiao train`` / ``jixiao evaluate`` commands.
"""
