"""Insights for Local Offer editors, from the question log: content gaps, pages, charts, export.

- ``weeks``: the weekly buckets every view counts in;
- ``topics``: questions not answered with confidence, or marked unhelpful, grouped by meaning;
- ``pages``: most cited, most often unhelpful and why, stale pages, broken links;
- ``charts``: server-rendered SVG bar charts (each page shows a table of the same figures);
- ``publication``: the 'you said, we did' export (CSV and a printable page).

Read-only over ``app_store``; embeddings come from ``knowledge_base.embedding.embed_texts``.
"""
