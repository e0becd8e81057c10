"""`rasd` imports a command's module only when that command runs.

The quick commands must not pay for Scrapy, trafilatura or scipy: checked on `sys.modules` of a
fresh interpreter. `--help` lists every command from the lazy map, which must agree with the
commands themselves.
"""
from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from rasd.cli import COMMANDS, cli
from rasd.store.database import open_store
from tests.conftest import REPO

HEAVY = {"scrapy", "twisted", "trafilatura", "scipy", "datasketch", "langdetect"}
PROBE = """
import json, sys
from rasd.cli import cli
cli.main(sys.argv[1:], prog_name="rasd", standalone_mode=False)
print(json.dumps(sorted(sys.modules)))
"""


def modules_loaded(*args: str, cwd) -> set[str]:
    """The modules a fresh interpreter has imported after running `rasd ARGS`."""
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True,
                            text=True, timeout=60, env={"PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_version_imports_no_command_and_nothing_heavy(tmp_path):
    loaded = modules_loaded("--version", cwd=tmp_path)
    assert "click" in loaded   # the probe saw the imports
    assert not top_level(loaded) & (HEAVY | {"sqlite_utils", "numpy", "crawler", "pipelines"})
    assert not {m for m in loaded if m.startswith("rasd.cli.")}


def test_help_lists_every_command_without_importing_one(tmp_path):
    loaded = modules_loaded("--help", cwd=tmp_path)
    assert not {m for m in loaded if m.startswith("rasd.cli.")}
    result = CliRunner().invoke(cli, ["--help"])
    listed = result.output.split("Commands:")[1].split()
    assert set(COMMANDS) <= set(listed)


@pytest.mark.parametrize("command", ["status", "matches", "articles"])
def test_quick_commands_import_neither_scrapy_nor_scipy(tmp_path, command):
    open_store(tmp_path / "x.db")   # read commands need a database (they never create one)
    loaded = modules_loaded(command, "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert f"rasd.cli.{'listing' if command != 'status' else 'status'}" in loaded
    assert not top_level(loaded) & HEAVY, sorted(top_level(loaded) & HEAVY)


def test_a_crawl_command_does_load_scrapy(tmp_path):
    # the probe would notice a heavy import: `rasd crawl --help` reads crawler/ for real
    loaded = modules_loaded("crawl", "--help", cwd=tmp_path)
    assert "scrapy" in top_level(loaded)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_lazy_map_agrees_with_each_command(name):
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    first_paragraph = " ".join(command.help.partition("\n\n")[0].split())
    assert COMMANDS[name][1] == first_paragraph


def test_an_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["crawll"])
    assert result.exit_code == 2 and "No such command 'crawll'" in result.output
