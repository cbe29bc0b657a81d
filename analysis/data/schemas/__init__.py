"""analysis/data/schemas"""
