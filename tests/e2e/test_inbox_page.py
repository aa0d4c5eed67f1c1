"""The inbox page in headless Chromium against a real ``serve --inbox``: the pairing URL's
fragment goes to localStorage and leaves the address bar, a share (the manifest's GET
share_target) is submitted with the Authorization header and its status shown; the token is
never in a request line the server logs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support.chromium import CHROMIUM, chromium
from tests.support.home import (
    ArticleSite,
    Served,
    add_token,
    article_site,
    make_show,
    start_serve,
)

pytestmark = [
    pytest.mark.network,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str, ArticleSite]]:
    folder = make_show(tmp_path_factory.mktemp("page"))
    token = add_token(folder, "phone")
    served = start_serve(folder, "--inbox", "--inbox-allow-private")
    with article_site() as site:
        try:
            yield served, token, site
        finally:
            served.stop()


def test_pair_share_and_see_the_status(
    home: tuple[Served, str, ArticleSite], tmp_path: Path
) -> None:
    served, token, site = home
    shared = quote(f"Big story {site.url('/a/p1.html')}?utm_source=x via App", safe="")
    done = chromium(
        tmp_path, "--virtual-time-budget=8000", "--dump-dom",
        f"{served.base}inbox?text={shared}&title=Big#token={token}",
    )  # fmt: skip
    assert "Queued (position" in done.stdout or "Already" in done.stdout, done.stdout[-2000:]
    assert 'class="status' in done.stdout
    assert token not in served.logs()
    assert "GET /inbox?" not in served.logs()  # the shared link (query) is not logged


def test_fragment_leaves_the_address_bar_for_local_storage(
    home: tuple[Served, str, ArticleSite], tmp_path: Path
) -> None:
    from tests.support.cdp import debugged_page

    served, token, _ = home
    expression = (
        "JSON.stringify([location.href, localStorage.getItem('newsaudio.inbox.token'),"
        " document.getElementById('unpaired').hidden])"
    )
    with debugged_page(f"{served.base}inbox%23token={token}", tmp_path / "profile") as cdp:
        href = stored = hidden = None
        for _ in range(100):  # until the page has loaded and run its script
            result = cdp.call("Runtime.evaluate", expression=expression, returnByValue=True)
            value = (result or {}).get("result", {}).get("value")
            if value is not None:
                href, stored, hidden = json.loads(value)
                if stored:
                    break
            time.sleep(0.2)
    assert href == f"{served.base}inbox"  # no fragment, no token in the address bar
    assert stored == token and hidden is True
    assert token not in served.logs()
