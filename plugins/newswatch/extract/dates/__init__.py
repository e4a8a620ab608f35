"""The article's dates: published and updated, each with where it came from.

``parse`` reads machine date strings (structured data, attributes, URLs); ``written`` reads dates
as readers see them ("18. März 2024", "3 hours ago"); ``candidates`` collects every date the page
offers with the evidence of where it was found; ``choice`` scores the days by that evidence with
weights fitted on the development pages (``weights.json``) and reads the updated date.
"""
