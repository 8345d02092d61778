"""Gloucestershire SEND signposting assistant: settings, CLI and the process supervisor."""
