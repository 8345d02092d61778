"""PostgreSQL, Redis and nginx from Debian's packages, each started on loopback as an unprivileged
process from a temporary directory, for the scale-out test and benchmark (and the app database's
tests). Nothing here touches the packages' own system services or their configuration.

A missing package is installed with ``apt-get update`` then ``apt-get install -y`` (root only);
when that is not possible :class:`ServiceError` says what to run. Callers that are tests turn it
into a failure, never a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

# Debian package -> a file it installs that we run.
PACKAGES = {
    "postgresql": "/usr/lib/postgresql/*/bin/pg_ctl",
    "redis-server": "/usr/bin/redis-server",
    "nginx": "/usr/sbin/nginx",
}
START_ATTEMPTS = 3


class ServiceError(RuntimeError):
    """A service could not be installed or started; the message says why and what to do."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_packages(*names: str) -> None:
    """Install the Debian packages among ``names`` whose programs are missing."""
    missing = [name for name in names if not glob.glob(PACKAGES[name])]
    if not missing:
        return
    if os.geteuid() != 0:
        raise ServiceError(f"Debian packages missing: run 'sudo apt-get install {' '.join(missing)}' first.")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise ServiceError(
                f"Could not install {' '.join(missing)} ('{' '.join(command)}' exited {result.returncode}):\n"
                f"{(result.stderr or result.stdout)[-2000:]}"
            )
    still = [name for name in missing if not glob.glob(PACKAGES[name])]
    if still:
        raise ServiceError(f"apt-get reported success but {', '.join(still)} is still missing")
    # Debian starts a package's system service on install; ours run apart from it, on other ports.


def service_account() -> pwd.struct_passwd | None:
    """Who runs the servers: the current user, or as root an unprivileged account (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise ServiceError("running as root and neither a 'postgres' nor a 'nobody' account exists to run the servers")


def _as(account: pwd.struct_passwd | None, base: Path) -> dict[str, Any]:
    """subprocess keyword arguments that run a program as ``account`` in ``base``."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C", "HOME": str(base)}
    extra: dict[str, Any] = {"cwd": base, "env": env}
    if account is not None:
        extra.update(user=account.pw_uid, group=account.pw_gid, extra_groups=[])
    return extra


@contextmanager
def service_dir(prefix: str, account: pwd.struct_passwd | None) -> Iterator[Path]:
    """A temporary directory the service's account owns (not pytest's tmp_path: private to root)."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    if account is not None:
        os.chown(base, account.pw_uid, account.pw_gid)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- PostgreSQL ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway server: password login over TCP on loopback."""

    port: int
    user: str
    password: str
    version: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[Any]:
        """A connection to the 'postgres' database, in autocommit (for CREATE DATABASE)."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, password=self.password, dbname="postgres", autocommit=True
        )

    def create_database(self, name: str) -> str:
        """A new, empty database; its SQLAlchemy URL."""
        with self.admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)


def postgres_bin_dir() -> Path:
    """The newest Debian PostgreSQL server directory, or one on PATH (other systems)."""

    def major(path: str) -> int:
        name = Path(path).parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=major)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ServiceError("PostgreSQL server binaries (initdb, pg_ctl) were not found: install Debian's 'postgresql'")


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """initdb into a temporary directory and ``pg_ctl start`` on a free loopback port; stopped and removed after."""
    bin_dir = postgres_bin_dir()
    account = service_account()
    with service_dir("pg-", account) as base:
        data, log = base / "data", base / "server.log"
        password = secrets.token_urlsafe(16)
        (base / "pwfile").write_text(password + "\n")
        if account is not None:
            os.chown(base / "pwfile", account.pw_uid, account.pw_gid)
        user = "signposting"
        run = _as(account, base)
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                user,
                f"--pwfile={base / 'pwfile'}",
                "--auth=scram-sha-256",
                "--no-locale",
                "--encoding=UTF8",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            **run,
        )
        started, port = False, 0
        try:
            for _attempt in range(START_ATTEMPTS):
                port = free_port()
                # Speed over durability: this server's data is thrown away at the end.
                with (data / "postgresql.conf").open("a") as conf:
                    conf.write(
                        f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{base}'\n"
                        "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\nmax_connections = 200\n"
                    )
                result = subprocess.run(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start"],
                    capture_output=True,
                    text=True,
                    timeout=120,
                    **run,
                )
                if result.returncode == 0:
                    started = True
                    break
            if not started:
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                raise ServiceError(f"PostgreSQL did not start:\n{tail}")
            version = subprocess.run(
                [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
            ).stdout.strip()
            yield PostgresServer(port=port, user=user, password=password, version=version)
        finally:
            if started:
                subprocess.run(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                    capture_output=True,
                    timeout=120,
                    **run,
                )


# --- Redis and nginx: plain foreground processes ----------------------------------------------------


def _wait_for_port(port: int, process: subprocess.Popen[bytes], name: str, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise ServiceError(f"{name} did not start listening on 127.0.0.1:{port} (exit {process.poll()}):\n{tail}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@dataclass(frozen=True)
class RedisServer:
    port: int
    password: str

    def url(self, database: int = 0) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{database}"


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    """``redis-server`` on a free loopback port with a password, no persistence, in the foreground."""
    account = service_account()
    with service_dir("redis-", account) as base:
        port, password = free_port(), secrets.token_urlsafe(16)
        config = base / "redis.conf"
        config.write_text(
            f'bind 127.0.0.1\nport {port}\nrequirepass {password}\ndir {base}\nsave ""\nappendonly no\n'
            f"daemonize no\nlogfile {base / 'redis.log'}\n"
        )
        if account is not None:
            os.chown(config, account.pw_uid, account.pw_gid)
        process = subprocess.Popen(
            ["/usr/bin/redis-server", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            **_as(account, base),
        )
        try:
            _wait_for_port(port, process, "Redis", base / "redis.log")
            yield RedisServer(port, password)
        finally:
            _stop(process)


@dataclass(frozen=True)
class NginxFront:
    port: int
    access_log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def upstreams(self) -> list[str]:
        """The upstream (gateway) address of each request so far, in order."""
        if not self.access_log.exists():
            return []
        return [line.split()[-1] for line in self.access_log.read_text().splitlines() if line.strip()]


NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {base}/nginx.pid;
error_log {base}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {base}/body;
    proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi;
    uwsgi_temp_path {base}/uwsgi;
    scgi_temp_path {base}/scgi;
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log {base}/access.log upstream;
    upstream gateways {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64k;
        location / {{
            proxy_pass http://gateways;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


@contextmanager
def nginx_front(gateway_ports: list[int]) -> Iterator[NginxFront]:
    """nginx on a free loopback port sharing requests round-robin between the gateways."""
    account = service_account()
    with service_dir("nginx-", account) as base:
        port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in gateway_ports)
        config = base / "nginx.conf"
        config.write_text(NGINX_CONF.format(base=base, servers=servers, port=port))
        if account is not None:
            os.chown(config, account.pw_uid, account.pw_gid)
        # -e: the error log before the configuration is read (Debian's default is under /var/log).
        command = ["/usr/sbin/nginx", "-c", str(config), "-p", str(base), "-e", str(base / "error.log")]
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, **_as(account, base)
        )
        try:
            _wait_for_port(port, process, "nginx", base / "error.log")
            yield NginxFront(port, base / "access.log")
        finally:
            _stop(process)
