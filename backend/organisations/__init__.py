"""Guild associations, partner cities and staff accounts."""
