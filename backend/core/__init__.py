"""Shared by every area: configuration, database set-up, errors, security headers, types."""
