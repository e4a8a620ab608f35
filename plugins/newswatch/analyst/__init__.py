"""The analyst commands: search, show, history, story, export and stats over the article database."""
