# The newswatch image for docker-compose.yml: Airflow 3.3 + newswatch from the project's lock.
FROM python:3.11-slim-bookworm
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1 AIRFLOW_HOME=/opt/airflow
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 50000 airflow
WORKDIR /opt/newswatch
COPY requirements.txt requirements-test.txt constraints.txt pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && mkdir -p /opt/airflow && chown -R airflow /opt/airflow
USER airflow
