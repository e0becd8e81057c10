"""The `replay` spider: local files through exactly the production pipelines, no network.

`.html` files are raw page bytes and go through extraction; `.txt` files are already extracted
(first line the title, the rest the text). Each file's article URL is its `file://` URI.

A file that cannot be an article is skipped, not fed to the pipelines: larger than
DOWNLOAD_MAXSIZE (it is never read), a .txt that is not UTF-8 text, or has no text. Each skip
is logged and listed in the stats (`rasd/replay/skipped`: "name (why)"), and `rasd replay`
ends with a one-line error naming them.
"""
from __future__ import annotations

from pathlib import Path

import scrapy
from scrapy.http import Response
from w3lib.url import file_uri_to_path

from crawler.items import ArticleItem
from rasd.clock import timestamp

REPLAYABLE = (".txt", ".html", ".htm")
SKIPPED = "rasd/replay/skipped"


def replay_files(paths: list[str | Path]) -> list[Path]:
    """The files a replay of `paths` covers: files as given, folders' replayable files sorted.

    A folder contributes the files directly inside it (not its sub-folders), so that
    `rasd replay seeds/` replays the seed articles and not the fixture site beside them.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir()
                                if p.is_file() and p.suffix.lower() in REPLAYABLE))
        else:
            files.append(path)
    return [f.resolve() for f in files]


class ReplaySpider(scrapy.Spider):
    name = "replay"
    # Local files: no politeness delays; one at a time, so ids follow the files' order and a
    # replay is reproducible (duplicates link to the earlier file).
    custom_settings = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                       "CONCURRENT_REQUESTS": 1}

    async def start(self):
        limit = self.settings.getint("DOWNLOAD_MAXSIZE")
        for path in map(Path, self.settings.getlist("RASD_REPLAY_PATHS")):
            size = path.stat().st_size
            if limit and size > limit:
                self.skip(path, f"{size} bytes, over DOWNLOAD_MAXSIZE ({limit})")
                continue
            yield scrapy.Request(path.as_uri(), self.parse_file, dont_filter=True)

    def skip(self, path: Path, why: str) -> None:
        self.logger.info("not replayed: %s (%s)", path, why)
        skipped = self.crawler.stats.get_value(SKIPPED) or []
        self.crawler.stats.set_value(SKIPPED, [*skipped, f"{path.name} ({why})"])

    def parse_file(self, response: Response):
        item = ArticleItem(
            url=response.url, source="replay",
            fetched_at=timestamp(),
            body=response.body, headers={})
        if response.url.lower().endswith(".txt"):
            try:
                raw = response.body.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.skip(Path(file_uri_to_path(response.url)), "not UTF-8 text")
                return
            title, _, text = raw.partition("\n")
            if not text.strip():
                self.skip(Path(file_uri_to_path(response.url)), "no text after the title line")
                return
            item.update(title=title.strip(), text=text.strip(), body=None, encoding="utf-8")
        yield item
