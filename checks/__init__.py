"""Checks of the book.

The prose lint of the sources, and checks of the built site: links, browser, accessibility, PDF.
"""
