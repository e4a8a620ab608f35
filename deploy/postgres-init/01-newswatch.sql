-- Runs once when the PostgreSQL volume is created (docker-compose.yml).
-- Airflow's metadata and the article database live in separate databases; analysts get a
-- read-only role on the article database.
CREATE ROLE airflow LOGIN PASSWORD 'airflow';
CREATE DATABASE airflow OWNER airflow;
CREATE ROLE newswatch LOGIN PASSWORD 'newswatch';
CREATE DATABASE newswatch OWNER newswatch;
CREATE ROLE analyst LOGIN PASSWORD 'analyst';
\connect newswatch
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO analyst;
-- Tables and views created later by the newswatch role are readable by analysts, never writable.
ALTER DEFAULT PRIVILEGES FOR ROLE newswatch IN SCHEMA public GRANT SELECT ON TABLES TO analyst;
ALTER ROLE analyst SET default_transaction_read_only = on;
