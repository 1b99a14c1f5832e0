"""Resume files: upload, encrypted storage, extraction and import."""
