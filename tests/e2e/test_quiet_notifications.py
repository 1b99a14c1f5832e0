"""A bulk upload is one notification, its files stay live on the page, and toasts stay few
and out of the way of the page's controls and status labels, on a laptop and a phone."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import PHONE, screenshot, too_wide
from tests.support.documents import make_pdf, make_truncated_pdf, make_txt
from tests.support.processes import wait_for
from tests.support.sample_resumes import sample_resume

PEOPLE = [
    ("ada.pdf", "Ada Stone", "ada@example.com", "+1 212 555 0101"),
    ("ben.pdf", "Ben Okafor", "ben@example.com", "+1 212 555 0102"),
    ("chloe.pdf", "Chloe Martin", "chloe@example.com", "+1 212 555 0103"),
    ("dev.pdf", "Dev Patel", "dev@example.com", "+1 212 555 0104"),
]

# What toasts must never cover: the upload control, each file's status, the counts, the
# summary and any button of the page.
GUARDED = "[data-dropzone], [data-files] .pill, [data-counts], [data-summary] .stat, main .button"

# The toasts showing, and the guarded elements in view that one of them overlaps.
TOASTS_AND_OVERLAPS = """(guarded) => {
  const shown = [...document.querySelectorAll("[data-toasts] > :not([hidden])")];
  const overlaps = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const hits = [];
  for (const toast of shown) {
    const t = toast.getBoundingClientRect();
    for (const element of document.querySelectorAll(guarded)) {
      const g = element.getBoundingClientRect();
      if (g.width && g.height && g.bottom > 0 && g.top < innerHeight && overlaps(t, g)) {
        hits.push(`${toast.textContent.trim()} over ${element.className || element.tagName}`);
      }
    }
  }
  return { shown: shown.map((t) => t.textContent.trim()), hits };
}"""

# Where the top bar ends, and the top and bottom of every guarded element.
PLACES = """(guarded) => ({
  bar: document.querySelector(".topbar").getBoundingClientRect().bottom,
  height: innerHeight,
  boxes: [...document.querySelectorAll(guarded)].map((e) => {
    const r = e.getBoundingClientRect();
    return [r.top, r.bottom];
  }),
})"""


def resume_file(name: str, person: str, email: str, phone: str) -> dict:
    """A resume as a file the page's file input takes."""
    lines = sample_resume(name=person, email=email, phone=phone)
    return {"name": name, "mimeType": "application/pdf", "buffer": make_pdf(lines)}


def watch_toasts(page: Page, seconds: float) -> list[str]:
    """Sample the toasts for a while: each sample shows at most 3 and covers nothing."""
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = page.evaluate(TOASTS_AND_OVERLAPS, GUARDED)
        assert len(state["shown"]) <= 3, state["shown"]
        assert not state["hits"], state["hits"]
        seen += state["shown"]
        page.wait_for_timeout(100)
    return seen


