"""newsnlp report: a static site from the records of a real `newsnlp tag` run on posts written here.

The browser tests open the site from disk in headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium; .ci/run installs them) and skip, saying why, where they
are not installed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import subprocess
import sys
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import newsnlp
from newsnlp.article import read_article
from newsnlp.batch import read_results, tag_archive
from newsnlp.report import MARKER, ReportError, build_report, page_name
from newsnlp.report._names import slug

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from benchmarks.browser import find_chromium, start_chromium  # noqa: E402

XSS_TITLE = '<script>window.__pwned = 1</script>测试 & "引号" <b>粗体</b>'

POSTS = {
    "2024-03-12-ninghai-union.md": """---
layout: post
title: "宁海县总工会召开新就业形态劳动者入会推进会"
date: 2024-03-12 09:00:00 +0800
---
<p>3月11日，宁海县总工会召开全县推进新就业形态劳动者入会工作推进会。宁海县人大常委会副主任、县总工会主席周立平出席会议并讲话。</p>
<p>会议通报，宁海县总工会今年新建户外劳动者服务站点42个，累计服务外卖骑手、快递员等新就业形态劳动者3.6万人次。</p>

<http://news.example.com/2024/03/12/ninghai-union.html>
""",
    "2024-05-20-ninghai-stations.md": """---
layout: post
title: "宁海县总工会“暖蜂驿站”覆盖全县"
date: 2024-05-20 10:00:00 +0800
---
<p>5月19日，宁海县总工会举行“暖蜂驿站”建设现场会。县总工会主席周立平表示，年底前新就业形态劳动者入会率要达到85%以上。</p>
<p>宁波市总工会有关负责人参加会议。</p>
""",
    "2024-05-21-script-title.md": f"""---
layout: post
title: '{XSS_TITLE}'
date: 2024-05-21 08:00:00 +0800
---
<p>宁波市总工会召开全体会议，部署年度工作重点。会议由市总工会主席李谦主持。</p>
""",
    "2024-06-01-broken.md": """---
