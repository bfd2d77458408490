"""Click command groups registered on the Flask CLI by :mod:`backend.cli`."""
