"""The newswatch page in the Airflow UI: a FastAPI app mounted by ``newswatch_plugin``.

Airflow gives plugin routes no authentication, so :mod:`.auth` checks every request against
Airflow's own auth manager before any data is read.
"""
