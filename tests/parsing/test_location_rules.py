"""Where the person lives: address lines as resumes print them."""

from __future__ import annotations

from hotgigs.parsing import parse_text
from hotgigs.parsing.basics import find_location
from hotgigs.parsing.segment import segment
from hotgigs.parsing.text import Document


def _city(text: str) -> str | None:
    doc = Document(text)
    found = find_location(doc, segment(doc.lines))
    return found[1].get("city") if found else None


def test_a_city_with_a_small_word_before_the_email() -> None:
    text = "Ana Souza\nSão Gonçalo, Rio de Janeiro ana@example.com +55 21 99999 0000\nExperience\n"
    assert _city(text) == "São Gonçalo"


def test_a_city_before_a_hyphenated_region_on_the_contact_line() -> None:
    text = "Konsta Lehtinen\nTampere, Länsi-Suomi · konsta@example.com · +358 45 895 5247\n"
    assert _city(text) == "Tampere"
    assert _city("Ann Lee\nStratford-upon-Avon · ann@example.com\n") == "Stratford-upon-Avon"


def test_a_postal_line_with_a_one_letter_word() -> None:
    text = "Marta Vidal\nProgram Manager\nAbout\nOleiros A Coruña 15173\nmarta@example.com\n"
    assert _city(text) == "Oleiros"


def test_the_city_before_a_postal_code_region_and_country_code() -> None:
    text = "Aino Virtanen\nProgrammer\nTampere, 33100, Länsi-Suomi, FI\naino@example.com\n"
    assert _city(text) == "Tampere"


def test_a_contact_block_printed_at_the_end_and_a_city_named_like_its_country() -> None:
    text = (
        "Paul Weber\nBackend Developer\nExperience\nBackend Developer\tMay 2020 - Present\n"
        "Northwind\nBuilt the payment services.\npaul@example.com\nLuxembourg, Luxembourg\n"
        "Skills\nGo\n"
    )
    assert _city(text) == "Luxembourg"


def test_a_city_opening_a_sidebars_about_block() -> None:
    # Sidebar themes print the city alone (often in capitals) at the top of "About"; a
    # wrapped "Buenos Aires Buenos Aires" keeps its city.
    text = "HELENE JONIN\nSOFTWARE ENGINEER\nABOUT\nWARSAW\nIN/HELENEJONIN\nEXPERIENCE\n"
    assert _city(text) == "Warsaw"
    text = "Lorenzo Graizzaro\nDeveloper\nAbout\nBUENOS AIRES BUENOS\nAIRES\nExperience\n"
    assert _city(text) == "Buenos Aires"
    # the block's sentences are not an address
    text = "Ana Lima\nDeveloper\nAbout\nI moved from Lisbon to Paris in 2019 and love it.\n"
    assert _city(text) is None


def test_a_shouted_accented_name_is_not_part_of_the_headline() -> None:
    result = parse_text("HÉLÈNE JONIN\nSOFTWARE ENGINEER\nABOUT\nWARSAW\nEXPERIENCE\n")
    assert result.resume["basics"]["name"] == "Hélène Jonin"
    assert result.resume["basics"]["label"] == "Software Engineer"
