"""The one settings module.

Every value can be set from the environment with the prefix ``SIGNPOST_`` (for example
``SIGNPOST_GATEWAY_PORT=8100``) or from a ``.env`` file at the repository root. Deployment-specific
contacts live here, not in code or in the bot's responses.
"""

from __future__ import annotations

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
    rasa_port: int = 5005
    action_port: int = 5055
    gateway_port: int = 8000
    startup_timeout_seconds: float = 240.0

    # Knowledge base.
    embedding_batch_size: int = 32

    # SENDIASS: the service families are handed to. Only checked public facts as defaults.
    sendiass_name: str = "Gloucestershire SENDIASS"
    sendiass_phone: str = "0800 158 3603"
    sendiass_email: str | None = None
    sendiass_hours: str | None = None

    # Safety response: who to call when someone may be at risk. Checked public numbers as defaults
    # (shared/FACTS.md); a deployment can change them without touching code.
    emergency_phone: str = "999"
    front_door_name: str = "Gloucestershire Children's Front Door"
    front_door_phone: str = "01452 426565"
    out_of_hours_name: str = "the out-of-hours Emergency Duty Team"
    out_of_hours_phone: str = "01452 614194"
    crisis_line_name: str = "the NHS 24/7 mental health crisis line"
    crisis_line_phone: str = "0800 169 0398"
    samaritans_phone: str = "116 123"
    childline_phone: str = "0800 1111"

    # The language detector for notices in other languages: accurate (about 450 MB per gateway
    # process) unless this is set, which uses lingua's low-accuracy mode (about 30 MB).
    language_low_memory: bool = False

    # The app database: escalations, staff users, feedback, audit log. SQLite by default;
    # PostgreSQL in production (postgresql+psycopg://user:password@host/dbname).
    app_database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the app database; default sqlite file var/app.sqlite."
    )

    # Gateway input and rate limits ('limits' library syntax). Storage is in memory for one
    # gateway; several gateways behind a load balancer share a Redis URI (redis://host:6379).
    max_message_chars: int = 1000
    rate_limit_per_conversation: str = "20/minute"
    rate_limit_per_client: str = "60/minute"
    rate_limit_storage_uri: str = "memory://"
    rasa_timeout_seconds: float = 30.0

    @property
    def kb_dir(self) -> Path:
        """Root of the versioned knowledge-base builds."""
        return self.var_dir / "kb"

    @property
    def app_db_url(self) -> str:
        """The app database's SQLAlchemy URL (a SQLite file under var/ unless configured)."""
        return self.app_database_url or f"sqlite:///{self.var_dir / 'app.sqlite'}"

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
