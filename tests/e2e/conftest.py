"""Browser tests: pytest-playwright driving the system Chromium (installed by .ci/run), axe-core for
accessibility. Skipped where no Chromium is installed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

# Playwright's sync API runs an event loop in the test thread; Django's ORM is safe here (one thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM:
                item.add_marker(pytest.mark.skip(reason="Chromium is not installed (.ci/run installs it)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


SERIOUS = ("serious", "critical")


def _described(violation: dict) -> str:
    return (f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            f"{[n['target'] for n in violation['nodes']][:3]}")


def serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [_described(v) for v in results.response["violations"] if v.get("impact") in SERIOUS]


def axe_findings(page: Page) -> tuple[list[str], list[str]]:
    """One axe run with WCAG 2.2 AA 2.5.8 (target size, a rule axe ships switched off) switched on: the serious and
    critical findings, and the others (moderate, minor, and any target-size finding)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}})
    serious, other = [], []
    for violation in results.response["violations"]:
        wanted = violation.get("impact") in SERIOUS and violation["id"] != "target-size"
        (serious if wanted else other).append(_described(violation))
    return serious, other


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every browser context a test opens reports what the Content Security Policy refused (Chromium logs each
    refusal to the console); the test fails if anything was refused: an inline script, handler or style, or a
    file from elsewhere."""
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage

    violations: list[str] = []
    open_context = Browser.new_context

    def new_context(self: Browser, *args: object, **kwargs: object) -> BrowserContext:
        context = open_context(self, *args, **kwargs)

        def watch(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                violations.append(f"{message.location.get('url')}: {message.text}")

        context.on("console", watch)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield
    assert violations == [], "\n".join(violations)
