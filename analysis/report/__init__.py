"""Displays built from results: tables, charts, the formatters and the page output type."""
