"""analysis/coding"""
