"""Article text, title and publication date from a news page saved as HTML.

The page is recognised by its content (the WHATWG MIME-sniffing patterns for HTML),
not its file name. The article is the main ``<article>`` (the one with the most
paragraph text), else ``[itemprop=articleBody]``, ``<main>``, a block whose class or id
names article content (``article-body``, ``detail-content``, ``fck_detail``, ...), else
the element holding the most paragraph text. Scripts, styles, navigation, page headers
and footers, asides, forms, comments, share/social/related/tag widgets and hidden
elements are dropped. Each block (paragraph, heading, list item, table row, caption)
becomes one paragraph; paragraphs are separated by a blank line. Inline whitespace is
collapsed as a browser would, non-breaking spaces become spaces, and invisible
characters (zero-width space, soft hyphen) are removed: unlike a plain-text file, the
stored text of an HTML page is derived, not the file itself.

Like the HTML parsers of Blink and WebKit, the element tree is at most
:data:`MAX_TREE_DEPTH` (512) elements deep: a start tag deeper than that becomes a
sibling of the deepest element instead of its child, so every word of a page nested
100,000 levels deep (or a long run of unclosed ``<p>``, ``<li>`` or ``<td>`` tags, which
``html.parser`` nests) is still read, in order, in time linear in its size. Nothing here
recurses over the tree.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, PageElement, Tag

from .decode import normalize_text
from .metadata import DateMatch, find_published_date, match_dateline

__all__ = [
    "MAX_TREE_DEPTH", "Article", "declared_charset", "extract_article", "looks_like_html",
]

VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7))

# WHATWG MIME sniffing: "text/html" patterns, each followed by a space or '>'.
_HTML_START = re.compile(
    r"^\s*(?:<!doctype\s+html|<html|<head|<script|<iframe|<h1|<div|<font|<table|<a|<style"
    r"|<title|<b|<body|<br|<p)[\s>]|^\s*<!--|^\s*<\?xml[^>]*>\s*(?:<!--.*?-->\s*)*"
    r"(?:<!doctype\s+html|<html)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_HTML_TAG = re.compile(r"<(?:html|body|article|p|div)[\s>]", re.IGNORECASE)


def looks_like_html(text: str, file_name: str = "") -> bool:
    """True if the document is an HTML page.

    Content decides: the text starts like HTML (doctype, ``<html>``, ``<head>``, a
    common tag, a comment). A file named ``.html``/``.htm`` also counts when its first
    8 KB contain an ``<html>``, ``<body>``, ``<article>``, ``<p>`` or ``<div>`` tag.
    """
    head = text[:4096].lstrip("\ufeff")
    if _HTML_START.match(head):
        if head.lstrip().startswith("<!--"):
            return bool(_HTML_TAG.search(text[:65536]))
        return True
    return file_name.lower().endswith(_HTML_SUFFIXES) and bool(_HTML_TAG.search(text[:8192]))


_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)"
    rb"|<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_:.\-]+)",
    re.IGNORECASE,
)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (``<meta charset>``,
    ``http-equiv`` Content-Type, XML declaration), or None."""
    m = _META_CHARSET.search(data[:4096])
    if m is None:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", "replace")


@dataclass(frozen=True)
class Article:
    """What :func:`extract_article` found in a page."""

    title: str | None
    text: str  # NFC, '\n' line ends, paragraphs separated by blank lines
    published_date: dt.date | None
    published_date_evidence: str | None


# --------------------------------------------------------------------------- parsing

#: Deepest element nesting kept when parsing (Blink's and WebKit's
#: ``kMaximumHTMLParserDOMTreeDepth``); deeper start tags become siblings.
MAX_TREE_DEPTH = 512


class _DepthLimitedSoup(BeautifulSoup):
    """A ``BeautifulSoup`` tree at most :data:`MAX_TREE_DEPTH` elements deep (through
    the tree builder's hooks ``handle_starttag``/``popTag``; beautifulsoup4 is pinned and
    tests/test_hostile_input.py checks the behaviour)."""

    def handle_starttag(self, *args: Any, **kwargs: Any) -> Tag | None:
        # tagStack holds the document itself, then every open element
        if len(self.tagStack) > MAX_TREE_DEPTH:
            self.endData()  # text so far belongs to the element being closed
            while len(self.tagStack) > MAX_TREE_DEPTH:
                self.popTag()
        return super().handle_starttag(*args, **kwargs)


def _parse(markup: str) -> BeautifulSoup:
    return _DepthLimitedSoup(markup, "html.parser")


