"""Liveness of the database, the queue and the workers."""
