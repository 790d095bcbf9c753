"""The ``jixiao`` command: a thin typer layer, one module per command group.

The app is :data:`pipeline.cli.main.app`.
"""
