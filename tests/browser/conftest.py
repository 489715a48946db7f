"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page opened through the `page` fixture fails its test on a console error, an
uncaught page error or a failed request, so "no console error" is checked everywhere."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def page_problems():
    return []


@pytest.fixture
def page(page, page_problems):
    page.on("console", lambda msg: msg.type == "error" and page_problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda error: page_problems.append(f"page error: {error}"))
    # net::ERR_ABORTED is the browser cancelling a request itself (a navigation started
    # while the favicon was still loading), not the server failing it.
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED"
        and page_problems.append(f"request failed: {request.url} {request.failure}"),
    )
    page.on(
        "response",
        lambda response: response.status >= 400 and page_problems.append(f"HTTP {response.status}: {response.url}"),
    )
    yield page
    assert not page_problems, "\n".join(page_problems)


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seed loaded (a transactional test starts from empty tables)."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    return live_server
