"""The manual is checked against the code: every command, option and setting is documented, and
what the docs show (commands, options, repository paths) exists.

Modelled on sqlite-utils' tests/test_docs.py. Commands are found by walking the click group
with `list_commands`/`get_command`, so a lazily loaded command is walked like any other.
"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

import crawler.settings
from rasd.cli import cli

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
COMMANDS_MD = (DOCS / "commands.md").read_text(encoding="utf-8")
CONFIGURATION_MD = (DOCS / "configuration.md").read_text(encoding="utf-8")
MANUAL = {path.relative_to(REPO): path.read_text(encoding="utf-8")
          for path in [REPO / "README.md", *sorted(DOCS.glob("*.md"))]}
HEADING = re.compile(r"^(#+) (.*)$", re.MULTILINE)


def walk(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()):
    """(command path, command) for every command and sub-command, groups included."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, click.Context(command, parent=ctx, info_name=name),
                            (*path, name))


COMMANDS = dict(walk(cli, click.Context(cli, info_name="rasd")))


def flags(command: click.Command) -> list[str]:
    """Every spelling of every option but --help, which every command has."""
    return [flag for param in command.params if isinstance(param, click.Option)
            for flag in (*param.opts, *param.secondary_opts)]


def section(path: tuple[str, ...]) -> str:
    """The text under every heading of docs/commands.md that names `rasd <path>`, down to the
    next heading of the same or a higher level."""
    name = re.compile(rf"`rasd {re.escape(' '.join(path))}[` ]")
    headings = list(HEADING.finditer(COMMANDS_MD))
    parts = []
    for i, heading in enumerate(headings):
        if name.search(heading.group(2)):
            level = len(heading.group(1))
            end = next((h.start() for h in headings[i + 1:] if len(h.group(1)) <= level),
                       len(COMMANDS_MD))
            parts.append(COMMANDS_MD[heading.start():end])
    return "\n".join(parts)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_its_section(path):
    assert section(path), f"docs/commands.md has no heading naming `rasd {' '.join(path)}`"


@pytest.mark.parametrize("path, flag", [(path, flag) for path, command in COMMANDS.items()
                                        for flag in flags(command)],
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else value)
def test_every_option_is_documented_in_its_commands_section(path, flag):
    assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", section(path)), \
        f"`rasd {' '.join(path)} {flag}` is not in its section of docs/commands.md"


@pytest.mark.parametrize("flag", flags(cli))
def test_the_groups_own_options_are_documented(flag):
    assert f"rasd {flag}" in COMMANDS_MD


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help(path):
    assert COMMANDS[path].help, f"rasd {' '.join(path)} has no help text"


SETTINGS = sorted(name for name in dir(crawler.settings) if name.startswith("RASD_"))


@pytest.mark.parametrize("name", SETTINGS)
def test_every_rasd_setting_is_documented(name):
    assert f"`{name}`" in CONFIGURATION_MD, f"{name} is not in docs/configuration.md"


def shown_invocations() -> list[tuple[str, str]]:
    """(file, command line) for every `$ rasd ...` the docs show, up to a shell operator."""
    return [(str(file), re.split(r" (?:&&|\||;|>|#) ", match.group(1))[0])
            for file, text in MANUAL.items()
            for match in re.finditer(r"^\$ (?:\S*/)?rasd (.*)$", text, re.MULTILINE)]


def resolve(words: list[str]) -> tuple[tuple[str, ...], click.Command]:
    """The deepest command that the leading words of an invocation name."""
    path: tuple[str, ...] = ()
    command: click.Command = cli
    for word in words:
        if isinstance(command, click.Group) and (*path, word) in COMMANDS:
            path, command = (*path, word), COMMANDS[(*path, word)]
        else:
            break
    return path, command


@pytest.mark.parametrize("file, line", shown_invocations())
def test_the_commands_the_docs_show_exist_with_those_options(file, line):
    words = line.split()
    path, command = resolve(words)
    if words and not words[0].startswith("-"):
        assert path, f"{file}: `rasd {line}`: no command {words[0]!r}"
    known = {*flags(command), "-h", "--help"}
    shown = {flag.split("=")[0] for word in words for flag in re.split(r"[/|]", word.strip("[]"))
             if flag.startswith("-")}
    assert shown <= known, f"{file}: `rasd {line}`: unknown option(s) {shown - known}"


# a path in the repository: a folder (ending in /) or a file with an extension
REPO_PATH = re.compile(r"`((?:crawler|pipelines|rasd|seeds|tests|benchmarks|docs)/"
                       r"(?:[\w-]+/)*(?:[\w-]+\.(?:py|toml|md|txt|html|xml|json))?)`")


@pytest.mark.parametrize("file, path", sorted({(str(file), match.group(1))
                                               for file, text in MANUAL.items()
                                               for match in REPO_PATH.finditer(text)}))
def test_every_repository_path_the_docs_name_exists(file, path):
    assert (REPO / path).exists(), f"{file} names {path}, which does not exist"


def test_the_front_page_is_short():
    assert len(MANUAL[Path("README.md")].splitlines()) < 200


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    return {anchor(match.group(2)) for match in HEADING.finditer(text)}


LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("file, target", sorted({(str(file), match.group(1))
                                                 for file, text in MANUAL.items()
                                                 for match in LINK.finditer(text)
                                                 if "://" not in match.group(1)}))
def test_every_link_between_the_docs_leads_somewhere(file, target):
    name, _, fragment = target.partition("#")
    page = (REPO / file).parent / name if name else REPO / file
    assert page.exists(), f"{file}: link to {target}: no {name}"
    if fragment:
        assert fragment in anchors(page.read_text(encoding="utf-8")), \
            f"{file}: link to {target}: no such heading in {page.relative_to(REPO)}"
