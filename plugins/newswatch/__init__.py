"""newswatch: a news-monitoring pipeline (discover, fetch, extract, identify, store, match, alert).

The package is plain Python; only ``newswatch.airflow`` imports Airflow.
"""

__version__ = "0.1.0"
