"""Reading an article file: its text, its metadata and its paragraphs.

Metadata comes from a `sources.toml` beside the file (keyed by file name without .txt)
or from TOML front matter between `+++` lines at the top of the file; the front matter
wins where both give a field. Nothing is guessed: a field nobody gave stays None.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from store.text import fold

META_FIELDS = ("title", "outlet", "published", "url", "copy_url", "author", "script", "translated")
_WEB_LINK = re.compile(r"https?://[^\s/]", re.I)


def _is_date(value: str) -> bool:
    """Whether a published date is one: 2025-01-29 (a time after it allowed), 2025-01 or 2025."""
    v = value.strip()
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            dt.datetime.strptime(v[:size], fmt)
        except ValueError:
            continue
        return len(v) == size or v[size] in "T "
    return False


class ArticleError(Exception):
    """An article that cannot be read: the message names the file and the reason."""


@dataclass
class Paragraph:
    n: int  # 0 is the headline, body paragraphs count from 1
    text: str
    folded: str


@dataclass
class Article:
    id: str
    path: str
    text: str
    meta: dict = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    content_hash: str = ""

    @property
    def display_title(self) -> str:
        """The title; else the original title of a translated piece; else one from the text."""
        return self.meta.get("title") or self.meta.get("translated") or derive_title(self.paragraphs)


# Bylines, credits and datelines at the head of an article are not what it is about.
_HEAD_NOISE = re.compile(
    r"^\s*(?:【[^】]{0,40}】|\[[^\]]{0,40}\]|[\(（][^\)）]{0,40}[\)）]|\S{2,16}?[电電]\s|\S{2,16}?[电電](?=[\s(（]))\s*")


def derive_title(paragraphs: list[Paragraph], limit: int = 32) -> str:
    """A title for an article nobody titled: its first sentence, shortened."""
    for p in paragraphs:
        text = p.text.strip()
        while (m := _HEAD_NOISE.match(text)) and m.end() < len(text):
            text = text[m.end():]
        if not text:
            continue
        for stop in "。!?！？":
            i = text.find(stop)
            if i > 0:
                text = text[:i]
        return text if len(text) <= limit else text[: limit - 1] + "…"
    return "(untitled)"


def _sources_for(folder: Path, cache: dict[Path, dict]) -> dict:
    if folder not in cache:
        f = folder / "sources.toml"
        try:
            cache[folder] = tomllib.loads(f.read_text("utf-8")) if f.exists() else {}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as e:
            raise ArticleError(f"{f}: cannot read metadata ({e})") from e
    return cache[folder]


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("+++"):
        return {}, text
    end = text.find("\n+++", 3)
    if end < 0:
        return {}, text
    try:
        meta = tomllib.loads(text[3:end])
    except tomllib.TOMLDecodeError as e:
        raise ArticleError(f"front matter is not valid TOML ({e})") from e
    rest = text[end + 4 :]
    return meta, rest.lstrip("\r\n")


def split_paragraphs(text: str, title: str | None) -> list[Paragraph]:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    out: list[Paragraph] = []
    start = 1
    if lines and title and fold(lines[0]) == fold(title):
        out.append(Paragraph(0, lines[0], fold(lines[0])))
        lines = lines[1:]
    for i, ln in enumerate(lines, start):
        out.append(Paragraph(i, ln, fold(ln)))
    return out


def read_article(path: Path, sources_cache: dict[Path, dict] | None = None) -> Article:
    """Read one article file; raises ArticleError naming the file when it cannot."""
    cache = sources_cache if sources_cache is not None else {}
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ArticleError(f"{path}: cannot read ({e.strerror or e})") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArticleError(f"{path}: not UTF-8 text (byte {e.start}); save it as UTF-8"
                           " (a GBK or Big5 file: iconv -f GBK -t UTF-8)") from e
    if "\x00" in text:
        raise ArticleError(f"{path}: binary data, not text")
    try:
        front, body = split_front_matter(text)
    except ArticleError as e:
        raise ArticleError(f"{path}: {e}") from e
    meta = dict(_sources_for(path.parent, cache).get(path.stem, {}))
    meta.update(front)
    meta = {k: str(v) for k, v in meta.items() if k in META_FIELDS and v not in (None, "")}
    for link in ("url", "copy_url"):  # an answer links it: a web page only (not javascript:, file:, …)
        if link in meta and not _WEB_LINK.match(meta[link]):
            del meta[link]
    if "published" in meta and not _is_date(meta["published"]):  # an answer cites it: a real date or none
        del meta["published"]
    if not body.strip():
        raise ArticleError(f"{path}: empty article")
    paragraphs = split_paragraphs(body, meta.get("title"))
    if all(p.n == 0 for p in paragraphs):  # the title line and nothing under it
        raise ArticleError(f"{path}: has a title but no text")
    digest = hashlib.sha256(raw + json.dumps(meta, sort_keys=True).encode()).hexdigest()
    return Article(path.stem, str(path), body, meta, paragraphs, digest)


def article_files(paths: list[Path]) -> list[Path]:
    """The .txt files named, or found in the folders named, in a stable order."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.txt") if q.is_file()))
        else:
            files.append(p)
    return files
