"""The durable inbox queue: dedupe, claim/finish/fail, recovery, concurrency, and a
hypothesis state machine checking that every acknowledged link ends as exactly one item."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from newsaudio.inbox.queue import MAX_ATTEMPTS, InboxQueue, Known


def make(tmp_path: Path, **kw: object) -> InboxQueue:
    return InboxQueue(tmp_path / "state.sqlite", retry_delay_s=lambda _n: 0.0, **kw)  # type: ignore[arg-type]


def test_submit_dedupes_by_canonical_url(tmp_path: Path) -> None:
    q = make(tmp_path)
    a = q.submit("https://News.example:443/a?utm_source=x#top")
    assert a.created and a.status == "queued" and a.position == 1
    b = q.submit("https://news.example/a")
    assert (b.id, b.status, b.created) == (a.id, "queued", False)
    c = q.submit("https://news.example/b")
    assert c.position == 2


def test_known_episode_answers_published(tmp_path: Path) -> None:
    q = make(
        tmp_path,
        episode_for=lambda u: Known("guid-1", "http://h/e.mp3") if u.endswith("/old") else None,
    )
    s = q.submit("https://news.example/old")
    assert (s.status, s.created) == ("published", False)
    item = q.item(s.id)
    assert item is not None and item.guid == "guid-1"
    assert q.claim() is None


def test_claim_finish(tmp_path: Path) -> None:
    q = make(tmp_path)
    s = q.submit("https://news.example/a", title="A")
    item = q.claim()
    assert (
        item is not None and item.id == s.id and item.status == "rendering" and item.attempts == 1
    )
    assert q.claim() is None
    assert q.rendering() == s.id
    done = q.finish(s.id, "guid-a", "http://h/a.mp3")
    assert done.status == "published" and done.finished is not None
    assert q.submit("https://news.example/a").status == "published"
    with pytest.raises(ValueError, match="published, not rendering"):
        q.fail(s.id, "late")


def test_three_attempts_then_failed_and_resubmit_requeues(tmp_path: Path) -> None:
    q = make(tmp_path)
    s = q.submit("https://news.example/a")
    for n in range(1, MAX_ATTEMPTS + 1):
        item = q.claim()
        assert item is not None and item.attempts == n
        after = q.fail(s.id, f"HTTP 500\nfrom site (try {n})")
    assert after.status == "failed" and after.error == f"HTTP 500 from site (try {MAX_ATTEMPTS})"
    again = q.submit("https://news.example/a")
    assert (again.id, again.status, again.created) == (s.id, "queued", True)
    item = q.item(s.id)
    assert item is not None and item.attempts == 0 and item.error is None


def test_retry_waits_for_its_time(tmp_path: Path) -> None:
    now = [1000.0]
    q = InboxQueue(tmp_path / "s.sqlite", clock=lambda: now[0])
    s = q.submit("https://news.example/a")
    assert q.claim() is not None
    q.fail(s.id, "timeout")
    assert q.claim() is None
    now[0] += 60
    assert q.claim() is not None


def test_recover_after_kill(tmp_path: Path) -> None:
    q = make(tmp_path)
    s = q.submit("https://news.example/a")
    assert q.claim() is not None
    q.close()
    q2 = make(tmp_path)  # the next start
    assert q2.recover() == [s.id]
    item = q2.claim()
    assert item is not None and item.id == s.id and item.attempts == 2


def test_recover_fails_an_item_that_keeps_killing_the_process(tmp_path: Path) -> None:
    q = make(tmp_path)
    s = q.submit("https://news.example/a")
    for _ in range(MAX_ATTEMPTS):
        assert q.claim() is not None
        q.recover()
    item = q.item(s.id)
    assert (
        item is not None and item.status == "failed" and "interrupted 3 times" in (item.error or "")
    )


def test_items_newest_first_and_counts(tmp_path: Path) -> None:
    q = make(tmp_path)
    ids = [q.submit(f"https://news.example/{i}").id for i in range(5)]
    assert [i.id for i in q.items()] == ids[::-1]
    assert q.items(limit=2)[0].id == ids[-1]
    assert q.counts() == {"queued": 5, "rendering": 0, "published": 0, "failed": 0}
    assert q.item("nope") is None
    assert set(q.items()[0].to_json()) == {
        "id",
        "url",
        "title",
        "status",
        "error",
        "guid",
        "episode_url",
        "submitted",
        "finished",
    }


def test_threads_submitting_the_same_links_make_one_item_each(tmp_path: Path) -> None:
    q = make(tmp_path)
    results: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def worker() -> None:
        for i in range(20):
            s = q.submit(f"https://news.example/{i}?utm_medium=w")
            with lock:
                results.append((s.id, s.created))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({i for i, _ in results}) == 20
    assert sum(created for _, created in results) == 20


URLS = [f"https://news.example/{n}" for n in range(4)] + ["https://NEWS.example/0?utm_source=a"]


class QueueMachine(RuleBasedStateMachine):
    """Model: every link answered 202 ends as exactly one published item or one failure."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "state.sqlite"
        self.q = InboxQueue(self.path, retry_delay_s=lambda _n: 0.0)
        self.claimed: dict[str, int] = {}  # id -> attempts at claim
        self.published: dict[str, str] = {}  # id -> guid (never changes)
        self.acknowledged: set[str] = set()

    def teardown(self) -> None:
        self.q.close()
        self.dir.cleanup()

    @rule(url=st.sampled_from(URLS))
    def submit(self, url: str) -> None:
        s = self.q.submit(url)
        if s.created:
            assert s.status == "queued" and s.position is not None and s.position >= 1
            self.acknowledged.add(s.id)
        else:
            assert s.id in self.acknowledged

    @rule()
    def claim(self) -> None:
        item = self.q.claim()
        if item is not None:
            assert item.status == "rendering" and 1 <= item.attempts <= MAX_ATTEMPTS
            assert item.id not in self.claimed
            self.claimed[item.id] = item.attempts

    @precondition(lambda self: self.claimed)
    @rule(data=st.data(), ok=st.booleans())
    def end_render(self, data: st.DataObject, ok: bool) -> None:
        item_id = data.draw(st.sampled_from(sorted(self.claimed)))
        attempts = self.claimed.pop(item_id)
        if ok:
            self.q.finish(item_id, f"guid-{item_id}", None)
            self.published[item_id] = f"guid-{item_id}"
        else:
            after = self.q.fail(item_id, "boom")
            assert after.status == ("failed" if attempts >= MAX_ATTEMPTS else "queued")

    @rule()
    def restart(self) -> None:  # kill -9 and start again
        self.q.close()
        self.q = InboxQueue(self.path, retry_delay_s=lambda _n: 0.0)
        assert sorted(self.q.recover()) == sorted(self.claimed)
        self.claimed.clear()

    @invariant()
    def one_live_item_per_link_and_nothing_lost(self) -> None:
        items = self.q.items(limit=1000)
        assert {i.id for i in items} == self.acknowledged
        live = [i.url.lower().split("?")[0] for i in items if i.status != "failed"]
        assert len(live) == len(set(live))
        for i in items:
            assert i.attempts <= MAX_ATTEMPTS
            if i.id in self.published:
                assert i.status == "published" and i.guid == self.published[i.id]
            if i.status == "rendering":
                assert i.id in self.claimed
            if i.status == "failed":
                assert i.error


TestQueueMachine = QueueMachine.TestCase
TestQueueMachine.settings = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_due_in_s_tells_the_worker_when_to_look_again(tmp_path: Path) -> None:
    now = [1000.0]
    q = InboxQueue(tmp_path / "s.sqlite", clock=lambda: now[0], retry_delay_s=lambda _n: 60.0)
    assert q.due_in_s() is None
    q.submit("https://news.example/a")
    assert q.due_in_s() == 0.0
    item = q.claim()
    assert item is not None and q.due_in_s() is None
    q.fail(item.id, "boom")
    assert q.due_in_s() == 60.0
    now[0] += 45
    assert q.due_in_s() == 15.0
