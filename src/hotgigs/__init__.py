"""HotGigs resume import: turn resumes into a private, searchable candidate database."""

__version__ = "0.1.0"