title: "没有闭合的引号
date: 2024-06-01
---
<p>正文。</p>
""",
}


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """A real `newsnlp tag` run (shipped models, one process) on the posts above."""
    root = tmp_path_factory.mktemp("report")
    posts = root / "_posts"
    posts.mkdir()
    for name, text in POSTS.items():
        (posts / name).write_text(text, encoding="utf-8")
    out = root / "tags.jsonl"
    run = tag_archive(posts, out, workers=1, progress=False)
    assert (run.processed, run.failed) == (3, 1)
    return root, posts, out


@pytest.fixture(scope="module")
def site(tagged):
    root, posts, out = tagged
    summary = build_report(out, root / "report")
    return root / "report", summary, list(read_results(out))


def _post_page(site_dir: Path, record: dict) -> Path:
    return site_dir / "posts" / page_name("post", record["id"])


# ------------------------------------------------------------------ names

def test_page_names_are_safe_and_stable():
    assert page_name("organisations", "宁波市总工会") == (
        "宁波市总工会-" + hashlib.sha256("organisations\x00宁波市总工会".encode()).hexdigest()[:12] + ".html")
    for evil in ["../../etc/passwd", "/abs/path", "a\\b", "..", ".", "", "\x00\n\t", "con", "名" * 300,
                 "<script>", "a b?c#d%2e"]:
        name = page_name("tags", evil)
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert name.endswith(".html") and name.count(".") == 1 and len(name) <= 24 * 3 + 18
        assert all(c.isalnum() or c in "-." for c in name), name
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("ＡＢＣ 公司") == "abc-公司"  # NFKC: full-width letters fold
    # Same slug, different names: different pages.
    assert page_name("tags", "A股") != page_name("tags", "a股")
    assert page_name("tags", "宁波") != page_name("organisations", "宁波")


# ------------------------------------------------------------------ the build

def test_report_counts_pages_and_escaping(tagged, site):
    root, posts, out = tagged
    site_dir, summary, records = site
    assert (summary.posts, summary.failed, summary.skipped, summary.texts) == (3, 1, 0, 3)
    assert (site_dir / MARKER).is_file()
    for rec in records:
        assert _post_page(site_dir, rec).is_file()
    xss = next(r for r in records if r["title"] == XSS_TITLE)
    html = _post_page(site_dir, xss).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;测试 &amp; &quot;引号&quot; &lt;b&gt;粗体&lt;/b&gt;" in html
    # Every organisation, official, programme and tag of the records has its page.
    for rec in records:
        for kind in ("organisations", "officials", "programmes"):
            for e in rec["entities"][kind]:
                assert (site_dir / kind / page_name(kind, e["name"])).is_file(), (kind, e["name"])
        for t in rec["tags"]:
            assert (site_dir / "tags" / page_name("tags", t)).is_file()
    errors = (site_dir / "errors.html").read_text(encoding="utf-8")
    assert "2024-06-01-broken" in errors and "FrontMatterError" in errors
    index = (site_dir / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert index.startswith("/*") and "宁海县总工会" in index
    data = json.loads(index.split("=", 1)[1].rstrip().rstrip(";"))
    assert len(data["posts"]) == 3 and {p[0] for p in data["posts"]} == {r["title"] for r in records}
    # No external resource anywhere: every src/href is relative, data: or the post's own http(s) link.
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "//fonts." not in text and "cdn" not in text.lower()
        assert 'src="http' not in text and "@import" not in text


def test_officials_page_lists_titles_and_posts(site):
    site_dir, _, records = site
    official = next(o for r in records for o in r["entities"]["officials"] if o["name"] == "周立平")
    page = (site_dir / "officials" / page_name("officials", "周立平")).read_text(encoding="utf-8")
    assert "职务" in page and official["title"] in page
    with_him = [r for r in records if any(o["name"] == "周立平" for o in r["entities"]["officials"])]
    assert len(with_him) == 2
    for r in with_him:
        assert page_name("post", r["id"]) in page
    # The post's own URL (its link line) is listed beside it; the other post has none.
    assert page.count('class="source"') == 1 and 'href="http://news.example.com/2024/03/12/ninghai-union.html"' in page


def test_duplicates_and_unreadable_lines_are_counted_not_shown(tagged, tmp_path):
    _, _, out = tagged
    lines = out.read_bytes().splitlines(keepends=True)
    first = json.loads(lines[0])
    newer = {**first, "summary": "更新后的摘要"}
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_bytes(b"".join(lines) + b"not json\n" + b"[1, 2]\n"
                      + json.dumps(newer, ensure_ascii=False).encode() + b"\n" + b'{"id": "cut-off"')
    summary = build_report(jsonl, tmp_path / "site", archive=tagged[1])
    assert (summary.posts, summary.unreadable, summary.superseded, summary.failed) == (3, 3, 1, 0)
    html = (tmp_path / "site" / "posts" / page_name("post", first["id"])).read_text(encoding="utf-8")
    assert "更新后的摘要" in html
    assert not (tmp_path / "site" / "posts" / page_name("post", "cut-off")).exists()


def test_changed_post_and_hostile_record_fields(tagged, tmp_path):
    _, posts, out = tagged
    rec = next(r for r in read_results(out) if r["entities"]["organisations"])
    moved = tmp_path / "posts"
    shutil.copytree(posts, moved)
    src = moved / Path(rec["path"]).name
    src.write_text(src.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    hostile = {**rec, "path": str(src), "url": "javascript:alert(1)",
               "tags": ["../../x", "<img src=x onerror=alert(1)>"], "keywords": [{"text": "<i>k</i>", "score": "x"}]}
    jsonl = tmp_path / "h.jsonl"
    jsonl.write_text(json.dumps(hostile, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = build_report(jsonl, tmp_path / "site")
    assert summary.texts == 0  # the file no longer hashes to content_hash: offsets would be wrong
    html = (tmp_path / "site" / "posts" / page_name("post", rec["id"])).read_text(encoding="utf-8")
    assert "内容哈希不同" in html and "<mark" not in html
    assert "javascript:" not in html and "<img" not in html and "<i>k</i>" not in html
    assert (tmp_path / "site" / "tags" / page_name("tags", "../../x")).is_file()
    assert not (tmp_path / "x.html").exists()


def test_output_folder_is_protected_and_rebuilt(tagged, tmp_path):
    _, _, out = tagged
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ReportError, match="not empty and holds no newsnlp report"):
        build_report(out, mine)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(ReportError, match="no such file"):
        build_report(tmp_path / "missing.jsonl", tmp_path / "r")
    site_dir = tmp_path / "r"
    build_report(out, site_dir)
    (site_dir / "posts" / "stale.html").write_text("old", encoding="utf-8")
    before = sorted(p.relative_to(site_dir) for p in site_dir.rglob("*") if p.name != "stale.html")
    summary = newsnlp.report(out, site_dir)  # the package is callable: newsnlp.report(...)
    assert summary.posts == 3
    assert not (site_dir / "posts" / "stale.html").exists()
    assert sorted(p.relative_to(site_dir) for p in site_dir.rglob("*")) == before  # same names every run
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left
    assert site_dir.stat().st_mode & 0o755 == 0o755  # readable by a web server, unlike a bare mkdtemp


def test_worker_processes_write_the_same_site(tagged, tmp_path, monkeypatch):
    import newsnlp.report._build as build

    _, _, out = tagged
    monkeypatch.setattr(build, "_PARALLEL_FROM", 1)  # big archives only, normally
    one = build_report(out, tmp_path / "one", workers=1)
    two = build_report(out, tmp_path / "two", workers=2)
    assert dataclasses.replace(two, output=one.output) == one
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    for f in files:
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes(), f


def test_cli_report(tagged, tmp_path, capsys):
    from newsnlp.cli.main import main

    _, _, out = tagged
    assert main(["report", str(out), "-o", str(tmp_path / "site")]) == 0
    assert "3 posts, 1 failed, 0 skipped" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "s2")]) == 2
    assert "no such file" in capsys.readouterr().err
    code = f"import newsnlp; print(newsnlp.report({str(out)!r}, {str(tmp_path / 's3')!r}).posts)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert res.stdout.strip() == "3", res.stderr  # newsnlp.report(...) before newsnlp.report is imported


# ------------------------------------------------------------------ in a real browser

_, _, BROWSER_MISSING = find_chromium()
browser_only = pytest.mark.skipif(bool(BROWSER_MISSING), reason=f"headless browser tests skipped: {BROWSER_MISSING}")


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium(1200, 900)
    yield driver
    driver.quit()


def _errors(driver) -> list:
    return [e for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "ERROR")]


def _wait(driver, condition, seconds: float = 20):
    """Wait for a navigation started by a click or a form to land (Selenium does not always wait)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def _url(path: Path) -> str:
    return path.resolve().as_uri()


