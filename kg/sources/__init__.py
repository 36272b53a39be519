"""Readers of what users collect besides records: saved web pages and RSS/Atom feeds.

kg.corpus dispatches to them by file suffix; each reader turns one file into records (or per-file
errors) with the same checks as a JSON record, and says where each text came from (kg.corpus.Origin).
"""
