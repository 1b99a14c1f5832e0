"""Signing in, registering and signing out in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from hotgigs.auth.models import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, screenshot, too_wide


def test_sign_in_shows_a_wrong_password_and_sign_out_ends_the_session(open_page, make_user):
    user = make_user(Role.RECRUITER)
    page = open_page()
    page.goto("/candidates")
    page.wait_for_url(re.compile(r"/login\?next=/candidates$"))
    screenshot(page, "sign-in")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password.")
    expect(page.get_by_label("Email")).to_have_value(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/candidates$"))  # back where the visitor was going
    expect(page.get_by_text(user.full_name)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))
    page.goto("/import")
    page.wait_for_url(re.compile(r"/login\?next=/import$"))
    cookies = {c["name"] for c in page.context.cookies()}
    assert not cookies & {"hotgigs_access", "hotgigs_refresh"}


def test_register_at_phone_width(open_page):
    page = open_page(viewport=PHONE)
    page.goto("/login")
    page.get_by_role("link", name="Create a candidate account").click()
    page.get_by_label("Full name").fill("Noor Haddad")
    page.get_by_label("Email").fill("noor.haddad@example.com")
    page.get_by_label(re.compile("^Password")).fill("short")
    screenshot(page, "phone-register")
    assert not too_wide(page), too_wide(page)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/me$"))
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="My matches")
    ).to_be_visible()
