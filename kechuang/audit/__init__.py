"""Audit: change records, operation log and login log (append-only)."""
