"""An admin in a real browser: overview, master database, sharing, users and the audit log."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import LAPTOP, PHONE, import_resume, screenshot, too_wide
from tests.support.sample_resumes import sample_resume


def stat_value(page: Page, name: str):
    """The big number of an overview card."""
    return page.locator(f'[data-stat="{name}"] .value')


def test_admin_overview_master_database_sharing_and_audit(sign_in, api_as, make_user, site) -> None:
    owner = make_user(Role.RECRUITER, f"alex-{uuid.uuid4().hex[:6]}@example.com")
    candidate_id = import_resume(api_as(owner), "cv.pdf", sample_resume())
    admin_page, _admin = sign_in(Role.ADMIN)
    bob_page, bob = sign_in(Role.RECRUITER)

    # Overview: the figures of what exists.
    admin_page.goto("/admin")
    expect(admin_page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    expect(stat_value(admin_page, "candidates")).to_have_text("1")
    expect(stat_value(admin_page, "resumes")).to_have_text("1")
    expect(admin_page.locator('[data-status="completed"] .count')).to_have_text("1")
    expect(admin_page.locator('[data-role="recruiter"] .count')).to_have_text("2")
    expect(stat_value(admin_page, "workers")).not_to_have_text("0")
    screenshot(admin_page, "admin-overview")

    # The master database lists Alex's candidate with its owner.
    admin_page.get_by_role("link", name="Open the master database").click()
    admin_page.wait_for_url("**/admin/candidates")
    row = admin_page.locator(f'[data-candidate-row="{candidate_id}"]')
    expect(row).to_contain_text("Priya Raman")
    expect(row).to_contain_text(owner.email)
    expect(row).to_contain_text("Not shared")
    share_button = admin_page.get_by_role("button", name="Share selected")
    expect(share_button).to_be_disabled()
    admin_page.get_by_label("Select Priya Raman").check()
    expect(admin_page.get_by_text("1 candidate selected")).to_be_visible()
    admin_page.get_by_label("Recruiter", exact=True).select_option(
        label=f"{bob.full_name} ({bob.email})"
    )
    admin_page.get_by_label("Permission", exact=True).select_option("view")
    screenshot(admin_page, "admin-master-database")
    share_button.click()
    expect(row.locator("[data-shares]")).to_contain_text(f"{bob.email} · view")
    expect(admin_page.get_by_role("status").filter(has_text="Shared 1 candidate")).to_be_visible()
    # Sharing with the owner is refused with the server's reason beside the form.
    admin_page.get_by_label("Select Priya Raman").check()
    admin_page.get_by_label("Recruiter", exact=True).select_option(
        label=f"{owner.full_name} ({owner.email})"
    )
    share_button.click()
    expect(admin_page.locator("[data-share-panel] [data-error]")).to_contain_text(
        "already owns this candidate"
    )
    admin_page.reload()
    expect(row.locator("[data-shares]")).to_contain_text(f"{bob.email} · view")
    admin_page.set_viewport_size(PHONE)
    screenshot(admin_page, "phone-admin-master-database")
    admin_page.set_viewport_size(LAPTOP)

    # Bob hears of it live: the bell counts it and its list names the candidate.
    badge = bob_page.locator("[data-unread]")
    expect(badge).to_be_visible(timeout=20_000)
    assert int(badge.inner_text()) >= 1
    bob_page.get_by_role("button", name=re.compile("Notifications")).click()
    expect(bob_page.locator("[data-bell-list]")).to_contain_text("shared Priya Raman with you")

    # The audit log shows the share: who, what, which candidate, from where.
    admin_page.goto("/admin/audit")
    entry = admin_page.locator('[data-action="share"]').first
    expect(entry).to_contain_text("Shared")
    expect(entry).to_contain_text(f"with {bob.email}")
    expect(entry.get_by_role("link", name="Priya Raman")).to_have_attribute(
        "href", f"/candidates/{candidate_id}"
    )
    expect(entry).to_contain_text("127.0.0.1")
    admin_page.get_by_label("What").select_option(label="Shared")  # applies at once
    admin_page.wait_for_url(re.compile(r"action=share"))
    expect(admin_page.locator("[data-entry]")).to_have_count(1)
    admin_page.get_by_label("What").select_option(label="Any action")
    expect(admin_page.locator("[data-entry]").nth(1)).to_be_visible()  # the import, too
    screenshot(admin_page, "admin-audit")
    admin_page.set_viewport_size(PHONE)
    screenshot(admin_page, "phone-admin-audit")


def test_admin_manages_users(sign_in, site) -> None:
    page, admin = sign_in(Role.ADMIN)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/admin/users")
    mine = page.locator(f'[data-user-row="{admin.id}"]')
    expect(mine.get_by_label(f"Role of {admin.email}")).to_be_disabled()
    expect(mine.get_by_role("button")).to_have_count(0)

    email = f"rae-{uuid.uuid4().hex[:6]}@example.com"
    form = page.locator("#new-user")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Full name").fill("Rae Recruiter")
    form.get_by_label("Password").fill("short")
    form.get_by_role("button", name="Create user").click()
    # The browser's own check stops a short password before the server sees it.
    expect(page.locator(f'[data-email="{email}"]')).to_have_count(0)
    form.get_by_label("Password").fill("a long enough password")
    form.get_by_label("Role").select_option("recruiter")
    form.get_by_role("button", name="Create user").click()
    row = page.locator(f'[data-email="{email}"]')
    expect(row).to_contain_text("Rae Recruiter")
    expect(row.get_by_label(f"Role of {email}")).to_have_value("recruiter")
    # Creating the same email again names the problem.
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill("a long enough password")
    form.get_by_role("button", name="Create user").click()
    expect(form.locator("[data-error]")).to_contain_text("already exists")

    row.get_by_label(f"Role of {email}").select_option("admin")
    expect(page.get_by_role("status").filter(has_text=f"{email} is now an admin")).to_be_visible()
    page.reload()
    expect(row.get_by_label(f"Role of {email}")).to_have_value("admin")

    row.get_by_role("button", name=f"Disable {email}").click()
    expect(row.locator(".pill.bad")).to_have_text("disabled")
    expect(row.get_by_role("button", name=f"Enable {email}")).to_be_visible()
    screenshot(page, "admin-users")
    row.get_by_role("button", name=f"Enable {email}").click()
    expect(row.locator(".pill.ok")).to_have_text("active")
    page.set_viewport_size(PHONE)
    screenshot(page, "phone-admin-users")


def test_admin_overview_on_a_phone(sign_in, site) -> None:
    page, _admin = sign_in(Role.ADMIN, viewport=PHONE)
    page.goto("/admin")
    expect(stat_value(page, "candidates")).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    screenshot(page, "phone-admin-overview")


def test_the_admin_menu_leads_to_bulk_upload_and_google_drive(sign_in, site) -> None:
    page, _admin = sign_in(Role.ADMIN)
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Bulk upload").click()
    page.wait_for_url(re.compile(r"/import/bulk$"))
    expect(menu.get_by_role("link", name="Bulk upload")).to_have_attribute("aria-current", "page")
    menu.get_by_role("link", name="Google Drive").click()
    page.wait_for_url(re.compile(r"/drive$"))
    expect(menu.get_by_role("link", name="Google Drive")).to_have_attribute("aria-current", "page")
    screenshot(page, "admin-menu-drive")


def test_admin_sees_people_imported_by_several_recruiters(sign_in, api_as, make_user, site) -> None:
    alice = make_user(Role.RECRUITER, f"alice-{uuid.uuid4().hex[:6]}@example.com")
    bob = make_user(Role.RECRUITER, f"bob-{uuid.uuid4().hex[:6]}@example.com")
    alices = import_resume(api_as(alice), "priya.pdf", sample_resume())
    bobs = import_resume(api_as(bob), "priya-raman.pdf", sample_resume(title="Lead Data Engineer"))
    import_resume(
        api_as(bob),
        "li.pdf",
        sample_resume(name="Li Wei", email="li@x.org", phone="+44 20 7946 0958"),
    )
    page, _admin = sign_in(Role.ADMIN)

    # The master database says how many people several recruiters imported, and leads there.
    page.goto("/admin/candidates")
    expect(page.locator("[data-duplicates-notice]")).to_contain_text(
        "1 person was imported by more than one recruiter"
    )
    page.get_by_role("link", name="People imported by several recruiters (1)").click()
    page.wait_for_url(re.compile(r"/admin/candidates\?view=duplicates$"))
    views = page.get_by_role("navigation", name="Master database views")
    expect(views.get_by_role("link", name=re.compile("People imported"))).to_have_attribute(
        "aria-current", "page"
    )

    # One group: both owners' profiles, why they are one person, and a link to each profile.
    group = page.locator("[data-duplicate-group]")
    expect(group).to_have_count(1)
    expect(group).to_contain_text("same email")
    expect(group).to_contain_text("priya.raman@example.com")
    expect(group).to_contain_text("also same phone")
    expect(group).to_contain_text("2 recruiters · 2 profiles")
    for owner, candidate_id in ((alice, alices), (bob, bobs)):
        row = group.locator(f'[data-duplicate-profile="{candidate_id}"]')
        expect(row).to_contain_text(owner.email)
        expect(row.get_by_role("link", name="Priya Raman")).to_have_attribute(
            "href", f"/candidates/{candidate_id}"
        )
    expect(page.locator("main")).not_to_contain_text("Li Wei")  # imported once only
    expect(page.get_by_text("nothing is merged across owners")).to_be_visible()
    screenshot(page, "admin-duplicates")

    # Not merged, shared: Bob gets to see Alice's copy from the group itself.
    page.get_by_label(f"Select Priya Raman of {alice.email}").check()
    page.get_by_label("Recruiter", exact=True).select_option(label=f"{bob.full_name} ({bob.email})")
    page.get_by_role("button", name="Share selected").click()
    shared = group.locator(f'[data-duplicate-profile="{alices}"] [data-shares]')
    expect(shared).to_contain_text(f"{bob.email} · view")
    page.reload()
    expect(shared).to_contain_text(f"{bob.email} · view")
    page.set_viewport_size(PHONE)
    assert not too_wide(page), too_wide(page)
    screenshot(page, "phone-admin-duplicates")
    page.set_viewport_size(LAPTOP)

    # Each profile opens as it is, with its own owner.
    group.locator(f'[data-duplicate-profile="{bobs}"]').get_by_role(
        "link", name="Priya Raman"
    ).click()
    page.wait_for_url(f"**/candidates/{bobs}")
    expect(page.get_by_role("heading", name="Priya Raman")).to_be_visible()
