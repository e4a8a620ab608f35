"""Storage: schema, engine, repository (idempotent upserts) and full-text search per dialect."""
