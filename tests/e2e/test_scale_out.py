"""Scale-out on standard parts (issue 12): two nodes (each a Rasa server, an action server and a
gateway) behind nginx, sharing Rasa's tracker store and the app database on PostgreSQL and Rasa's
lock store on Redis, all Debian's packages started on loopback (bench/cluster.py).

Both nodes serve one knowledge-base build and Rasa model made beforehand (`serve --no-build`).
A conversation whose turns go to different nodes keeps its state: a follow-up read in the light
of the topic another node answered, a handoff consent form filled in across both, and messages
sent to both nodes at once all kept, in one conversation. A package that cannot be installed
fails the test with apt-get's message; nothing is skipped.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from app_store import AppStore
from bench import services
from bench.cluster import Cluster, cluster, shared_stores
from bench.double_send import MESSAGES, has_reply, send_at_once
from tests.conftest import LiveStack, processes_with_env
from tests.e2e.test_dialogue import kinds_of, sources_of, text_of

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory: pytest.TempPathFactory, live_stack: LiveStack) -> Iterator[Cluster]:
    """Two nodes serving the session stack's knowledge-base build and Rasa model (built and trained
    once for the session), as a cluster's nodes serve one shipped build."""
    base = tmp_path_factory.mktemp("scale-out")
    try:
        with (
            shared_stores() as (postgres, redis),
            cluster(
                base,
                2,
                postgres,
                redis,
                knowledge_base_dir=live_stack.settings.kb_dir,
                # What is checked here is state, not speed, on a machine other tests also load.
                rasa_timeout_seconds=30.0,
                # The second gateway's language detector in its small mode: two accurate ones are ~1 GB.
                language_low_memory=True,
            ) as running,
        ):
            yield running
    except services.ServiceError as exc:
        pytest.fail(str(exc))
    left = processes_with_env(str(base))
    assert not left, f"processes left behind by the nodes: {left}"


def say(url: str, sender: str, message: str) -> list[dict[str, Any]]:
    response = httpx.post(f"{url}/api/chat", json={"sender_id": sender, "message": message}, timeout=90)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def test_each_node_is_its_own_stack_on_the_shared_stores(two_nodes: Cluster) -> None:
    first, second = two_nodes.nodes
    assert len({first.settings.gateway_port, second.settings.gateway_port}) == 2
    assert first.settings.rasa_port != second.settings.rasa_port
    for node in two_nodes.nodes:
        endpoints = (node.settings.run_dir / "endpoints.yml").read_text()
        assert '  dialect: "postgresql"' in endpoints
        assert "lock_store:\n  type: conversation_locks.AtomicRedisLockStore" in endpoints
        assert two_nodes.front.url not in endpoints
        assert "${RASA_LOCK_STORE_PASSWORD}" in endpoints  # the password itself is not in the file
    for node in two_nodes.nodes:
        assert "as they are" in node.log_file.read_text()  # served the shipped build, built nothing
        assert not (node.settings.var_dir / "kb").exists()


def test_a_follow_up_on_the_other_node_is_read_in_the_light_of_the_topic(two_nodes: Cluster) -> None:
    first, second = (node.gateway_url for node in two_nodes.nodes)
    sender = uuid.uuid4().hex
    question = say(first, sender, "How do I ask for an EHC needs assessment?")
    assert any("ehc-needs-assessment" in url for url in sources_of(question)), question
    follow_up = say(second, sender, "how long does it take")
    assert {"answer", "tentative"} & set(kinds_of(follow_up)), follow_up
    assert re.search(r"\b\d+ weeks\b", text_of(follow_up)), follow_up
    # The same words with no topic behind them only get a question back: the topic came from node 1.
    assert "clarify" in kinds_of(say(second, uuid.uuid4().hex, "how long does it take"))
    third = say(first, sender, "what if they say no")
    assert any(page in url for url in sources_of(third) for page in ("refused-assessment", "appeals")), third
    assert two_nodes.user_messages(sender) == [
        "How do I ask for an EHC needs assessment?",
        "how long does it take",
        "what if they say no",
    ]


def test_a_handoff_through_nginx_fills_its_form_across_both_nodes(two_nodes: Cluster) -> None:
    sender = uuid.uuid4().hex
    seen_before = len(two_nodes.front.upstreams())
    asked = say(two_nodes.url, sender, "can i speak to a real person")
    assert two_nodes.nodes[0].settings.sendiass_phone in text_of(asked)
    say(two_nodes.url, sender, "yes")
    say(two_nodes.url, sender, "phone")
    done = say(two_nodes.url, sender, "morning")
    assert "SEND-" in text_of(done), done
    gateways = {f"127.0.0.1:{node.settings.gateway_port}" for node in two_nodes.nodes}
    # nginx writes a request's log line after the reply has gone: wait for the fourth to land.
    deadline = time.monotonic() + 10
    while len(used := two_nodes.front.upstreams()[seen_before:]) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(used) == 4
    assert set(used) == gateways, f"nginx did not share the turns between the gateways: {used}"
    with AppStore(two_nodes.app_database_url) as store:
        [stored] = [e for e in store.list_escalations() if e.conversation_id == sender]
    assert stored.contact_method == "phone"
    assert stored.contact_time == "morning"
    assert f"SEND-{stored.id}" in text_of(done)


def test_messages_sent_to_both_nodes_at_once_are_all_kept(two_nodes: Cluster) -> None:
    """Two Rasa servers working on one conversation at the same moment: the lock store on Redis makes
    them take turns, so no message is dropped and neither overwrites the other's events in the
    tracker store. With Rasa's own RedisLockStore this failed now and then (ADR 0016)."""
    sender = uuid.uuid4().hex
    words = MESSAGES
    replies = asyncio.run(send_at_once(two_nodes, sender, words))
    assert [reply.status_code for reply in replies] == [200] * len(words), [reply.text for reply in replies]
    # Rasa answers a turn it could not lock with an empty list and drops the message: each got a reply.
    assert all(has_reply(reply) for reply in replies), [reply.text for reply in replies]
    assert sorted(two_nodes.user_messages(sender)) == sorted(words)


def test_the_rasa_servers_took_their_locks_in_redis(two_nodes: Cluster) -> None:
    """The lock store is in use, not only configured: Redis has served Rasa's lock reads and writes."""
    url = make_url(two_nodes.lock_store_url)
    stats = subprocess.run(
        ["/usr/bin/redis-cli", "-h", str(url.host), "-p", str(url.port), "INFO", "commandstats"],
        env={"REDISCLI_AUTH": str(url.password), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    calls = {m[0]: int(m[1]) for m in re.findall(r"^cmdstat_(\w+):calls=(\d+)", stats, re.MULTILINE)}
    assert calls.get("set", 0) > 0, stats
    assert calls.get("get", 0) > 0, stats
