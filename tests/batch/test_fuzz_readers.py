"""Fuzzing the readers and the front-matter editor (issue 12), with a bounded number of examples.

Properties: reading any bytes either gives an Article or raises a clear ArticleError; editing any
post either raises FrontMatterError/ArticleError and changes nothing, or changes nothing but the
added keys (every byte outside the front matter, every other key's value) and is idempotent.
"""

from __future__ import annotations

import warnings

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, event, given, settings, strategies as st  # noqa: E402

import yaml  # noqa: E402

from newsnlp.article import Article, decode_bytes, detect_encoding, parse_post, read_article  # noqa: E402
from newsnlp.errors import ArticleError, ArticleWarning  # noqa: E402
from newsnlp.frontmatter import FrontMatterError, find_front_matter, update_front_matter_bytes  # noqa: E402

# Bounded so that `make test` stays quick; derandomized so a failure reproduces everywhere.
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

CHINESE = st.sampled_from(list("宁波市总工会召开会议部署工作杭州发放消费券寧會議審議，。：“”、"))
TEXT = st.text(alphabet=st.one_of(CHINESE, st.characters(codec="utf-8")), max_size=40)
SAFE_TEXT = st.text(alphabet=st.one_of(CHINESE, st.sampled_from(list("abcXYZ019 -_:#'\"[]{}|>*&!%@`"))), max_size=30)
KEY = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
SCALAR = st.one_of(SAFE_TEXT, st.integers(-10**6, 10**6), st.booleans(), st.none())
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=4), st.dictionaries(KEY, SCALAR, max_size=3))
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5"])


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ArticleWarning)
        return fn(*args, **kwargs)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_article_error(data):
    try:
        text = quiet(decode_bytes, data)
    except ArticleError as exc:
        assert str(exc).startswith("<bytes>: ")
        return
    assert isinstance(text, str)


@FUZZ
@given(st.one_of(st.binary(max_size=300), TEXT.map(lambda t: "---\n" + t)))
def test_any_post_reads_as_an_article_or_raises_article_error(raw):
    try:
        article = quiet(read_article, raw)
    except ArticleError:
        return
    assert isinstance(article, Article) and isinstance(article.text, str)
    assert "\r" not in article.text


@FUZZ
@given(st.dictionaries(KEY, VALUE, max_size=5), TEXT, NEWLINE, st.booleans())
def test_parse_post_reads_the_front_matter_it_is_given(front, body, newline, flow):
    block = yaml.safe_dump(front, allow_unicode=True, default_flow_style=flow, sort_keys=False) if front else ""
    raw = ("---\n" + block + "---\n" + body).replace("\n", newline)
    article = quiet(parse_post, raw)
    if isinstance(front.get("title"), str) and front["title"].strip():
        assert article.title == front["title"].strip()


def _post(front: dict, comments: list[str], body: str, newline: str) -> str:
    lines = yaml.safe_dump(front, allow_unicode=True, default_flow_style=False, sort_keys=False).splitlines() if front else []
    for i, c in enumerate(comments):  # comments between top-level keys
        lines.insert(min(i * 2, len(lines)), "# " + c.replace("\n", " ").replace("\r", " "))
    return newline.join(["---", *lines, "---", body])


@FUZZ
@given(
    st.dictionaries(KEY, VALUE, max_size=5),
    st.lists(SAFE_TEXT, max_size=2),
    TEXT,
    NEWLINE,
    ENCODING,
    st.dictionaries(st.sampled_from(["summary", "keywords", "organisations", "标签"]),
                    st.one_of(SAFE_TEXT, st.lists(SAFE_TEXT, max_size=3)), min_size=1, max_size=3),
)
def test_an_edit_changes_nothing_but_the_added_keys(front, comments, body, newline, encoding, values):
    text = _post(front, comments, body, newline)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        event("not encodable")
        return  # not a file this encoding can hold
    try:
        new = quiet(update_front_matter_bytes, data, values)
    except (FrontMatterError, ArticleError) as exc:
        event(f"refused: {type(exc).__name__}")
        return  # refused: and nothing was written (this function only returns bytes)
    if new == data:
        event("unchanged")
        return
    event("edited")
    codec = detect_encoding(data)
    old_text, new_text = data.decode(codec), new.decode(codec)
    old_fm, new_fm = find_front_matter(old_text), find_front_matter(new_text)
    assert new_fm.data == {**old_fm.data, **values}
    assert list(new_fm.data)[: len(old_fm.data)] == list(old_fm.data)
    assert old_text[old_fm.end:] == new_text[new_fm.end:]  # the closing line and the body, untouched
    assert data.endswith(old_text[old_fm.end:].encode(codec))
    assert new.endswith(old_text[old_fm.end:].encode(codec))
    assert data[:3] == new[:3]  # a BOM stays
    assert quiet(update_front_matter_bytes, new, values) == new  # a second edit changes nothing


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("-.: \t\r\nab#'\"[]{}|>宁")), max_size=60),
       st.dictionaries(st.sampled_from(["summary", "tags"]), SAFE_TEXT, min_size=1, max_size=2))
def test_random_layouts_are_edited_exactly_or_refused(raw, values):
    raw = "---\n" + raw
    data = raw.encode("utf-8")
    try:
        new = update_front_matter_bytes(data, values)
    except FrontMatterError:
        event("refused")
        return
    if new == data:
        event("unchanged")
        return
    event("edited")
    old_fm, new_fm = find_front_matter(raw), find_front_matter(new.decode("utf-8"))
    assert new_fm.data == {**old_fm.data, **values}
    assert raw[old_fm.end:] == new.decode("utf-8")[new_fm.end:]
