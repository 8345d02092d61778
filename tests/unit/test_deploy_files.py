"""The deployment files (deploy/) pass their linters, offline: yamllint; the Compose Specification's
JSON schema (vendored in check-jsonschema); the Kubernetes API schemas (shipped in
kubernetes-validate), strict, so an unknown field fails. A broken copy of each fails, so the check
is known to bite. Beyond the schemas: every SIGNPOST_* name is a real setting, no secret is
written in a file, and the knowledge base is mounted read-only wherever the assistant serves.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from settings import REPO_ROOT, Settings

DEPLOY = REPO_ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
KUBERNETES = sorted((DEPLOY / "kubernetes").glob("*.yaml"))
KUBERNETES_VERSION = "1.30.0"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True, timeout=300)


def yamllint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return run("yamllint", "--strict", "-c", str(DEPLOY / "yamllint.yaml"), *map(str, paths))


def compose_schema(path: Path) -> subprocess.CompletedProcess[str]:
    return run("check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path))


def kubernetes_schema(*paths: Path) -> subprocess.CompletedProcess[str]:
    return run("kubernetes_validate", "--strict", "--quiet", "-k", KUBERNETES_VERSION, *map(str, paths))


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_there_are_compose_and_kubernetes_files() -> None:
    assert COMPOSE.is_file()
    kinds = {doc["kind"] for path in KUBERNETES for doc in documents(path)}
    assert {"StatefulSet", "Job", "PersistentVolumeClaim", "Service", "Ingress", "ConfigMap"} <= kinds


def test_yamllint_passes() -> None:
    result = yamllint(DEPLOY)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_file_fits_the_compose_specification() -> None:
    result = compose_schema(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_kubernetes_manifests_fit_the_kubernetes_api() -> None:
    result = kubernetes_schema(*KUBERNETES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_linter_fails_a_broken_file(tmp_path: Path) -> None:
    bad_compose = tmp_path / "compose.yaml"
    bad_compose.write_text(COMPOSE.read_text().replace("restart: unless-stopped", "restarts: unless-stopped", 1))
    assert compose_schema(bad_compose).returncode != 0
    bad_manifest = tmp_path / "nodes.yaml"
    bad_manifest.write_text((DEPLOY / "kubernetes" / "nodes.yaml").read_text().replace("replicas: 2", "replica: 2", 1))
    assert kubernetes_schema(bad_manifest).returncode != 0
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("key: value\nkey: again\n")
    assert yamllint(bad_yaml).returncode != 0


def environment_names() -> dict[str, str]:
    """Every environment variable the deployment files set, with the file that sets it."""
    names: dict[str, str] = {}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("environment", "data") and isinstance(value, dict):
                    names.update(dict.fromkeys(value, where))
                if key == "env" and isinstance(value, list):
                    names.update({item["name"]: where for item in value})
                walk(value, where)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for path in [COMPOSE, *KUBERNETES]:
        for doc in documents(path):
            walk(doc, path.name)
    return names


def test_every_setting_named_is_a_real_setting() -> None:
    names = environment_names()
    settings = {f"SIGNPOST_{field.upper()}" for field in Settings.model_fields}
    unknown = {name: where for name, where in names.items() if name.startswith("SIGNPOST_") and name not in settings}
    assert not unknown, f"not settings (typos?): {unknown}"
    for needed in ("SIGNPOST_TRACKER_STORE_URL", "SIGNPOST_LOCK_STORE_URL", "SIGNPOST_KNOWLEDGE_BASE_DIR"):
        assert needed in names


def test_no_secret_is_written_in_a_file() -> None:
    text = "\n".join(path.read_text() for path in [COMPOSE, *KUBERNETES])
    # A URL's password, a key or a password setting is always a reference to the environment.
    for password in re.findall(r"://[^:/@\s]*:([^@\s]+)@", text):
        assert password.startswith("${"), f"a password written in a file: {password[:3]}..."
    for name, value in re.findall(r"^\s*(\w*(?:PASSWORD|SECRET_KEY)\w*):\s*(\S+)", text, re.MULTILINE):
        assert value.startswith("${"), f"{name} is written in a file"
    assert all(doc["kind"] != "Secret" for path in KUBERNETES for doc in documents(path))
    keys = set(re.findall(r"key: ([a-z-]+)$", text, re.MULTILINE))
    assert {"tracker-store-url", "app-database-url", "lock-store-url", "staff-secret-key"} <= keys


@pytest.mark.parametrize("service", ["node-1", "node-2"])
def test_compose_nodes_mount_the_knowledge_base_read_only(service: str) -> None:
    compose = documents(COMPOSE)[0]
    volumes = compose["services"][service]["volumes"]
    assert "knowledge-base:/srv/kb:ro" in volumes
    assert compose["services"][service]["healthcheck"]["test"][-1].endswith("/healthz")
    assert "--no-build" in compose["services"][service]["command"]


def test_kubernetes_nodes_mount_the_knowledge_base_read_only_with_probes_and_resources() -> None:
    [nodes] = [doc for doc in documents(DEPLOY / "kubernetes" / "nodes.yaml") if doc["kind"] == "StatefulSet"]
    pod = nodes["spec"]["template"]["spec"]
    [container] = pod["containers"]
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert mounts["/srv/kb"]["readOnly"] is True
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"startupProbe", "livenessProbe"} <= set(container)
    assert {"requests", "limits"} <= set(container["resources"])
    assert nodes["spec"]["replicas"] >= 2
