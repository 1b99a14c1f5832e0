"""Normalisation offsets, segmentation, the packaged data files and contacts."""

from __future__ import annotations

import json
from importlib import resources

from hotgigs.parsing import contacts, segment, skills
from hotgigs.parsing.gazetteer import find_places
from hotgigs.parsing.text import Document


def test_escaped_bytes_and_entities_map_back_to_the_original() -> None:
    original = "PERSONAL\\xc3\\x82\\xc2\\xa0SKILLS  R&amp;D \\xe2\\x80\\xa2 Java\u200b, C#"
    doc = Document(original)
    assert "PERSONAL SKILLS" in doc.text
    assert "R&D" in doc.text
    assert "\\x" not in doc.text
    java = doc.text.index("Java")
    assert doc.span(java, java + 4) == [original.index("Java"), original.index("Java") + 4]
    amp = doc.text.index("&")
    start, end = doc.span(amp, amp + 1)
    assert original[start:end] == "&amp;"
    sharp = doc.text.index("C#")
    start, end = doc.span(sharp, sharp + 2)
    assert original[start:end] == "C#"


def test_flattened_lines_split_at_wide_gaps() -> None:
    flat = "Jane Roe  Pune, Maharashtra  jane@example.com    EDUCATION  B.E. in Civil  " * 4
    texts = [line.text for line in Document(flat).lines]
    assert texts[:5] == [
        "Jane Roe",
        "Pune, Maharashtra",
        "jane@example.com",
        "EDUCATION",
        "B.E. in Civil",
    ]


def test_headings_in_many_spellings() -> None:
    text = (
        "Sam Lee\nObjective: To work as a nurse\nWORK HISTORY\nx\nProfessional Experience:\nx\n"
        "EMPLOYMENT\nx\nTechnologies: Java, SQL\nAcademic Qualifications\nx\nTechnical Skills\n"
        "-----------\nx\nII. EDUCATION:\nx\nRETAIL EXPERIENCE\nx\nLanguages Known\nx\n"
    )
    sections = segment.segment(Document(text).lines)
    kinds = [s.kind for s in sections]
    assert kinds == [
        "header", "summary", "work", "work", "work", "education", "skills", "education",
        "work", "languages",
    ]  # fmt: skip
    assert sections[1].lines[0].text == "To work as a nurse"
    # inside an experience section "Technologies: ..." is part of the entry
    assert [line.text for line in sections[4].lines] == ["x", "Technologies: Java, SQL"]


def test_sentences_are_not_headings() -> None:
    text = "Sam Lee\nI have experience in sales and education.\nskills\n"
    kinds = [s.kind for s in segment.segment(Document(text).lines)]
    assert kinds == ["header"]


def test_skill_taxonomy_is_packaged_data() -> None:
    path = resources.files("hotgigs.parsing") / "data" / "skills.json"
    data = json.loads(path.read_text("utf-8"))
    entries = data["skills"]
    assert len(entries) >= 500
    categories = {e["category"] for e in entries}
    assert categories == {"tool", "domain", "soft"}
    names = [e["name"].lower() for e in entries]
    assert len(names) == len(set(names))
    tax = skills.taxonomy()
    assert tax is skills.taxonomy()  # loaded once
    assert tax.keys["k8s"].entry.name == "Kubernetes"
    assert tax.keys["js"].entry.name == "JavaScript"
    assert tax.keys["ml"].entry.name == "Machine Learning"
    for non_tech in ("Patient Care", "Cold Calling", "Bookkeeping", "Welding", "Typography"):
        assert non_tech in tax.by_name
    locations = resources.files("hotgigs.parsing") / "data" / "locations.json"
    assert json.loads(locations.read_text("utf-8"))["cities"]


def test_places() -> None:
    text = "Infosys Limited -  Bangalore Urban, Karnataka - | Pearl St., Buffalo, NY 14202"
    found = {(p.city, p.region, p.country_code) for p in find_places(text)}
    assert ("Bengaluru", "Karnataka", "IN") in found
    assert ("Buffalo", "New York", "US") in found


def test_emails_and_links() -> None:
    text = (
        "mail: a.b-c@mail.example.co.uk; x@y, bad@@example.com "
        "www.janedoe.dev https://github.com/jdoe/repo Node.js ASP.NET Skype: jane.doe"
    )
    emails = contacts.find_emails(text)
    assert [e.address for e in emails] == ["a.b-c@mail.example.co.uk"]
    links = contacts.find_links(text, emails)
    by_network = {link.network: link for link in links}
    assert by_network[None].url == "https://www.janedoe.dev"
    assert by_network["GitHub"].username == "jdoe"
    assert by_network["Skype"].username == "jane.doe"
    assert len(links) == 3  # Node.js and ASP.NET are technologies, not web sites


def test_an_email_cut_by_a_narrow_column_is_joined_again() -> None:
    # Sidebars wrap a long address anywhere; the next line holds nothing but its rest.
    cases = {
        "ABOUT\nMIGUEL@GMAIL.CO\nM\nMYUGEN.DEV": "MIGUEL@GMAIL.COM",
        "OSIJEK\nROBERT.K1@GMAI\nL.COM\nSKYPE: ROBERT.K1": "ROBERT.K1@GMAIL.COM",
        # a whole address, then a line of its own: a country, a town, a heading
        "jane@example.com\nUK\n": "jane@example.com",
        "jane@example.co\nuk\n": "jane@example.co",
        "jane@example.com\nLondon": "jane@example.com",
        "jane@example.com\nSKILLS\nPython": "jane@example.com",
    }
    for text, address in cases.items():
        found = contacts.find_emails(text)
        assert [e.address for e in found] == [address], text
        assert text[found[0].start : found[0].end].replace("\n", "") == address
