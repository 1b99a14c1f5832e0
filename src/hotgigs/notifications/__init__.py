"""Notifications: the per-user store, live delivery over WebSocket, preferences."""