# --------------------------------------------------------------------------- cleaning

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button",
    "input", "select", "textarea", "nav", "aside", "footer", "object", "embed", "video",
    "audio", "map", "dialog", "menu", "link", "meta", "head",
)  # fmt: skip
_WIDGET = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|socials|comment|comments|binh-?luan|binhluan"
    r"|related|relate|lien-?quan|lienquan|tin-?khac|tinkhac|tags?|keywords?|breadcrumbs?"
    r"|advert\w*|ads?|banner|popup|modal|newsletter|subscribe|sidebar|side-bar|navbar|menu"
    r"|toolbar|print|rating|vote|cookie|recommend\w*|most-?viewed|xem-?nhieu|doc-?nhieu"
    r"|box-?tin|author-?box|box-?author|copyright)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CONTENT_HINT = re.compile(
    r"(?:article|post|entry|news|detail|story|singular|cms|main)[-_]?"
    r"(?:body|content|detail|text|main)|fck_detail|content[-_]?detail|detail[-_]?content"
    r"|maincontent|noi-?dung|chi-?tiet",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _attr_text(tag: Tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join([*classes, str(tag.get("id") or "")])


def _is_hidden(tag: Tag) -> bool:
    return (
        tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or bool(_HIDDEN_STYLE.search(str(tag.get("style") or "")))
    )


def _text_len(tag: Tag) -> int:
    return len(" ".join(tag.get_text(" ").split()))


def _paragraph_len(tag: Tag) -> int:
    return sum(_text_len(p) for p in tag.find_all("p"))


def _clean(container: Tag) -> None:
    """Drop non-article parts inside ``container`` (in place)."""
    for node in container.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    total = max(1, _text_len(container))
    in_article = container.name == "article" or container.find_parent("article") is not None
    # document order, not entering what is dropped (iterative: any depth)
    pending = [c for c in reversed(container.contents) if isinstance(c, Tag)]
    while pending:
        tag = pending.pop()
        page_header = tag.name == "header" and not in_article
        widget = bool(_WIDGET.search(_attr_text(tag))) and _text_len(tag) < 0.4 * total
        if tag.name in _DROP_TAGS or _is_hidden(tag) or page_header or widget:
            tag.decompose()
            continue
        pending.extend(c for c in reversed(tag.contents) if isinstance(c, Tag))


def _choose_container(soup: BeautifulSoup) -> Tag:
    articles = [a for a in soup.find_all("article") if _text_len(a) >= 50]
    if articles:
        return max(articles, key=lambda a: (_paragraph_len(a), _text_len(a)))
    body = soup.find(attrs={"itemprop": "articleBody"})
    if isinstance(body, Tag) and _text_len(body) >= 50:
        return body
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag) and _text_len(main) >= 50:
        return main
    hinted = [
        t for t in soup.find_all(True) if _CONTENT_HINT.search(_attr_text(t)) and _text_len(t)
    ]
    if hinted:
        return max(hinted, key=lambda t: (_paragraph_len(t), _text_len(t)))
    # The element whose own <p> children hold the most text.
    totals: dict[int, tuple[Tag, int]] = {}
    for p in soup.find_all("p"):
        parent = p.parent
        if isinstance(parent, Tag):
            _, length = totals.get(id(parent), (parent, 0))
            totals[id(parent)] = (parent, length + _text_len(p))
    best, best_len = max(totals.values(), key=lambda item: item[1], default=(None, 0))
    if best is not None and best_len >= 100:
        return best
    found = soup.find("body")
    return found if isinstance(found, Tag) else soup


# --------------------------------------------------------------------------- rendering

_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "header", "main", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "table",
    "thead", "tbody", "tfoot", "caption", "address", "hr", "details", "summary", "center",
    "body", "html",
))  # fmt: skip
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad\ufeff"))


def _inline(text: str) -> str:
    return _HTML_SPACE.sub(" ", text.replace("\u00a0", " ").translate(_INVISIBLE))


