"""Knowledge base: embed chunks, index them with FAISS, and search them.

The only package that imports faiss and sentence-transformers.
"""
