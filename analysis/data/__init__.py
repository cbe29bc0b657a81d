"""Data: project paths, the one error type, io, provenance and the schemas.

:mod:`analysis.data.io` is the only code that reads ``data/`` and the source studies.
"""
