"""Mailing a digest: SMTP with STARTTLS and login, configured from the environment.

Secrets never live in committed files: the server, account and password come from
RASD_SMTP_* environment variables (or a MailSettings built by the caller).
"""
from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from rasd.config import ConfigError

_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "rasd@localhost"
    starttls: bool = True
    cafile: str | None = None       # a private CA (or a test's self-signed certificate)
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "MailSettings":
        """RASD_SMTP_HOST (required), _PORT, _USER, _PASSWORD, _FROM, _STARTTLS, _CAFILE."""
        env = os.environ if environ is None else environ
        host = env.get("RASD_SMTP_HOST", "").strip()
        if not host:
            raise ConfigError("mail: RASD_SMTP_HOST is not set (the SMTP server to send with)")
        try:
            port = int(env.get("RASD_SMTP_PORT") or 587)
        except ValueError:
            raise ConfigError(f"mail: RASD_SMTP_PORT must be a number, "
                              f"not {env['RASD_SMTP_PORT']!r}") from None
        user = env.get("RASD_SMTP_USER") or None
        settings = cls(host, port, user, env.get("RASD_SMTP_PASSWORD") or None,
                       env.get("RASD_SMTP_FROM") or user or cls.sender,
                       env.get("RASD_SMTP_STARTTLS", "1").strip().lower() not in _FALSE,
                       env.get("RASD_SMTP_CAFILE") or None)
        if settings.password and not settings.starttls:
            raise ConfigError("mail: refusing to send RASD_SMTP_PASSWORD without STARTTLS "
                              "(drop RASD_SMTP_STARTTLS=0, or the password)")
        return settings


def build_message(subject: str, text: str, html: str, sender: str,
                  recipients: Sequence[str]) -> EmailMessage:
    """multipart/alternative: the Markdown as text/plain, the HTML as the richer part."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="rasd.local")
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def send_message(message: EmailMessage, settings: MailSettings) -> None:
    """Send over SMTP, upgrading with STARTTLS (certificate verified) before any login."""
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        smtp.ehlo()
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context(cafile=settings.cafile))
            smtp.ehlo()
        if settings.user and settings.password:
            smtp.login(settings.user, settings.password)
        smtp.send_message(message)
