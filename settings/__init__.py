"""The one settings module, in a package of its own below every other.

Any package may import it; it imports none of the project's. Entry points (the CLI, the
supervisor, the gateway's app factory, the action server's ``actions/startup.py``) read the process's settings once with
:func:`get_settings` and hand a :class:`Settings` (or the values it holds) to what they build;
tests/unit/test_layers.py fails when any other module below the CLI reads them.

Every value can be set from the environment with the prefix ``SIGNPOST_`` (for example
``SIGNPOST_GATEWAY_PORT=8100``) or from a ``.env`` file at the repository root. Deployment-specific
contacts live here, not in code or in the bot's responses.
"""

from __future__ import annotations

from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Runtime configuration for every process of the assistant."""

    model_config = SettingsConfigDict(env_prefix="SIGNPOST_", env_file=REPO_ROOT / ".env", extra="ignore")

    # Where runtime state lives: crawl store, knowledge-base builds, trackers, logs.
    var_dir: Path = REPO_ROOT / "var"
    models_dir: Path = REPO_ROOT / "models"

    # Which site the crawler reads. 'demo' is our snapshot served on loopback; 'live' is the
    # county's real sites (not reachable from a machine without internet).
    site: Literal["demo", "live"] = "demo"
    demo_site_host: str = "127.0.0.1"
    demo_site_port: int = 8080
    live_start_urls: list[str] = [
        "https://www.glosfamiliesdirectory.org.uk/kb5/gloucs/glosfamilies/localoffer.page?localofferchannel=0",
    ]
    live_allowed_hosts: list[str] = ["www.glosfamiliesdirectory.org.uk"]
    # Which paths the crawler follows on the allowed hosts (regular expressions on the URL path).
    crawl_path_patterns: list[str] = [
        r"^/kb5/gloucs/glosfamilies/(advice|service|localoffer|family|results|site)\.page$",
        r"^/sitemap[\w-]*\.xml$",
    ]
    crawl_user_agent: str = (
        "GlosSENDSignpostingBot/0.1 (+https://www.example.org/send-signposting; crawler of the SEND Local Offer)"
    )
    crawl_delay_seconds: float = Field(default=1.0, ge=0.0, description="Pause between requests to one host.")
    crawl_timeout_seconds: float = 20.0
    crawl_max_pages: int = 5000
    crawl_revalidate_days: float = Field(
        default=7.0, ge=0.0, description="Fetch a page its sitemap vouches for anyway after this many days."
    )

    # Servers. All bind to loopback; a deployment puts a reverse proxy in front.
    bind_host: str = "127.0.0.1"
    # Where the gateway alone listens (default: bind_host). In a container the load balancer must
    # reach it, so it is 0.0.0.0 there, while Rasa and the action server stay on loopback.
    gateway_bind_host: str | None = None
    rasa_port: int = 5005
    action_port: int = 5055
    gateway_port: int = 8000
    startup_timeout_seconds: float = 240.0
    # Supervision (signposting/stack.py): a server that fails this many health checks in a row
    # (each waiting at most the timeout) is killed and started again, after a wait that doubles
    # from the first value up to the maximum, and starts again from the first after it has run
    # well for the reset time. Stopping gives each server the grace time before killing it.
    health_probe_interval_seconds: float = Field(default=2.0, gt=0)
    health_probe_timeout_seconds: float = Field(default=5.0, gt=0)
    health_probe_failures: int = Field(default=3, ge=1)
    restart_backoff_seconds: float = Field(default=1.0, gt=0)
    restart_backoff_max_seconds: float = Field(default=30.0, gt=0)
    restart_backoff_reset_seconds: float = Field(default=120.0, gt=0)
    stop_grace_seconds: float = Field(default=8.0, ge=0)

    # Knowledge base. Builds live under var/kb unless this points elsewhere: a deployment mounts one
    # finished build read-only here and serves it with `serve --no-build`.
    knowledge_base_dir: Path | None = None
    # Vectors already computed, keyed by model and text, so a rebuild embeds only what changed.
    # Beside the builds unless this points elsewhere: several state directories (the test suite's
    # stacks) can share one, as they share the models directory.
    embedding_cache_file: Path | None = None
    embedding_batch_size: int = 32
    # torch threads in a serving process (the action server), which embeds one question at a time.
    server_torch_threads: int = Field(default=1, ge=1)

    # SENDIASS: the service families are handed to. Only checked public facts as defaults.
    sendiass_name: str = "Gloucestershire SENDIASS"
    sendiass_phone: str = "0800 158 3603"
    sendiass_email: str | None = None
    sendiass_hours: str | None = None

    # Safety response: who to call when someone may be at risk. Checked public numbers as defaults
    # (docs/facts.md); a deployment can change them without touching code.
    emergency_phone: str = "999"
    front_door_name: str = "Gloucestershire Children's Front Door"
    front_door_phone: str = "01452 426565"
    out_of_hours_name: str = "the out-of-hours Emergency Duty Team"
    out_of_hours_phone: str = "01452 614194"
    crisis_line_name: str = "the NHS 24/7 mental health crisis line"
    crisis_line_phone: str = "0800 169 0398"
    samaritans_phone: str = "116 123"
    childline_phone: str = "0800 1111"
    nspcc_phone: str = "0808 800 5000"
    # The Family Information Service runs the directory the Local Offer is part of.
    family_information_phone: str = "0800 542 02 02"

    # The language detector for notices in other languages: accurate unless this is set, which
    # uses lingua's low-accuracy mode, far smaller per gateway process (docs/performance.md).
    language_low_memory: bool = False

    # The app database (its tables in app_store/tables.py: escalations and their casework, feedback,
    # staff accounts and sessions, the audit log, the question log, content exclusions). SQLite by default;
    # PostgreSQL in production (postgresql+psycopg://user:password@host/dbname).
    app_database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the app database; default sqlite file var/app.sqlite."
    )

    # Rasa's tracker store, where the conversations are kept. A SQLite file under var/rasa by
    # default; PostgreSQL in production (postgresql+psycopg://user:password@host:5432/dbname).
    # `serve` hands it to Rasa (signposting.stack); retention and erasure delete from it.
    tracker_store_url: str | None = Field(
        default=None,
        repr=False,
        description="SQLAlchemy URL of Rasa's tracker store; default sqlite file var/rasa/tracker.sqlite.",
    )

    # Rasa's lock store, which makes one conversation's messages wait for each other. Unset: Rasa's
    # in-memory lock store, right for one Rasa server. Several Rasa servers sharing the tracker store
    # need a shared one: Redis (redis://[:password@]host:6379/0). See docs/deployment.md.
    lock_store_url: str | None = Field(
        default=None, repr=False, description="Redis URL of Rasa's lock store; default: in memory (one Rasa server)."
    )

    # Gateway input and rate limits ('limits' library syntax). Storage is in memory for one
    # gateway; several gateways behind a load balancer share a Redis URI (redis://host:6379).
    # The longest chat message taken (after trimming); the widget reads it from /api/widget-config.
    max_message_chars: int = Field(default=1000, ge=1)
    rate_limit_per_conversation: str = "20/minute"
    rate_limit_per_client: str = "60/minute"
    rate_limit_storage_uri: str = "memory://"
    # How long the gateway waits for Rasa's reply before telling the family to try again or call
    # SENDIASS (the widget shows SENDIASS's number): a stuck action server makes Rasa wait minutes.
    rasa_timeout_seconds: float = Field(default=4.0, gt=0)
    # After that wait the request to Rasa is not dropped: Rasa finishes the turn and stores it (a
    # dropped request loses the family's message from the conversation), for at most this long.
    rasa_finish_seconds: float = Field(default=60.0, gt=0)
    # An at-risk message: the safety response is the gateway's own. It waits at most this long for
    # Rasa's follow-up line and for the app database to store the urgent escalation; whatever is not
    # done by then finishes in the background (the escalation is on local disk already).
    safety_wait_seconds: float = Field(default=1.0, ge=0)
    # After a turn at risk, the family's next messages are read as carrying that situation on
    # ('police are here', 'she's 6') for this long, unless they close it or ask something new
    # (safety/continuation.py).
    risk_carries_on_minutes: float = Field(default=30.0, gt=0)
    # Escalations the app database could not take wait in var/outbox; the gateway tries again this often.
    outbox_retry_seconds: float = Field(default=15.0, gt=0)

    # Browser security (issue 12). The widget is a script on the council's pages that calls this
    # gateway: list the sites that may call it (CORS), e.g. ["https://www.glosfamiliesdirectory.org.uk"];
    # empty means same-origin only. frame_ancestors: who may show the gateway's own pages in a frame.
    cors_allow_origins: list[str] = Field(default_factory=list)
    frame_ancestors: list[str] = Field(default=["'self'"])
    # FastAPI's /docs page loads Swagger UI from a CDN; off unless asked for (/openapi.json is always served).
    api_docs: bool = False

    # --- SENDIASS staff console (issue 11) --------------------------------------------------------
    # Sign-in: lock an account after this many failed sign-ins in a row, for this long; refuse more
    # than this many sign-in attempts from one address ('limits' syntax). Sign out after this long
    # idle, and after this long whatever happens.
    staff_lockout_after: int = Field(default=5, ge=1)
    staff_lockout_minutes: float = Field(default=15.0, gt=0)
    staff_login_rate_limit: str = "10/minute"
    staff_idle_minutes: float = Field(default=15.0, gt=0)
    staff_session_max_hours: float = Field(default=10.0, gt=0)
    # Cookies are marked Secure when the request came over HTTPS; set this when a proxy in front
    # ends HTTPS and talks plain HTTP to the gateway.
    staff_cookie_secure: bool = False
    # The key that encrypts TOTP secrets in the database (a Fernet key: 32 url-safe base64 bytes).
    # Unset, one is made once in var/staff/secret.key, readable by its owner only.
    # Plain str with repr=False rather than SecretStr: child processes get settings through
    # model_dump (signposting.environment), which would hand them SecretStr's mask.
    staff_secret_key: str | None = Field(default=None, repr=False)
    # Service-level targets: how long an escalation may wait for SENDIASS's first response,
    # counted in working hours.
    sla_urgent_working_hours: float = Field(default=1.0, gt=0)
    sla_standard_working_hours: float = Field(default=16.0, gt=0)
    working_days: list[int] = Field(default=[0, 1, 2, 3, 4], description="0 is Monday.")
    working_day_start: time = time(9, 0)
    working_day_end: time = time(17, 0)
    working_timezone: str = "Europe/London"
    working_holidays: list[date] = Field(default_factory=list, description="Days off, e.g. bank holidays.")
    # Urgent alerts to the duty inbox over SMTP. Unset host: no alerts are sent (the console says so).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = Field(default=None, repr=False)
    smtp_timeout_seconds: float = 20.0
    alert_from: str = "send-assistant@localhost"
    alert_to: list[str] = Field(default_factory=list)
    alert_poll_seconds: float = Field(default=10.0, gt=0)
    alert_retry_seconds: float = Field(default=60.0, gt=0)
    # Where staff open the console, for the link in an alert (default: this gateway's own address).
    console_base_url: str | None = None
    # Retention, in days: closed escalations (from closing), Rasa conversations (from their last
    # message), audit entries, feedback.
    retain_closed_escalations_days: int = Field(default=365, ge=1)
    retain_trackers_days: int = Field(default=90, ge=1)
    retain_audit_days: int = Field(default=730, ge=1)
    retain_feedback_days: int = Field(default=365, ge=1)
    # The question log behind the editors' insights (redacted questions): a year, so the yearly
    # 'you said, we did' report can count a whole year.
    retain_question_log_days: int = Field(default=365, ge=1)

    # --- Insights for Local Offer editors (issue 14) ----------------------------------------------
    # Content-gap topics: questions closer than this cosine distance to each other (average
    # linkage) share a topic; a topic needs this many questions to be shown.
    insights_topic_distance: float = Field(default=0.6, gt=0.0, lt=2.0)
    insights_min_topic_size: int = Field(default=2, ge=1)
    # How far back the editors' pages look, in weeks.
    insights_weeks: int = Field(default=8, ge=1, le=104)

    def contact_numbers(self) -> dict[str, str]:
        """Each public phone number by its setting's name, for text that names them ('$sendiass_phone')."""
        return {name: str(value) for name, value in self.model_dump().items() if name.endswith("_phone")}

    @property
    def public_phones(self) -> tuple[str, ...]:
        """Every helpline the assistant gives out: they name a service, not a person, so redaction keeps them."""
        return (
            self.sendiass_phone,
            self.emergency_phone,
            self.front_door_phone,
            self.out_of_hours_phone,
            self.crisis_line_phone,
            self.samaritans_phone,
            self.childline_phone,
            self.nspcc_phone,
            self.family_information_phone,
        )

    @property
    def kb_dir(self) -> Path:
        """Root of the versioned knowledge-base builds."""
        return self.knowledge_base_dir or self.var_dir / "kb"

    @property
    def app_db_url(self) -> str:
        """The app database's SQLAlchemy URL (a SQLite file under var/ unless configured)."""
        return self.app_database_url or f"sqlite:///{self.var_dir / 'app.sqlite'}"

    @property
    def tracker_db(self) -> Path:
        """The default tracker store's SQLite file (used when ``tracker_store_url`` is unset)."""
        return (self.var_dir / "rasa" / "tracker.sqlite").resolve()

    @property
    def tracker_url(self) -> str:
        """Rasa's SQL tracker store's SQLAlchemy URL (the SQLite file under var/ unless configured)."""
        return self.tracker_store_url or f"sqlite:///{self.tracker_db}"

    @property
    def outbox_dir(self) -> Path:
        """Escalations waiting for the app database (app_store/outbox.py)."""
        return self.var_dir / "outbox"

    @property
    def staff_dir(self) -> Path:
        """The staff console's own files (the generated TOTP encryption key)."""
        return self.var_dir / "staff"

    @property
    def console_url(self) -> str:
        """The staff console's address, for links in alerts."""
        return (self.console_base_url or self.gateway_url).rstrip("/") + "/staff"

    @property
    def crawl_db(self) -> Path:
        """SQLite file holding fetched pages."""
        return self.var_dir / "crawl.sqlite"

    @property
    def reports_dir(self) -> Path:
        """Broken-link and stale-page reports from the latest build."""
        return self.var_dir / "reports"

    @property
    def run_dir(self) -> Path:
        """Generated Rasa endpoint/credential files and server logs."""
        return self.var_dir / "run"

    @property
    def demo_site_url(self) -> str:
        """Base URL of the demo snapshot's kb5 pages."""
        return f"http://{self.demo_site_host}:{self.demo_site_port}/kb5/gloucs/glosfamilies/"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.bind_host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.bind_host}:{self.action_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://{self.bind_host}:{self.gateway_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()
