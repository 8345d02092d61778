"""Settings that make several nodes share one conversation store: Rasa's lock store and the
knowledge base mounted from elsewhere (issue 12, scale-out). The running cluster is
tests/e2e/test_scale_out.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import Settings
from signposting.stack import StackError, lock_store_block, write_rasa_config


def test_without_a_lock_store_url_rasa_keeps_its_in_memory_lock_store(tmp_path: Path) -> None:
    assert lock_store_block(Settings(var_dir=tmp_path)) == ("", {})
    endpoints, _credentials, env = write_rasa_config(Settings(var_dir=tmp_path))
    assert "lock_store:" not in endpoints.read_text()
    assert env == {}


def test_a_redis_lock_store_is_written_for_rasa_without_its_password(tmp_path: Path) -> None:
    settings = Settings(
        var_dir=tmp_path,
        lock_store_url="redis://:p%40ss@redis.internal:6380/2",
        tracker_store_url="postgresql+psycopg://rasa:tr4cker@db.internal/rasa",
    )
    block, env = lock_store_block(settings)
    assert block.splitlines() == [
        "lock_store:",
        "  type: conversation_locks.AtomicRedisLockStore",
        '  url: "redis.internal"',
        "  port: 6380",
        "  db: 2",
        '  key_prefix: "signposting"',
        "  password: ${RASA_LOCK_STORE_PASSWORD}",
    ]
    assert env == {"RASA_LOCK_STORE_PASSWORD": "p@ss"}
    endpoints, _credentials, env = write_rasa_config(settings)
    text = endpoints.read_text()
    assert "p@ss" not in text
    assert "tr4cker" not in text
    assert env == {"RASA_LOCK_STORE_PASSWORD": "p@ss", "RASA_TRACKER_STORE_PASSWORD": "tr4cker"}
    assert "p@ss" not in repr(settings)


def test_defaults_for_port_and_database_and_tls(tmp_path: Path) -> None:
    block, env = lock_store_block(Settings(var_dir=tmp_path, lock_store_url="rediss://cache"))
    assert "  port: 6379" in block.splitlines()
    assert "  db: 0" in block.splitlines()
    assert "  use_ssl: true" in block.splitlines()
    assert env == {}


@pytest.mark.parametrize("url", ["memcached://cache:11211", "redis://cache/first"])
def test_a_lock_store_rasa_cannot_use_is_refused_by_name(tmp_path: Path, url: str) -> None:
    with pytest.raises(StackError, match="lock store"):
        lock_store_block(Settings(var_dir=tmp_path, lock_store_url=url))


def test_the_knowledge_base_can_live_outside_the_state_directory(tmp_path: Path) -> None:
    assert Settings(var_dir=tmp_path).kb_dir == tmp_path / "kb"
    mounted = tmp_path / "mounted-build"
    assert Settings(var_dir=tmp_path, knowledge_base_dir=mounted).kb_dir == mounted
