"""The book kit: glue, the glue registry, the table of contents, LaTeX helpers and the Sphinx extension."""
