"""Alembic migrations of the app database (see app_store/migrate.py for how they are run)."""
