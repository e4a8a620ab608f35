"""The only Airflow-aware code: hooks, task callables and the UI plugin.

DAG files import from here inside task bodies, so parsing a DAG stays cheap.
"""
