"""Google Drive folder sync: OAuth 2.0 connection, scheduled incremental folder imports."""
