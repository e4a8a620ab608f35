"""The store's read side: every query the UI and the analyst CLI make, on both databases.

Nothing here writes. Rows come back as plain dicts with aware UTC datetimes; shaping them for a
screen or a terminal is the caller's business. Anything that needs more than the database (URL
canonicalisation, the topic matcher) is done by the caller, which passes the result in.
"""