def test_a_bulk_upload_is_one_notice_with_live_rows_and_toasts_out_of_the_way(
    sign_in, api_as
) -> None:
    page, user = sign_in(Role.RECRUITER)
    page.goto("/import/bulk")
    expect(page.locator("body[data-live=connected]")).to_have_count(1)
    # Record what the socket brings, as the page's own scripts hear it.
    page.evaluate(
        """() => { window.heard = [];
          HotGigs.onNotification((m) => window.heard.push(
            { type: m.type, in_app: m.in_app, resume: m.data && m.data.resume_id })); }"""
    )
    broken = {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": make_truncated_pdf()}
    page.get_by_label("Resume files").set_input_files(
        [resume_file(*person) for person in PEOPLE] + [broken]
    )
    rows = page.locator("[data-files] > li")
    expect(rows).to_have_count(5)
    for name, *_ in PEOPLE:
        expect(page.locator(f'[data-file="{name}"] .pill')).to_have_text(
            "completed", timeout=120_000
        )
    expect(page.locator('[data-file="broken.pdf"] .pill')).to_have_text("failed")
    expect(page.locator("[data-counts]")).to_have_text("5 of 5 finished")
    expect(page.locator('[data-sum="completed"]')).to_have_text("4")
    expect(page.locator('[data-sum="failed"]')).to_have_text("1")

    # Each file's end reached the page live over the socket; only the batch is news to keep.
    heard = page.evaluate("window.heard")
    ends = [m for m in heard if m["type"] in ("resume_completed", "resume_failed")]
    assert len({m["resume"] for m in ends}) == 5, heard
    assert {m["type"] for m in heard if m["in_app"]} <= {"bulk_upload_completed"}, heard

    # The bell: one new notification for the whole upload, and one toast saying so.
    badge = page.locator("[data-unread]")
    expect(badge).to_have_text("1", timeout=30_000)
    toast = page.locator("[data-toasts] .toast").filter(has_text="Bulk upload finished")
    expect(toast).to_have_text(re.compile("4 imported, 1 failed"))
    assert watch_toasts(page, 1.0)
    screenshot(page, "quiet-bulk-upload")
    page.wait_for_timeout(1000)
    expect(badge).to_have_text("1")
    page.get_by_role("button", name=re.compile("Notifications")).click()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel.locator("[data-bell-list] li")).to_have_count(1)
    expect(panel).to_contain_text("Bulk upload finished: 4 imported, 1 failed")
    screenshot(page, "quiet-bulk-bell")
    page.keyboard.press("Escape")

    # A burst of news (single uploads elsewhere tell each file and each new candidate):
    # never more than 3 toasts, the rest gathered in "+N more", none over the page.
    api = api_as(user)
    for n in range(4):
        lines = sample_resume(name=f"Burst Person{n}", email=f"burst{n}@example.com")
        upload = api.post("/api/resumes/upload", files={"file": (f"burst{n}.txt", make_txt(lines))})
        assert upload.status_code == 202, upload.text
    wait_for(
        lambda: page.locator("[data-toasts] .toast:not(.more)").count() >= 2,
        timeout=60,
        what="toasts of the burst",
    )
    assert watch_toasts(page, 4.0)
    screenshot(page, "quiet-toast-burst")


def test_more_than_three_toasts_collapse_and_none_covers_the_page_when_scrolled(
    sign_in,
) -> None:
    page, _user = sign_in(Role.RECRUITER)
    page.goto("/import/bulk")
    page.get_by_label("Resume files").set_input_files([resume_file(*person) for person in PEOPLE])
    for name, *_ in PEOPLE:
        expect(page.locator(f'[data-file="{name}"] .pill')).to_have_text(
            "completed", timeout=120_000
        )
    expect(page.locator("[data-unread]")).to_have_text("1", timeout=30_000)
    expect(page.locator("[data-toasts] > :not([hidden])")).to_have_count(0, timeout=15_000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    before = page.evaluate(PLACES, GUARDED)
    in_view = [
        n
        for n, (top, bottom) in enumerate(before["boxes"])
        if bottom > top and top >= before["bar"] and bottom <= before["height"]
    ]
    assert in_view
    page.evaluate(
        "() => { for (let n = 1; n <= 5; n++) HotGigs.toast(`Notice ${n}`, { href: '/jobs' }); }"
    )
    shown = page.locator("[data-toasts] > :not([hidden])")
    expect(shown).to_have_count(3)
    expect(shown.nth(0)).to_have_text("+3 more")
    expect(shown.nth(1)).to_contain_text("Notice 4")
    expect(shown.nth(2)).to_contain_text("Notice 5")
    # The page moved down below the taller bar instead of sliding under it: what was in
    # view is still wholly below the bar (or pushed on down), none of it covered. (What
    # was already scrolled under the sticky bar stays there, toasts or not.)
    after = page.evaluate(PLACES, GUARDED)
    assert after["bar"] > before["bar"]
    assert all(after["boxes"][n][0] >= after["bar"] for n in in_view), (before, after)
    screenshot(page, "quiet-toasts-collapsed")
    # A toast can be dismissed; "+N more" opens the notification center.
    shown.nth(2).get_by_role("button", name="Dismiss").click()
    expect(shown).to_have_count(3)
    expect(shown.nth(0)).to_have_text("+2 more")
    shown.nth(0).click()
    page.wait_for_url(re.compile(r"/notifications$"))

    # At phone width the toasts are a column of one-line notices under the top bar.
    page.set_viewport_size(PHONE)
    page.goto("/import/bulk")
    page.evaluate(
        "() => { for (let n = 1; n <= 4; n++) HotGigs.toast(`A longer notice, number ${n}`); }"
    )
    expect(page.locator("[data-toasts] > :not([hidden])")).to_have_count(3)
    state = page.evaluate(TOASTS_AND_OVERLAPS, GUARDED)
    assert not state["hits"], state["hits"]
    assert not too_wide(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    screenshot(page, "quiet-toasts-phone")
