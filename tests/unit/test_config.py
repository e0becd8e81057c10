"""The configuration model: every default written once, every RASD_* variable read here."""
from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.settings import Settings

from rasd.cli import cli
from rasd.config import DEFAULTS, Config, ConfigError, CrawlSettings
from rasd.store.database import open_store


def test_defaults_are_the_production_ones():
    assert DEFAULTS.db == Path("rasd.db")
    assert DEFAULTS.timezone == "Africa/Tripoli"
    assert DEFAULTS.retention_days == 30
    assert (DEFAULTS.crawl_every, DEFAULTS.crawl_timeout, DEFAULTS.stop_grace) == (3600, 3000, 30)
    assert (DEFAULTS.digest_at, DEFAULTS.housekeeping_at) == (time(7, 0), time(3, 30))
    assert DEFAULTS.digest_email == () and DEFAULTS.log_file is None and DEFAULTS.now is None
    assert Config.from_env({}) == DEFAULTS


def test_every_field_has_its_own_variable():
    variables = [f.metadata["variable"] for f in fields(Config)]
    assert len(set(variables)) == len(variables)
    assert all(v == f"RASD_{f.name.upper()}" for v, f in zip(variables, fields(Config)))


@pytest.mark.parametrize("variable,text,name,value", [
    ("RASD_DB", "/srv/rasd/rasd.db", "db", Path("/srv/rasd/rasd.db")),
    ("RASD_TIMEZONE", "Asia/Dubai", "timezone", "Asia/Dubai"),
    ("RASD_RETENTION_DAYS", "0", "retention_days", 0),
    ("RASD_CRAWL_EVERY", "5m", "crawl_every", 300.0),
    ("RASD_STOP_GRACE", "1.5h", "stop_grace", 5400.0),
    ("RASD_DIGEST_AT", "06:15", "digest_at", time(6, 15)),
    ("RASD_DIGEST_EMAIL", "a@x.org, b@y.org,", "digest_email", ("a@x.org", "b@y.org")),
    ("RASD_KEEP_RUN_STATS_DAYS", "7", "keep_run_stats_days", 7),
    ("RASD_LOG_FILE", "/var/log/rasd.log", "log_file", Path("/var/log/rasd.log")),
    ("RASD_NOW", "2026-11-22T17:05", "now", datetime(2026, 11, 22, 17, 5, tzinfo=UTC)),
])
def test_a_variable_overrides_its_default_and_nothing_else(variable, text, name, value):
    config = Config.from_env({variable: text, "UNRELATED": "1"})
    assert getattr(config, name) == value != getattr(DEFAULTS, name)
    assert {f.name for f in fields(Config)
            if getattr(config, f.name) != getattr(DEFAULTS, f.name)} == {name}


def test_an_empty_variable_is_unset():
    assert Config.from_env({"RASD_CRAWL_EVERY": " ", "RASD_DB": ""}) == DEFAULTS


@pytest.mark.parametrize("variable,text,message", [
    ("RASD_CRAWL_EVERY", "soon",
     "RASD_CRAWL_EVERY: 'soon' is not a duration like 30s, 5m, 1h or 1d"),
    ("RASD_CRAWL_TIMEOUT", "0s", "RASD_CRAWL_TIMEOUT: '0s' is not a duration"),
    ("RASD_DIGEST_AT", "25:00", "RASD_DIGEST_AT: '25:00' is not a time of day like 07:00"),
    ("RASD_RETENTION_DAYS", "-1", "RASD_RETENTION_DAYS: '-1' is not a whole number >= 0"),
    ("RASD_KEEP_RUN_STATS_DAYS", "0", "RASD_KEEP_RUN_STATS_DAYS: '0' is not a whole number >= 1"),
    ("RASD_RETENTION_DAYS", "thirty", "RASD_RETENTION_DAYS: 'thirty' is not a whole number"),
    ("RASD_TIMEZONE", "Mars/Olympus", "RASD_TIMEZONE: unknown time zone 'Mars/Olympus'"),
    ("RASD_NOW", "yesterday", "RASD_NOW: 'yesterday' is not an ISO 8601 date and time"),
])
def test_a_bad_value_is_a_one_line_error_naming_the_variable(variable, text, message):
    with pytest.raises(ConfigError) as caught:
        Config.from_env({variable: text})
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_the_scrapy_settings_module_takes_rasd_defaults_from_the_model():
    settings = Settings()
    settings.setmodule("crawler.settings")
    model = CrawlSettings()
    assert settings.getlist("RASD_LANGUAGES") == ["ar"]
    assert settings.get("RASD_REPLAY_PATHS") == []
    assert settings.getint("RASD_RETENTION_DAYS") == DEFAULTS.retention_days
    assert settings.get("RASD_DB") == str(DEFAULTS.db)
    for f in fields(CrawlSettings):
        value = getattr(model, f.name)
        expected = list(value) if isinstance(value, tuple) else value
        assert settings.get(f"RASD_{f.name.upper()}") == expected, f.name


def test_an_option_takes_its_default_from_the_variable(tmp_path):
    db = tmp_path / "from-env.db"
    open_store(db)
    result = CliRunner().invoke(cli, ["status"], env={"RASD_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert f"database: {db}," in result.output


def test_an_option_given_wins_over_the_variable(tmp_path):
    open_store(tmp_path / "given.db")   # only this one exists: status would fail on the other
    result = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "given.db")],
                                env={"RASD_DB": str(tmp_path / "from-env.db")})
    assert result.exit_code == 0, result.output
    assert f"database: {tmp_path / 'given.db'}," in result.output


def test_a_bad_variable_is_a_one_line_cli_error(tmp_path):
    result = CliRunner().invoke(cli, ["prune", "--db", str(tmp_path / "x.db")],
                                env={"RASD_RETENTION_DAYS": "thirty"})
    assert result.exit_code == 2
    last = result.output.strip().splitlines()[-1]
    assert last == ("Error: Invalid value for '--days': RASD_RETENTION_DAYS: 'thirty' is not a "
                    "whole number >= 0")
    assert not (tmp_path / "x.db").exists()


def test_help_shows_the_model_default_and_the_variable():
    result = CliRunner().invoke(cli, ["run", "--help"], terminal_width=200)
    assert "(env RASD_CRAWL_EVERY)  [default: 1h]" in result.output
    assert "(env RASD_RETENTION_DAYS)  [default: 30; x>=0]" in result.output
