"""Screenshots of `newsnlp report` for docs/report.md: the 44 sample posts tagged, reported, photographed.

    python -m benchmarks.report_screenshots            # writes docs/img/report-*.png

Tags benchmarks/data/posts (the project's own fictional posts) with the shipped models in one
process, builds the report in a temporary folder and photographs it in headless Chromium
(benchmarks/browser.py; Debian's chromium and chromium-driver). Chinese needs a CJK font on the
machine (Debian: fonts-noto-cjk), or the pictures show boxes; the site itself ships no font.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POSTS = REPO / "benchmarks" / "data" / "posts"
POST_ID = "2024-05-08-shenzhen-riders-collective-bargaining"


def _shoot(driver, url: str, target: Path, *, width: int, max_height: int) -> None:
    driver.set_window_size(width, 800)
    driver.get(url)
    height = min(max_height, driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, height)
    driver.get(url)
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    if errors:
        raise RuntimeError(f"{url}: console errors {errors}")
    driver.save_screenshot(str(target))
    print(f"wrote {target.relative_to(REPO)} ({width}x{height})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="folder for the PNG files")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from benchmarks.browser import start_chromium
    from newsnlp.batch import tag_archive
    from newsnlp.report import build_report, page_name

    os.chdir(REPO)  # records keep the path as given: show benchmarks/data/posts/..., not this machine's folders
    with tempfile.TemporaryDirectory(prefix="newsnlp-report-shots-") as tmp:
        jsonl = Path(tmp) / "sample.tags.jsonl"
        print(tag_archive(POSTS.relative_to(REPO), jsonl, workers=1, progress=False).summary_line())
        site = Path(tmp) / "report"
        print(build_report(jsonl, site, title="示例新闻档案").summary_line())
        args.out.mkdir(parents=True, exist_ok=True)
        driver = start_chromium()
        try:
            overview = (site / "index.html").as_uri()
            post = (site / "posts" / page_name("post", POST_ID)).as_uri()
            _shoot(driver, overview, args.out / "report-overview.png", width=1100, max_height=1500)
            _shoot(driver, post, args.out / "report-post.png", width=1100, max_height=1900)
            _shoot(driver, (site / "search.html").as_uri() + "?q=总工会", args.out / "report-search.png",
                   width=1100, max_height=1000)
            _shoot(driver, post, args.out / "report-phone.png", width=390, max_height=1500)
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
