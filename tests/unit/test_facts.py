"""docs/facts.md and the settings agree: each public number is written once in code, as a default."""

from __future__ import annotations

from settings import Settings
from tests.facts import public_contacts


def test_the_settings_defaults_are_the_public_contacts_in_the_facts() -> None:
    contacts = public_contacts()
    defaults = Settings.model_fields

    assert len(contacts) == 9
    assert {setting: defaults[setting].default for setting in contacts} == contacts


def test_the_helplines_redaction_keeps_are_the_public_contacts_in_the_facts() -> None:
    # model_construct: the defaults, whatever this machine's environment or .env file says.
    assert sorted(Settings.model_construct().public_phones) == sorted(public_contacts().values())
