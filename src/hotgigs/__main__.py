"""`python -m hotgigs` runs the CLI (used by `serve` to start its children)."""

from hotgigs.cli import app

app(prog_name="hotgigs")
