"""analysis/sem"""
