"""One module per book page, named like its ``book/*.md``.

Each owns the page's parameters, captions, labels and glue keys; its ``build()`` returns one
:class:`~analysis.report.page.PageOutput`.
"""
