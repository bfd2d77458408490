"""Craft businesses: their model, trades and phone numbers."""
