"""Gloucestershire SEND signposting assistant: the CLI, the build pipeline, training and the process supervisor."""
