"""Reference data: trades and emergency categories, published by migrations."""
