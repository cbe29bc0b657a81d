"""The SEM re-examination.

Transcribed statistics, fit audit, reconstruction, fast ML refits, synthetic data and anchors.
"""
