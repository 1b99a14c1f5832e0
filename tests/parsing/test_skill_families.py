"""Skill families: related skills for partial credit in matching."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from hotgigs.parsing import skills


def _data() -> dict:
    path = resources.files("hotgigs.parsing") / "data" / "skills.json"
    return json.loads(path.read_text("utf-8"))


def test_containers_and_databases_are_related() -> None:
    assert {"OpenShift", "Docker", "Helm"} <= skills.related("Kubernetes")
    assert "Kubernetes" in skills.related("OpenShift")
    assert {"MySQL", "Oracle Database", "SQL Server"} <= skills.related("PostgreSQL")
    assert "PostgreSQL" in skills.related("MySQL")
    assert {"Flask", "FastAPI"} <= skills.related("Django")
    assert "MySQL" not in skills.related("Kubernetes")


def test_non_technical_families() -> None:
    assert "Lesson Planning" in skills.related("Teaching")
    assert "Bookkeeping" in skills.related("Accounts Payable")
    assert "Epic" in skills.related("Electronic Health Records")


def test_membership_in_several_families_is_a_union() -> None:
    react = skills.related("React")
    assert {"Angular", "Vue.js"} <= react  # front-end frameworks
    assert {"Redux", "React Native"} <= react  # React ecosystem


def test_a_skill_is_never_related_to_itself() -> None:
    tax = skills.taxonomy()
    assert tax.related
    for name, others in tax.related.items():
        assert name not in others
        assert others


def test_relation_is_symmetric() -> None:
    tax = skills.taxonomy()
    for name, others in tax.related.items():
        for other in others:
            assert name in skills.related(other), (name, other)


def test_unknown_or_familyless_names_have_no_relatives() -> None:
    assert skills.related("Not A Skill") == frozenset()
    assert skills.related("") == frozenset()
    assert skills.related("kubernetes") == frozenset()  # canonical names only, as written
    tax = skills.taxonomy()
    familyless = [e.name for e in tax.entries if e.name not in tax.related]
    assert familyless
    assert skills.related(familyless[0]) == frozenset()


def test_every_family_member_is_a_canonical_name() -> None:
    data = _data()
    names = {e["name"] for e in data["skills"]}
    families = data["families"]
    assert len(families) >= 40
    family_names = [f["name"] for f in families]
    assert len(family_names) == len(set(family_names))
    for family in families:
        assert len(family["members"]) >= 2, family["name"]
        assert len(set(family["members"])) == len(family["members"]), family["name"]
        assert set(family["members"]) <= names, family["name"]
    assert set(skills.taxonomy().related) <= names


def test_build_related_on_data() -> None:
    families = [
        {"name": "stores", "members": ["A", "B"]},
        {"name": "more", "members": ["B", "C", "B"]},
        {"name": "alone", "members": ["D"]},
    ]
    related = skills._build_related(families, ["A", "B", "C", "D", "E"])
    assert related == {
        "A": frozenset({"B"}),
        "B": frozenset({"A", "C"}),
        "C": frozenset({"B"}),
    }
    assert skills._build_related([], ["A"]) == {}


def test_unknown_family_member_raises() -> None:
    families = [{"name": "databases", "members": ["MySQL", "PostgresSQL"]}]
    with pytest.raises(ValueError, match="PostgresSQL"):
        skills._build_related(families, ["MySQL", "PostgreSQL"])
