"""Mailing a digest: SMTP with STARTTLS and login.

Secrets never live in committed files: the server, account and password come from
RASD_SMTP_* environment variables (rasd.config.MailSettings), or a MailSettings built by the
caller.
"""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from rasd.config import MailSettings


def build_message(subject: str, text: str, html: str, sender: str,
                  recipients: Sequence[str]) -> EmailMessage:
    """multipart/alternative: the Markdown as text/plain, the HTML as the richer part
    (text/plain alone without HTML)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="rasd.local")
    message.set_content(text, subtype="plain", charset="utf-8")
    if html:
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
