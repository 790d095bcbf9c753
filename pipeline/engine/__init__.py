"""Running a batch on a Dask cluster: files as tasks writing partitioned Parquet with a
resumable manifest (:mod:`.dask_engine`), and the norms build as a map-reduce over those
partitions (:mod:`.norms_dask`). Needs the ``dask`` packages; the serial engine in
:mod:`pipeline.run` stays the default.
"""
