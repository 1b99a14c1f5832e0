"""Signing in, registering and signing out in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from hotgigs.auth.models import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, screenshot, sign_in_as, too_wide


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


def test_a_disabled_account_is_told_so_after_the_right_password(open_page, make_user):
    from hotgigs.auth.models import User
    from hotgigs.db import session_scope

    user = make_user(Role.RECRUITER)
    with session_scope() as session:
        session.get(User, user.id).is_active = False
    page = open_page()
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "This account is disabled. Ask an administrator to enable it."
    )
    screenshot(page, "sign-in-disabled")
    assert page.url.endswith("/login")


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
    expect(page.locator("p.alert[role=status]")).to_contain_text("If this email had no account")
    assert not too_wide(page), too_wide(page)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/me$"))
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="My matches")
    ).to_be_visible()


def test_a_user_changes_their_password_and_other_sign_ins_end(sign_in, open_page):
    page, user = sign_in(Role.RECRUITER)
    elsewhere = sign_in_as(open_page(), user)  # a second browser, signed in too
    page.get_by_role("link", name=re.compile(user.full_name)).click()
    page.wait_for_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    form = page.locator("#password-form")
    form.get_by_label("Current password").fill("not my password")
    form.get_by_label(re.compile("^New password")).fill("seven mossy lanterns drift")
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("alert")).to_have_text("The current password is not correct.")
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_label(re.compile("^New password")).fill("passwordpassword")
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("alert")).to_contain_text("too easy to guess")
    form.get_by_label(re.compile("^New password")).fill("seven mossy lanterns drift")
    form.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status").filter(has_text="Password changed")).to_be_visible()
    expect(form.get_by_label("Current password")).to_have_value("")
    screenshot(page, "account-password-changed")

    # This browser stays signed in; the other one is signed out and must use the new password.
    page.goto("/import")
    expect(page).to_have_url(re.compile(r"/import$"))
    elsewhere.goto("/import")
    elsewhere.wait_for_url(re.compile(r"/login\?next=/import$"))
    elsewhere.get_by_label("Email").fill(user.email)
    elsewhere.get_by_label("Password").fill("seven mossy lanterns drift")
    elsewhere.get_by_role("button", name="Sign in").click()
    elsewhere.wait_for_url(re.compile(r"/import$"))
