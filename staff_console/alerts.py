"""Urgent alerts to the duty inbox: an email within a minute of an urgent escalation.

The escalations table is the outbox: an urgent escalation is written with alert_state 'pending',
by whichever process made it (the gateway's safety path today, the action server tomorrow). The
gateway runs ``AlertSender.run`` as a background task that polls for due alerts every
``alert_poll_seconds`` (10 s by default), claims each one (so two gateways never both send it),
sends it over SMTP in a worker thread (the event loop never waits on the mail server), and marks
it sent, or failed with the error and a time to try again. Failed alerts are shown in the console.

The email says only what the duty officer needs to act: the reference, that it is urgent, the
safety categories, when it came in, and the link to the case page. Never a word the family wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from app_store import AppStore
from app_store.staff_models import DueAlert
from app_store.tables import utc_now
from settings import Settings
from staff_console import labels

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
MAX_BACKOFF_FACTOR = 16


def alert_message(settings: Settings, alert: DueAlert) -> EmailMessage:
    reference = f"SEND-{alert.escalation_id}"
    received = alert.created_at.astimezone(ZoneInfo(settings.working_timezone)).strftime("%-d %b %Y %H:%M")
    categories = ", ".join(labels.category(c) for c in alert.safety_categories) or "not recorded"
    message = EmailMessage()
    message["Subject"] = f"URGENT: SENDIASS escalation {reference}"
    message["From"] = settings.alert_from
    message["To"] = ", ".join(settings.alert_to)
    message.set_content(
        "An urgent escalation is waiting in the SENDIASS console.\n\n"
        f"Reference: {reference}\n"
        "Urgency: urgent\n"
        f"Reason: {labels.REASON.get(alert.reason, alert.reason)}\n"
        f"Safety categories: {categories}\n"
        f"Received: {received}\n"
        f"Open the case: {settings.console_url}/cases/{alert.escalation_id}\n\n"
        "This email holds no personal details. Sign in to the console to read the conversation.\n"
    )
    return message


def send_email(settings: Settings, message: EmailMessage) -> None:
    assert settings.smtp_host is not None
    timeout = settings.smtp_timeout_seconds
    smtp: smtplib.SMTP
    if settings.smtp_security == "tls":
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


class AlertSender:
    """Sends due alerts; ``send_due`` once, or ``run`` until stopped."""

    def __init__(self, settings: Settings, store: AppStore) -> None:
        self.settings = settings
        self.store = store
        self._warned_unconfigured = False

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host and self.settings.alert_to)

    def send_due(self) -> int:
        """Send every alert that is due now; returns how many went."""
        if not self.configured:
            if not self._warned_unconfigured and self.store.due_alerts(limit=1):
                log.warning("urgent alerts are waiting but SIGNPOST_SMTP_HOST / SIGNPOST_ALERT_TO are not set")
                self._warned_unconfigured = True
            return 0
        sent = 0
        for alert in self.store.due_alerts():
            if not self.store.claim_alert(alert.escalation_id, timedelta(seconds=CLAIM_SECONDS)):
                continue
            try:
                send_email(self.settings, alert_message(self.settings, alert))
            except (OSError, smtplib.SMTPException) as exc:
                factor = min(2**alert.attempts, MAX_BACKOFF_FACTOR)
                retry_at = utc_now() + timedelta(seconds=self.settings.alert_retry_seconds * factor)
                error = f"{exc.__class__.__name__}: {exc}"[:300]
                self.store.alert_failed(alert.escalation_id, error, retry_at)
                log.error("duty alert for SEND-%s failed (%s); next try at %s", alert.escalation_id, error, retry_at)
            else:
                self.store.alert_sent(alert.escalation_id)
                log.warning("duty alert for SEND-%s sent", alert.escalation_id)
                sent += 1
        return sent

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.send_due)
            except Exception:  # keep polling: a database hiccup must not end urgent alerts
                log.exception("the duty alert sender failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.settings.alert_poll_seconds)
