"""The accessibility check every page goes through finds what it is there to find: a page with
violations is not reported clean (the check asks axe for the violations only)."""

from playwright.async_api import Browser

from testkit.browser import axe_violations, new_context

HEAD = '<!doctype html><html lang="it"><head><title>Prova</title></head><body><main><h1>Prova</h1>'
CLEAN = HEAD + "</main></body></html>"
IMAGE_WITHOUT_ALT = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
PALE_TEXT = '<p style="color:#ccc;background:#fff">testo chiaro</p>'
BROKEN = HEAD + IMAGE_WITHOUT_ALT + PALE_TEXT + "</main></body></html>"


async def test_axe_reports_the_violations_of_a_page_and_nothing_on_a_clean_one(browser: Browser) -> None:
    context, _ = await new_context(browser)
    try:
        page = await context.new_page()
        await page.set_content(CLEAN)
        assert await axe_violations(page) == []
        await page.set_content(BROKEN)
        found = {v["id"] for v in await axe_violations(page)}
        assert {"image-alt", "color-contrast"} <= found, found
    finally:
        await context.close()
