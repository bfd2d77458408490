"""The emergency duty plan (Notdienstplan)."""
