"""Training the parser's learned parts: code the running product never imports."""
