"""Candidate profiles: ownership, duplicates and merging (search, sharing and notes grow here)."""
