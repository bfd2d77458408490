"""The search: one operation that every channel renders, its index and its caches."""
