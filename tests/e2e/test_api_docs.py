"""The API's interactive documentation works in a real browser with nothing from the internet."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def _external_requests(page: Page) -> list[str]:
    """Every request the page makes to another origin (recorded from now on)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "127.0.0.1" not in r.url else None)
    return seen


def test_swagger_ui_renders_the_api_from_our_own_origin(open_page) -> None:
    page = open_page()
    external = _external_requests(page)

    page.goto("/docs")  # open_page fails the test on a script error or a CSP refusal

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("HotGigs resume import")
    expect(page.locator(".opblock-summary-path", has_text="/api/health").first).to_be_visible()
    assert external == []


def test_redoc_renders_the_api_from_our_own_origin(site, browser) -> None:
    context = browser.new_context(base_url=site.url)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    try:
        page.goto("/redoc")

        expect(page.get_by_role("heading", name="HotGigs resume import")).to_be_visible()
        expect(page.get_by_text("/api/health").first).to_be_attached()
        # ReDoc's own "API docs by Redocly" logo is its one link to the internet: the policy
        # refuses it (ReDoc then leaves the logo out) and nothing else is refused
        assert all("cdn.redoc.ly" in text for text in refused)
    finally:
        context.close()
