"""Mailing the digest to a real SMTP server on 127.0.0.1: STARTTLS with a certificate made by the
test (trusted through RASD_SMTP_CAFILE), login, and a multipart message parsed on arrival."""
from __future__ import annotations

import re

import lxml.html
import pytest

from rasd.digest import MailSettings, write_digest
from rasd.digest.render import NO_MATCHES
from tests.conftest import run_rasd
from tests.support import digest_db
from tests.support.digest_db import DAY, TZ
from tests.support.smtp_server import SmtpServer

USER, PASSWORD = "analyst-mailer", "s3cret-for-this-test-only"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> digest_db.DigestDb:
    return digest_db.build(tmp_path_factory.mktemp("mail"))


def _env(smtp: SmtpServer, password: str = PASSWORD) -> dict[str, str]:
    return {"RASD_SMTP_HOST": "127.0.0.1", "RASD_SMTP_PORT": str(smtp.port),
            "RASD_SMTP_USER": USER, "RASD_SMTP_PASSWORD": password,
            "RASD_SMTP_FROM": "rasd@example.org", "RASD_SMTP_CAFILE": str(smtp.cafile)}


def test_rasd_digest_email_sends_markdown_with_html_alternative(built, tmp_path):
    with SmtpServer(tmp_path, USER, PASSWORD) as smtp:
        result = run_rasd("digest", "--date", DAY.isoformat(), "--tz", TZ, "--db", str(built.path),
                          "--email", "a@example.org", "--email", "b@example.org,c@example.org",
                          cwd=tmp_path, env=_env(smtp))
    assert result.stdout.splitlines() == [
        "digests/2026-11-20.html",
        "mailed to a@example.org, b@example.org, c@example.org (8 matching articles)"]
    (mail,) = smtp.received
    assert mail.encrypted and mail.authenticated and smtp.logins == [(USER, True)]
    assert mail.recipients == ["a@example.org", "b@example.org", "c@example.org"]
    message = mail.message
    assert message["Subject"] == "موجز رصد 2026-11-20 — عدد المطابقات: 8"
    assert message["From"] == "rasd@example.org"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.get_payload()
    assert plain.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    text = plain.get_content()
    assert text.startswith("# موجز رصد 2026-11-20")
    assert re.search(r"^## القصص \(\d+\)$", text, re.M), "the stories, each once"
    assert "| خليفة حفتر وأبناؤه |" in text                   # the topic table, by description
    assert "\\<script\\>" in text and "<script>" not in text
    page = lxml.html.fromstring(html.get_content())
    assert page.get("dir") == "rtl" and page.get("lang") == "ar"
    assert not page.xpath("//script") and digest_db.HOSTILE_TITLE in page.text_content()


def test_write_digest_mails_an_empty_day_for_the_daemon(built, tmp_path):
    with SmtpServer(tmp_path, USER, PASSWORD) as smtp:
        settings = MailSettings.from_env(_env(smtp))
        path = write_digest(built.path, DAY.replace(day=25), out_dir=tmp_path, tz=TZ,
                            email=["ops@example.org"], mail_settings=settings)
    assert path.name == "2026-11-25.html"
    (mail,) = smtp.received
    assert mail.message["Subject"].endswith("عدد المطابقات: 0")
    assert NO_MATCHES in mail.message.get_body(("plain",)).get_content()


def test_a_refused_login_is_one_line_and_the_file_is_kept(built, tmp_path):
    with SmtpServer(tmp_path, USER, PASSWORD) as smtp:
        result = run_rasd("digest", "--date", DAY.isoformat(), "--tz", TZ, "--db", str(built.path),
                          "--email", "a@example.org", cwd=tmp_path,
                          env=_env(smtp, password="wrong"), check=False)
    assert smtp.received == [] and smtp.logins and not any(ok for _, ok in smtp.logins)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: mail: cannot send via 127.0.0.1:{smtp.port}: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "digests" / "2026-11-20.html").exists()
