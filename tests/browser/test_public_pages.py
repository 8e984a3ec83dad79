import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "heading", "group_name"),
    [
        ("", "en", "ltr", "The working groups", "Community Health"),
        ("/zh-hans", "zh-hans", "ltr", "工作组", "社群健康"),
        ("/arz", "arz", "rtl", "مجموعات الشغل", "صحة المجتمع"),
    ],
    ids=["en", "zh-hans", "arz"],
)
def test_home_page_in_three_languages(
    page, shot, demo, prefix, lang, direction, heading, group_name
):
    page.goto(f"{prefix}/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=group_name, exact=True)).to_be_visible()
    shot("home")
    if direction == "rtl":
        # The language switcher sits at the start of the line in a right-to-left page.
        header = page.locator(".header-row").bounding_box()
        brand = page.locator(".brand").bounding_box()
        assert brand["x"] + brand["width"] > header["x"] + header["width"] / 2


@pytest.mark.parametrize(
    ("prefix", "mailing_heading", "name", "reason_fragment"),
    [
        ("", "Mailing list", "Product & Technology", "extensive scope"),
        ("/zh-hans", "邮件列表", "产品与技术", "重命名为“产品与技术”"),
        ("/arz", "القايمه البريديه", "المنتج و التكنولوجيا", "extensive scope"),
    ],
    ids=["en", "zh-hans", "arz"],
)
def test_group_page_in_three_languages(
    page, shot, demo, prefix, mailing_heading, name, reason_fragment
):
    page.goto(f"{prefix}/groups/product-technology/")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name=mailing_heading)).to_be_visible()
    expect(
        page.get_by_role("link", name="wg2030-productandtechnology@wikimedia.org")
    ).to_be_visible()
    expect(page.locator(".former-names")).to_contain_text("Technology")
    expect(page.locator(".former-names")).to_contain_text(reason_fragment)
    shot("group")


def test_language_switcher_keeps_the_page(page, demo):
    page.goto("/groups/diversity/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/groups/diversity/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("多样性")


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [("", "en", "Not found"), ("/arz", "arz", "مش موجود")],
    ids=["en", "arz"],
)
def test_an_unknown_address_shows_the_sites_404_page_with_its_favicon(
    page, shot, transactional_db, prefix, lang, heading
):
    """The probe: the demo showed Django's technical 404 page, and every page asked for a
    favicon that did not exist."""
    failed = []
    page.on(
        "response",
        lambda response: (
            failed.append(response.url)
            if response.status >= 400 and "no-such-page" not in response.url
            else None
        ),
    )
    response = page.goto(f"{prefix}/no-such-page/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert "URLconf" not in page.content()
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(icon).status == 200
    assert not failed
    shot("404")
