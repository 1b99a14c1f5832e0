"""The corrections loop: recruiters correct a field the parser reads wrong on a kind of
document, `hotgigs train --with-corrections` learns from them, and the installation's
parser reads that field right on documents of the same kind it never saw."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotgigs import parsing
from hotgigs.auth.models import Role
from hotgigs.candidates.models import Candidate
from hotgigs.cli import app
from hotgigs.config import get_settings
from hotgigs.db import new_session
from hotgigs.training.corrections import entities_of, held_out
from tests.candidates.test_corrections import API, headers_of, imported
from tests.support.agency_resumes import AGENCIES, agency_resumes
from tests.support.people import people
from tests.support.sample_resumes import sample_resume

runner = CliRunner()
CORRECTED = 24  # of which the shipped parser misreads 18; 5 of those are held out


@pytest.fixture
def installation_model() -> Iterator[Path]:
    """Where training writes the installation's model; removed afterwards, so other tests
    parse with the shipped one."""
    path = get_settings().parser_model_file
    yield path
    for leftover in (path, path.with_suffix(".json")):
        leftover.unlink(missing_ok=True)


def base_data(tmp_path: Path) -> Path:
    """A small labelled file of ordinary resumes (the shipped parser's own reading), standing
    in for the labelled dataset an installation trains on."""
    rows = []
    for index, person in enumerate(people(30)):
        text = "\n".join(sample_resume(name=person.name, email=person.email, phone=person.phone))
        resume = parsing.parse_text(text).resume
        rows.append({"id": f"base-{index}", "text": text, "entities": entities_of(text, resume)})
    path = tmp_path / "base.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def micro_f1(output: str) -> tuple[float, float | None]:
    """The shipped and the installation's figure of `hotgigs eval --corrections`."""
    shipped, mine = re.search(r"corrected_micro_f1 (\S+) (\S+)", output).groups()
    return float(shipped), None if mine == "-" else float(mine)


@pytest.mark.slow
def test_corrections_teach_the_parser_a_kind_of_document(
    client, make_user, login, tmp_path, installation_model
) -> None:
    recruiter = make_user(Role.RECRUITER)
    headers = headers_of(login, recruiter)
    seen = agency_resumes(CORRECTED, seed=1, agencies=AGENCIES[:9])
    corrected = []
    for doc in seen:
        candidate_id = imported(recruiter, doc.text)
        profile = client.get(f"{API}/{candidate_id}", headers=headers).json()
        if profile["full_name"] != doc.truth["basics"]["name"]:
            corrected.append(doc)
            client.post(
                f"{API}/{candidate_id}/corrections",
                json={"basics": {"name": doc.truth["basics"]["name"]}},
                headers=headers,
            ).raise_for_status()

    # The held-out part is fixed by each file's content: known here, never trained on.
    held = [d for d in corrected if held_out(hashlib.sha256(d.text.encode()).hexdigest())]
    assert 2 <= len(held) < len(corrected) - 10
    before = runner.invoke(app, ["eval", "--corrections", "--split", "held-out"])
    assert before.exit_code == 0, before.output
    assert f"documents: {len(held)}" in before.output and "basics.name" in before.output
    shipped_f1, mine_f1 = micro_f1(before.output)
    assert shipped_f1 < 0.5 and mine_f1 is None  # no installation model yet

    trained = runner.invoke(
        app,
        ["train", "--with-corrections", "--data", str(base_data(tmp_path))],
    )
    assert trained.exit_code == 0, trained.output
    assert installation_model.is_file()
    info = json.loads(installation_model.with_suffix(".json").read_text())
    assert info["corrections"] == {"Name": len(corrected) - len(held)}

    after = runner.invoke(app, ["eval", "--corrections", "--split", "held-out"])
    assert micro_f1(after.output) == (shipped_f1, 1.0), after.output

    # `hotgigs reparse` brings the new model to the profiles already imported; the names
    # people corrected stay as they wrote them.
    reread = runner.invoke(app, ["reparse"])
    assert reread.exit_code == 0 and f"re-read {CORRECTED} of {CORRECTED}" in reread.output
    with new_session() as session:
        kept = {c.full_name for c in session.query(Candidate)}
    assert kept == {d.truth["basics"]["name"] for d in seen}

    # New documents of the same kind, from agencies no correction named, read right on import.
    unseen = agency_resumes(10, seed=2, agencies=AGENCIES[9:])
    shipped_right = sum(
        parsing.parse_text(d.text).resume["basics"].get("name") == d.truth["basics"]["name"]
        for d in unseen
    )
    names = []
    for doc in unseen:
        candidate_id = imported(recruiter, doc.text)
        with new_session() as session:
            names.append(session.get(Candidate, candidate_id).full_name)
    assert names == [d.truth["basics"]["name"] for d in unseen]
    assert shipped_right < len(unseen) // 2
