"""Archive-consistent tags: does the same company or topic get the same tag string in every post?

A generated archive (short financial flashes written by this script from templates; no shared
data) names each of a few entities under its variants: 阿里巴巴/阿里, 贵州茅台/茅台, 美联储/联储,
宁德时代/宁德, 腾讯控股/腾讯. Its front matter carries only a feed name, as real archives do.
For each entity, the score is the share of the posts about it whose ``suggest_tags(k=5)`` holds
the canonical form (the full name):

* without a vocabulary;
* with the vocabulary ``newsnlp tags learn`` writes for the archive
  (:func:`newsnlp.keywords.vocabulary.learn_vocabulary_from_keywords`: the archive's own keywords, variants
  merged).

Usage::

    python -m benchmarks.tag_consistency [--posts 120] [--seed 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path
from typing import Sequence

# canonical form, its variants (the canonical form is one of the surfaces used)
ENTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("阿里巴巴", ("阿里巴巴", "阿里")),
    ("贵州茅台", ("贵州茅台", "茅台")),
    ("美联储", ("美联储", "联储")),
    ("宁德时代", ("宁德时代", "宁德")),
    ("腾讯控股", ("腾讯控股", "腾讯")),
)
TEMPLATES = (
    "{e}发布三季度财报，营收同比增长{n}%，净利润超出市场预期。{e}表示，将继续加大研发投入。",
    "{e}宣布回购不超过{n}亿元股份，用于员工持股计划。分析人士认为，{e}此举有助于稳定股价。",
    "{e}今日股价上涨{n}%，成交额明显放大。机构称，{e}基本面稳健，估值处于历史低位。",
    "{e}与多家合作伙伴签署战略合作协议，计划未来三年投资{n}亿元。{e}有关负责人介绍了项目进展。",
    "{e}最新公告显示，公司拟在海外设立子公司，注册资本{n}亿元。市场人士关注{e}的国际化布局。",
)
RATE_TEMPLATES = (
    "{e}宣布维持基准利率不变，符合市场预期。{e}主席表示，通胀仍高于{n}%的目标。",
    "{e}会议纪要显示，多数官员支持放缓加息步伐。市场预计{e}年内还将加息{n}次。",
    "{e}官员发表讲话称，劳动力市场依然强劲。交易员押注{e}将在{n}月降息。",
)


def generate_archive(folder: Path, *, posts: int = 120, seed: int = 7) -> list[tuple[Path, str, str]]:
    """Write ``posts`` Jekyll posts into ``folder``; returns ``(path, canonical, surface)`` per post."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(posts):
        canonical, surfaces = ENTITIES[i % len(ENTITIES)]
        surface = surfaces[rng.randrange(len(surfaces))]
        pool = RATE_TEMPLATES if canonical == "美联储" else TEMPLATES
        body = rng.choice(pool).format(e=surface, n=rng.randint(2, 30))
        title = body.split("，")[0]
        path = folder / f"2024-01-{1 + i % 28:02d}-post{i:04d}.md"
        path.write_text(
            f'---\nlayout: post\ntitle: "{title}"\ndate: 2024-01-{1 + i % 28:02d} 09:00:00\n'
            f"categories: flash\ntags: 东财滚动新闻\n---\n\n{body}\n",
            encoding="utf-8",
        )
        out.append((path, canonical, surface))
    return out


def consistency(posts: Sequence[tuple[Path, str, str]], vocabulary=None) -> dict[str, float]:
    """Share (percent) of each entity's posts whose five tags hold its canonical form; ``all`` too."""
    import newsnlp

    hits: dict[str, list[int]] = {}
    for path, canonical, _surface in posts:
        tags = newsnlp.suggest_tags(newsnlp.read_article(path), k=5, vocabulary=vocabulary)
        hits.setdefault(canonical, []).append(int(canonical in tags))
    out = {c: round(100 * sum(h) / len(h), 1) for c, h in hits.items()}
    every = [x for h in hits.values() for x in h]
    out["all"] = round(100 * sum(every) / len(every), 1)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="write the archive and vocabulary here")
    args = parser.parse_args(argv)
    from newsnlp.keywords.idf import iter_archive
    from newsnlp.keywords.vocabulary import learn_vocabulary_from_keywords

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        posts = generate_archive(root / "posts", posts=args.posts, seed=args.seed)
        vocab = learn_vocabulary_from_keywords(iter_archive(root / "posts"))
        vocab_path = vocab.save(root / "vocab.txt")
        plain = consistency(posts)
        learned = consistency(posts, vocabulary=str(vocab_path))
        short = sum(1 for _p, c, s in posts if s != c)
        print(f"{len(posts)} posts, {short} naming their entity only by a short form; vocabulary: {len(vocab)} tags")
        for c, variants in ENTITIES:
            info = vocab.tags.get(c)
            print(f"  learned {c}: aliases {info.aliases if info else 'MISSING'}")
        print("| entity | canonical tag, no vocabulary | with the learned vocabulary |")
        print("| --- | ---: | ---: |")
        for key in [c for c, _ in ENTITIES] + ["all"]:
            print(f"| {key} | {plain[key]:.1f}% | {learned[key]:.1f}% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
