"""Ingestion: fetch pages politely, extract documents and service records, and cut them into chunks.

This package knows pages and documents only; it knows nothing of embeddings or Rasa.
"""
