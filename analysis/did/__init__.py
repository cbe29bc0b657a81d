"""Difference-in-differences.

Estimator wrappers, the linear fast path, simulations, the panel and the published-number
anchors.
"""