def _file_of(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


@browser_only
def test_every_page_loads_clean_and_every_internal_link_resolves(browser, site):
    site_dir, _, _ = site
    start = _url(site_dir / "index.html")
    queue, seen, checked = deque([start]), {start}, 0
    while queue:
        url = queue.popleft()
        browser.get(url)
        assert _errors(browser) == [], url
        assert browser.execute_script("return document.readyState") == "complete"
        for link in browser.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)"):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                continue  # the posts' own URLs; nothing else leaves the site
            assert parts.scheme == "file", link
            target = _file_of(link)
            assert target.is_file(), f"{url} links to missing {target}"
            checked += 1
            page = parts._replace(query="", fragment="").geturl()
            if target.suffix == ".html" and site_dir.resolve() in target.parents and page not in seen:
                seen.add(page)
                queue.append(page)
    every_page = {p.resolve() for p in site_dir.rglob("*.html")}
    assert {_file_of(u) for u in seen} == every_page  # each page is reachable from the overview
    assert checked > len(every_page)


@browser_only
def test_overview_counts_equal_the_records(browser, tagged, site):
    _, _, out = tagged
    site_dir, _, records = site
    browser.get(_url(site_dir / "index.html"))
    count = lambda key: browser.find_element("id", f"count-{key}").text  # noqa: E731
    errors_file = out.with_name("tags.errors.jsonl")
    assert count("posts") == str(len(records)) == "3"
    assert count("failed") == str(len(errors_file.read_text(encoding="utf-8").splitlines())) == "1"
    assert count("skipped") == "0"
    dates = sorted(r["date"][:10] for r in records)
    assert browser.find_element("id", "date-range").text == f"{dates[0]} – {dates[-1]}"
    orgs = browser.execute_script(
        "return Array.from(document.querySelectorAll('#top-organisations li'), li => li.textContent)")
    ninghai = sum(any(o["name"] == "宁海县总工会" for o in r["entities"]["organisations"]) for r in records)
    assert f"宁海县总工会 {ninghai}" in orgs
    bars = browser.find_elements("css selector", "svg.timeline rect")
    assert bars and all(b.get_attribute("height") for b in bars)
    browser.get(_url(site_dir / "errors.html"))
    cells = browser.execute_script("return Array.from(document.querySelectorAll('table.errors tbody tr'), r => r.cells[0].textContent)")
    assert cells == ["2024-06-01-broken"]


