"""Matching: scores candidates against jobs with a category breakdown, explanation and gap."""
