"""The article's dates: published and updated, each with where it came from.

``parse`` reads machine date strings (structured data, attributes, URLs); ``written`` reads dates
as readers see them ("18. März 2024", "3 hours ago"); ``page`` finds the page's candidates and
decides between them.
"""
