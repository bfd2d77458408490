"""The audit log: who changed what, when, field by field."""
