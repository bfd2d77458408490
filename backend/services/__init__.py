"""Business logic; no module here reads ``flask.request``."""
