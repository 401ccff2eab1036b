"""Engines other than DuckDB that run the same model SQL (pipelines/models/, written once).

- spark_sql.py: the one place where DuckDB's SQL and Spark's differ (macros expanded, then transpiled).
- spark.py: a Spark session, and tables handed to it and written out as Parquet.
"""