@browser_only
def test_search_finds_a_known_organisation(browser, site):
    site_dir, _, records = site
    browser.get(_url(site_dir / "search.html") + "?q=" + "宁海县总工会")
    assert _errors(browser) == []
    names = browser.find_elements("css selector", "#entity-results a")
    assert "宁海县总工会" in [a.text for a in names]
    wanted = {r["title"] for r in records if "宁海县总工会" in r["title"] or "宁海县总工会" in r["summary"]}
    found = {a.text for a in browser.find_elements("css selector", "#post-results a")}
    assert wanted and found == wanted
    box = browser.find_element("id", "q")  # typing searches as well
    box.clear()
    box.send_keys("李谦")
    assert "李谦" in [a.text for a in browser.find_elements("css selector", "#entity-results a")]
    official = (site_dir / "officials" / page_name("officials", "李谦")).resolve()
    next(a for a in browser.find_elements("css selector", "#entity-results a") if a.text == "李谦").click()
    _wait(browser, lambda d: _file_of(d.current_url) == official and d.execute_script("return document.readyState") == "complete")
    box = browser.find_element("name", "q")  # the header's box on every page leads to the search page
    box.send_keys("宁海县总工会\n")
    _wait(browser, lambda d: _file_of(d.current_url).name == "search.html" and d.find_elements("css selector", "#entity-results a"))
    assert "宁海县总工会" in [a.text for a in browser.find_elements("css selector", "#entity-results a")]


@browser_only
def test_highlighted_mentions_sit_at_the_records_offsets(browser, tagged, site):
    _, posts, _ = tagged
    site_dir, _, records = site
    kinds = ("organisations", "officials", "programmes", "persons", "places")
    total = 0
    for rec in records:
        text = read_article(Path(rec["path"])).text
        browser.get(_url(_post_page(site_dir, rec)))
        shown = browser.execute_script(
            """const box = document.getElementById('article-text');
            return [box.textContent, Array.from(box.querySelectorAll('mark'), m => {
              const r = document.createRange(); r.setStart(box, 0); r.setEndBefore(m);
              return [m.dataset.kind, r.toString().length, m.textContent]; })];""")
        assert shown[0] == text  # the page shows the article's text exactly, so offsets carry over
        mentions = {(k, m["start"], m["end"], m["text"]) for k in kinds for e in rec["entities"][k]
                    for m in e.get("mentions", [])}
        marked = {(k, start, start + len(t), t) for k, start, t in shown[1]}
        assert marked <= mentions
        for k, start, end, t in mentions:  # each mention is marked, unless inside one that is
            assert (k, start, end, t) in marked or any(s <= start < e or s < end <= e for _, s, e, _ in marked)
        total += len(marked)
    assert total >= 6


@browser_only
def test_script_title_renders_as_text(browser, site):
    site_dir, _, records = site
    rec = next(r for r in records if r["title"] == XSS_TITLE)
    browser.get(_url(_post_page(site_dir, rec)))
    assert browser.find_element("css selector", "h1").text == XSS_TITLE
    assert browser.execute_script("return window.__pwned === undefined && document.querySelectorAll('b').length === 0")
    assert XSS_TITLE in browser.title
    browser.get(_url(site_dir / "search.html") + "?q=script")
    assert XSS_TITLE in [a.text for a in browser.find_elements("css selector", "#post-results a")]
    assert browser.execute_script("return window.__pwned === undefined")


@browser_only
def test_phone_width_has_no_sideways_scroll(site):
    site_dir, _, records = site
    phone = start_chromium(390, 844)
    try:
        phone.set_window_size(390, 844)  # the start-up flag stops at 500 px; resizing goes narrower
        for page in [site_dir / "index.html", _post_page(site_dir, records[0]), site_dir / "errors.html"]:
            phone.get(_url(page))
            width = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            assert width[1] <= 400 and width[0] <= width[1], (page.name, width)
    finally:
        phone.quit()
