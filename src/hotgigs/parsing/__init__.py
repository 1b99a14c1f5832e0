"""Resume parsing: plain text in, JSON Resume out, with confidence and evidence.

A pure library (no web, no database).  The rule-based core lives in:

- ``text``: normalisation with an offset map, logical lines
- ``segment``: section headings -> typed sections
- ``contacts``: e-mail, phone (E.164), links and profiles
- ``gazetteer``: places (``data/locations.json``)
- ``dates``: dates, ranges, durations, merged years of experience
- ``skills``: skill taxonomy (``data/skills.json``) matching (``meta["skill_mentions"]``)
- ``listed``: the skills a person lists in a skills section, as written (``skills[]``)
- ``entries``: work and education entries
- ``extras``: certificates, languages, projects
- ``basics``: name, label, location, summary
- ``model``: the learned token tagger (a CRF trained on the labelled resumes, shipped as
  ``data/resume_crf.crfsuite``; training: :func:`hotgigs.training.tagger.train_from_jsonl`)
- ``merge``: the tagger's spans merged into the rules' JSON Resume
- ``api``: :func:`parse_text`, the one entry point (rules only when the model is absent)
"""

from hotgigs.parsing.api import PARSER_NAME, PARSER_VERSION, ParseResult, parse_text

__all__ = ["PARSER_NAME", "PARSER_VERSION", "ParseResult", "parse_text"]
