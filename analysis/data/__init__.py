"""analysis/data"""
