"""The fictional demo region."""
