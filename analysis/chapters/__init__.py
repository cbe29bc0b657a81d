"""analysis/chapters"""
