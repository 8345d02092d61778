"""Loaded by Python at start-up in the Rasa server's process only (its PYTHONPATH starts here).

Rasa 3.6 checks every custom action's response with ``jsonschema.validate``, which checks the
schema against its meta-schema and builds a new validator on every call, the largest single cost
of a turn in Rasa (figures in ADR 0008 and docs/performance.md). This replaces ``jsonschema.validate`` with
one that keeps a validator per distinct schema, and otherwise behaves exactly as the original
(same schema check, the same error raised). Rasa imports ``validate`` inside the function that
uses it, so replacing the module's attribute is enough. See docs/decisions/0008-rasa-schema-check.md.

Nothing here imports Rasa or the project's code: this runs in .venv-rasa (Python 3.10).
"""

from __future__ import annotations

import json
import threading
from typing import Any

try:
    import jsonschema
    from jsonschema import exceptions, validators
except ImportError:  # not the Rasa environment: leave everything as it is
    jsonschema = None

_MAX_SCHEMAS = 64
_built: dict[tuple[Any, str], Any] = {}
_lock = threading.Lock()


def _validator(schema: Any, cls: Any) -> Any:
    try:
        key = (cls, json.dumps(schema, sort_keys=True))
    except (TypeError, ValueError):
        return None
    with _lock:
        found = _built.get(key)
    if found is not None:
        return found
    klass = cls if cls is not None else validators.validator_for(schema)
    klass.check_schema(schema)
    built = klass(schema)
    with _lock:
        if len(_built) < _MAX_SCHEMAS:
            _built[key] = built
    return built


if jsonschema is not None:
    _original_validate = jsonschema.validate

    def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
        validator = None if args or kwargs else _validator(schema, cls)
        if validator is None:
            _original_validate(instance, schema, cls, *args, **kwargs)
            return
        error = exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    validate.__doc__ = _original_validate.__doc__
    jsonschema.validate = validate
