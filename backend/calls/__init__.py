"""Anonymous call events and their outcomes."""
