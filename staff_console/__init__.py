"""The SENDIASS staff console: accounts, the queue, case pages, audit, alerts and data lifecycle.

Server-rendered (FastAPI + Jinja2, GOV.UK Frontend served from node_modules), mounted by the
gateway at /staff. It reads and writes only through app_store. See
docs/decisions/0005-staff-console.md.
"""
