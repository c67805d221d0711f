"""Save a screenshot of the demo district's overview for the documentation.

Usage, against a running server with the demo loaded (`make run`, or runserver + load_demo):

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8000

Signs in as the demo district administrator in Debian's Chromium (launched by path,
never downloaded) and writes docs/images/district-overview.png at 1280x900.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# The demo logins: see headway.orgs.demo (DEMO_PASSWORD, PEOPLE, DISTRICT_NAME).
EMAIL = "admin@headway.example"
PASSWORD = "headway-demo"
DISTRICT = "Riverbend Unified School District"


def screenshot(url: str, output: Path, email: str, password: str, full_page: bool) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                base_url=url.rstrip("/"), viewport={"width": 1280, "height": 900}, locale="en-US"
            )
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label(re.compile(r"^Email address:?$")).fill(email)
            page.get_by_label(re.compile(r"^Password:?$")).fill(password)
            page.get_by_role("button", name="Sign in", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
            page.get_by_label(re.compile(r"^Organization:?$")).select_option(label=DISTRICT)
            page.get_by_role("button", name="Open", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(DISTRICT)
            page.wait_for_load_state("networkidle")
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output), full_page=full_page)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("url", help="the running server, e.g. http://127.0.0.1:8000")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "docs" / "images" / "district-overview.png"
    )
    parser.add_argument("--email", default=EMAIL)
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--full-page", action="store_true", help="capture the whole page")
    args = parser.parse_args(argv)
    screenshot(args.url, args.output, args.email, args.password, args.full_page)
    print(f"Saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
