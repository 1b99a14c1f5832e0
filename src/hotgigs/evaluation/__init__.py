"""Evaluation of the resume parser (kept out of the runtime parser).

- ``scoring``: the corpus README's fair scorer (per-field multiset pairing, exact then fuzzy)
- ``corpus``: the ``jsonresume-real`` corpus (truth, split, manifest), run through the same
  extraction + parsing path as an upload, and the printed report
- ``labelled``: the labelled dotin resumes (``hotgigs eval`` without ``--truth``): sets of
  normalised strings per label
- ``corrected``: an installation's corrected resumes (``hotgigs eval --corrections``)
"""
