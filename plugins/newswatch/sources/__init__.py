"""Sources: the configured outlets and the discovery of their article URLs."""
