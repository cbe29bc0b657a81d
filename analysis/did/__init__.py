"""analysis/did"""
