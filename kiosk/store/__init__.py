"""Kiosk storage: SQLAlchemy models on one SQLite file, Alembic migrations, the outbox."""
