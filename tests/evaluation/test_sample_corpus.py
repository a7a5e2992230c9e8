"""Consistency checks for the project's own labelled sample corpus.

The corpus lives in ``benchmarks/data``: Jekyll posts under ``posts/`` and one
label row per post in ``labels.jsonl``. The rules checked here are the ones
written down in ``docs/labelling.md``; a failure names the article and the
label that broke the rule. Standard library + PyYAML only, so the checks run
without the library or its models.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
POSTS = DATA / "posts"
LABELS = DATA / "labels.jsonl"

BEATS = {"labour", "local_policy", "markets", "companies", "technology", "infrastructure", "courts"}
FEEDS = {
    "zhongguofazhanwang": "中国发展网新闻",
    "dongcaigundong": "东财滚动新闻",
    "caijingkuaixun": "财经快讯新闻",
}
LABEL_KEYS = {
    "id", "path", "beat", "summary", "tags", "organisations", "aliases",
    "officials", "programmes", "persons", "places",
}
POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
TAG = re.compile(r"<[^>]+>")
QUOTES = re.compile(r"[“”《》]")
EDITOR_CREDIT = re.compile(r"（责任编辑：([^）]+)）")
LINK_LINE = re.compile(r"^<https?://example\.(?:com|cn)/[\x21-\x7e]+>$")
NAV_LINE = re.compile(
    r"^\[返回(?P<label>[^\]]+)\]\(//example\.(?:com|cn)/category/(?P<cat>[a-z]+)\.html\)"
    r"｜\[返回首页\]\(//example\.(?:com|cn)/\)$"
)


def parse_post(path: Path) -> dict:
    """Split one post into front matter, title, body HTML, plain text and trailer lines."""
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise AssertionError(f"{path.name}: does not start with '---' front matter")
    front, rest = raw[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front)
    html, _, trailer = rest.partition("\n\n")
    body_text = TAG.sub("", html)
    return {
        "meta": meta,
        "html": html,
        "body_text": body_text,
        # what labels are checked against: the headline plus the body, tags removed
        "text": f"{meta['title']}\n{body_text}",
        "trailer": [line for line in trailer.splitlines() if line.strip()],
    }


def body_length(body_text: str) -> int:
    """Characters of body text, whitespace not counted."""
    return len(re.sub(r"\s", "", body_text))


def title_attached(name: str, title: str, text: str) -> bool:
    """Whether ``title`` is written next to ``name`` in ``text``.

    Accepted: title before the name (市总工会主席王某), after it (王某书记, also
    when an organisation precedes the name: 省委王某书记 has the title 书记), or in
    full-width brackets after it (王某（市发改委主任）). A title joined across the
    name (省委书记 for 省委王某书记) is not accepted.
    """
    return f"{title}{name}" in text or f"{name}{title}" in text or f"{name}（{title}）" in text


def load_rows() -> list[dict]:
    with LABELS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


ROWS = load_rows()
POST_FILES = sorted(POSTS.glob("*.md"))
PARSED = {path.stem: parse_post(path) for path in POST_FILES}


def test_title_attached_accepts_the_documented_forms_only():
    text = "宁波市人大常委会副主任、市总工会主席王立强出席。省委陈海书记批示。李敏（市发改委主任）说。"
    assert title_attached("王立强", "宁波市人大常委会副主任、市总工会主席", text)
    assert title_attached("陈海", "书记", text)
    assert title_attached("李敏", "市发改委主任", text)
    assert not title_attached("王立强", "市发改委主任", text)
    assert not title_attached("陈海", "省委书记", text)  # split around the name: the title is 书记
    assert not title_attached("陈海", "副书记", text)


def test_every_label_row_has_a_post_and_every_post_has_a_row():
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids in labels.jsonl"
    assert set(ids) == set(PARSED), (
        f"rows without a post: {sorted(set(ids) - set(PARSED))}; "
        f"posts without a row: {sorted(set(PARSED) - set(ids))}"
    )
    for row in ROWS:
        assert row["path"] == f"posts/{row['id']}.md"
        assert (DATA / row["path"]).is_file()


def test_labels_file_is_sorted_and_written_without_ascii_escapes():
    raw = LABELS.read_text(encoding="utf-8")
    assert "\\u" not in raw, "write labels.jsonl with ensure_ascii=False"
    ids = [row["id"] for row in ROWS]
    assert ids == sorted(ids)


def test_corpus_size_and_length_mix():
    lengths = {stem: body_length(post["body_text"]) for stem, post in PARSED.items()}
    assert len(lengths) >= 40
    assert sum(n > 2000 for n in lengths.values()) >= 8, sorted(lengths.values())
    assert sum(n < 150 for n in lengths.values()) >= 8, sorted(lengths.values())
    assert sum(300 <= n <= 1000 for n in lengths.values()) >= 15, sorted(lengths.values())


def test_every_beat_has_several_articles():
    counts = {beat: 0 for beat in BEATS}
    for row in ROWS:
        assert row["beat"] in BEATS, f"{row['id']}: beat {row['beat']!r} not in {sorted(BEATS)}"
        counts[row["beat"]] += 1
    assert all(n >= 3 for n in counts.values()), counts


@pytest.mark.parametrize("path", POST_FILES, ids=lambda p: p.stem)
def test_post_follows_the_archive_format(path):
    match = POST_NAME.match(path.name)
    assert match, f"{path.name}: expected YYYY-MM-DD-ascii-slug.md"
    post = parse_post(path)
    meta = post["meta"]
    assert set(meta) == {"layout", "title", "date", "categories", "tags"}
    assert meta["layout"] == "post"
    raw = path.read_text(encoding="utf-8")
    assert f'title: "{meta["title"]}"' in raw, "title must be in double quotes"
    date = meta["date"]
    if isinstance(date, str):  # PyYAML keeps it a string on some versions
        date = dt.datetime.strptime(date, "%Y-%m-%d %H:%M:%S %z")
    assert date.utcoffset() == dt.timedelta(hours=8)
    assert date.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d") == match.group(1)
    assert FEEDS.get(meta["categories"]) == meta["tags"], "feed name and feed label must match"
    html_lines = post["html"].split("\n")
    assert html_lines[0].startswith("<p>")
    assert all(line.startswith(" <p>") for line in html_lines[1:]), "continuation lines start with ' <p>'"
    assert post["html"].endswith("</p>")
    assert len(post["trailer"]) == 2, post["trailer"]
    assert LINK_LINE.match(post["trailer"][0]), post["trailer"][0]
    nav = NAV_LINE.match(post["trailer"][1])
    assert nav, post["trailer"][1]
    assert nav["label"] == meta["tags"] and nav["cat"] == meta["categories"]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_label_row_is_well_formed(row):
    assert set(row) == LABEL_KEYS, f"keys {sorted(row)} != {sorted(LABEL_KEYS)}"
    assert 0 < len(row["summary"]) <= 120, f"summary has {len(row['summary'])} characters"
    assert 5 <= len(row["tags"]) <= 8, row["tags"]
    for field in ("tags", "organisations", "programmes", "persons", "places"):
        assert len(row[field]) == len(set(row[field])), f"{field} repeats an item"
    feed_label = PARSED[row["id"]]["meta"]["tags"]
    assert feed_label not in row["tags"], "the feed label is not an editor tag"
    assert set(row["aliases"]) <= set(row["organisations"]), "aliases must be keyed by a listed organisation"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_labelled_entities_occur_in_the_article(row):
    text = PARSED[row["id"]]["text"]
    unquoted = QUOTES.sub("", text)
    for org in row["organisations"]:
        forms = [org, *row["aliases"].get(org, [])]
        assert any(form in text for form in forms), f"organisation {org} (or an alias {forms[1:]}) not in text"
    for org, forms in row["aliases"].items():
        for form in forms:
            assert form in text, f"alias {form} of {org} not in text"
    for official in row["officials"]:
        assert set(official) == {"name", "title", "organisation"}
        assert official["name"] in row["persons"], f"official {official['name']} missing from persons"
        assert official["organisation"] in row["organisations"], f"{official['organisation']} not listed"
        assert title_attached(official["name"], official["title"], text), (
            f"title {official['title']!r} is not written next to {official['name']}"
        )
    for name in row["persons"]:
        assert name in text, f"person {name} not in text"
    for editor in EDITOR_CREDIT.findall(text):
        # credits are metadata (newsnlp moves them to Article.meta), not people in the story
        assert editor not in row["persons"], f"editor credit {editor} must not be labelled as a person"
    for place in row["places"]:
        assert place in text, f"place {place} not in text"
    for programme in row["programmes"]:
        assert not QUOTES.search(programme), f"programme {programme} keeps its quotes or 《》"
        assert programme in unquoted, f"programme {programme} not in text (quotes removed)"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_labels_are_listed_in_order_of_first_mention(row):
    text = PARSED[row["id"]]["text"]
    unquoted = QUOTES.sub("", text)

    def first(org: str) -> int:
        return min(text.find(form) for form in [org, *row["aliases"].get(org, [])] if form in text)

    assert row["organisations"] == sorted(row["organisations"], key=first)
    assert row["persons"] == sorted(row["persons"], key=text.find)
    assert row["places"] == sorted(row["places"], key=text.find)
    assert row["programmes"] == sorted(row["programmes"], key=unquoted.find)