class _Renderer:
    """Turns a cleaned element tree into paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.current: list[str] = []

    def flush(self) -> None:
        lines = [" ".join(line.split()) for line in "".join(self.current).split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            self.blocks.append(block)
        self.current = []

    def walk(self, root: PageElement) -> None:
        """Render ``root`` and everything below it, in document order (iteratively)."""
        # (node, closing): closing entries end a block element after its children
        stack: list[tuple[PageElement, bool]] = [(root, False)]
        while stack:
            node, closing = stack.pop()
            if closing:
                self.flush()
            else:
                self._enter(node, stack)

    def _enter(self, node: PageElement, stack: list[tuple[PageElement, bool]]) -> None:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:
                self.current.append(_inline(str(node)))
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name == "br":
            self.current.append("\n")
            return
        if name == "pre":
            self.flush()
            text = node.get_text().replace("\u00a0", " ").translate(_INVISIBLE).strip("\n")
            if text.strip():
                self.blocks.append(text)
            return
        if name == "tr":
            self.flush()
            cells = [
                " ".join(_inline(c.get_text(" ")).split())
                for c in node.find_all(["td", "th"], recursive=False)
            ]
            row = " | ".join(c for c in cells if c)
            if row:
                self.blocks.append(row)
            return
        if name == "img":
            return
        if name in _BLOCK_TAGS:
            self.flush()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))


def _render(container: Tag) -> list[str]:
    renderer = _Renderer()
    renderer.walk(container)
    renderer.flush()
    return renderer.blocks


# --------------------------------------------------------------------------- title, date


def _meta(soup: BeautifulSoup, *keys: str) -> tuple[str, str] | None:
    """(key, content) of the first ``<meta>`` whose property/name/itemprop is a key."""
    wanted = {k.lower() for k in keys}
    for tag in soup.find_all("meta"):
        for attr in ("property", "name", "itemprop"):
            key = str(tag.get(attr) or "").strip().lower()
            if key in wanted and str(tag.get("content") or "").strip():
                return key, str(tag["content"]).strip()
    return None


def _clean_title(text: str) -> str | None:
    title = " ".join(_inline(text).split())
    return normalize_text(title) if title else None


def _find_title(soup: BeautifulSoup, container: Tag) -> str | None:
    for h1 in (container.find("h1"), *soup.find_all("h1")[:1]):
        if isinstance(h1, Tag) and _text_len(h1) >= 3:
            return _clean_title(h1.get_text(" "))
    og = _meta(soup, "og:title", "twitter:title")
    if og:
        return _clean_title(og[1])
    if soup.title and soup.title.get_text(strip=True):
        title = _clean_title(soup.title.get_text(" "))
        site = _meta(soup, "og:site_name")
        if title and site:
            for sep in (" | ", " - ", " – ", " — "):
                suffix = sep + site[1]
                if title.endswith(suffix) and len(title) > len(suffix):
                    return title[: -len(suffix)].strip()
        return title
    return None


_PUBLISHED_META = (
    "article:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued",
    "article.published", "og:published_time", "sailthru.date", "parsely-pub-date",
)  # fmt: skip


def _parse_timestamp(value: str) -> dt.date | None:
    """A date from an ISO 8601 timestamp (in Vietnam time when it has an offset), or
    from a Vietnamese date such as ``15/04/2025 13:25``."""
    value = value.strip()
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
        found = match_dateline(value, letterhead=False)
        return found.date if found else None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(VIETNAM_TZ)
    return stamp.date()


def _json_ld_dates(soup: BeautifulSoup) -> list[str]:
    out: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str):
                out.append(value)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            visit(json.loads(script.get_text() or "null", strict=False))
        except ValueError:
            continue
    return out


_DATE_HINT = re.compile(r"date|time|publish|ngay|thoi-?gian", re.IGNORECASE)


def _metadata_date(soup: BeautifulSoup, container: Tag) -> tuple[dt.date, str] | None:
    """The publication date stated by the page's metadata: ``<meta>``, JSON-LD
    ``datePublished``, or a ``<time>`` element marked as the publication time."""
    found = _meta(soup, *_PUBLISHED_META)
    if found:
        value = _parse_timestamp(found[1])
        if value:
            return value, f"{found[0]}={found[1]}"
    for stamp in _json_ld_dates(soup):
        value = _parse_timestamp(stamp)
        if value:
            return value, f"datePublished={stamp}"
    times = (
        soup.find_all("time", attrs={"itemprop": "datePublished"})
        or soup.find_all("time", attrs={"pubdate": True})
        or container.find_all("time", attrs={"datetime": True})[:1]
    )
    for time in times:
        stamp = str(time.get("datetime") or time.get("content") or "")
        value = _parse_timestamp(stamp) if stamp else None
        if value:
            return value, f"time datetime={stamp}"
    return None


def _dateline_element_date(soup: BeautifulSoup) -> tuple[dt.date, str] | None:
    """A short element whose class/id names a date and whose text is a dateline."""
    for tag in soup.find_all(["span", "div", "p", "time", "li"]):
        if _DATE_HINT.search(_attr_text(tag)):
            line = " ".join(_inline(tag.get_text(" ")).split())
            match = match_dateline(line, letterhead=False) if len(line) <= 80 else None
            if match:
                return match.date, match.evidence
    return None


# --------------------------------------------------------------------------- entry point


def extract_article(markup: str) -> Article:
    """Title, article text and publication date of a saved news page.

    The date comes from the page's metadata, else from a dateline in the first lines of
    the article text, else from a page element styled as the date. Its evidence is the
    words of the text, or ``key=value`` of the metadata that stated it.
    """
    soup = _parse(markup)
    container = _choose_container(soup)
    title = _find_title(soup, container)
    meta_date = _metadata_date(soup, container)
    element_date = None if meta_date else _dateline_element_date(soup)
    _clean(container)
    blocks = [normalize_text(b) for b in _render(container)]
    if title and title not in blocks[:3]:
        blocks.insert(0, title)
    text = "\n\n".join(blocks)
    found = meta_date
    if found is None:
        in_text: DateMatch | None = find_published_date(text)
        found = (in_text.date, in_text.evidence) if in_text else element_date
    return Article(
        title=title,
        text=text,
        published_date=found[0] if found else None,
        published_date_evidence=found[1] if found else None,
    )
