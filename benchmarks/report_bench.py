"""Time `newsnlp report` on a generated archive (default 16,800 posts) and check its memory stays flat.

    python -m benchmarks.report_bench                 # 16,800 posts, and 1,680 for the memory check
    python -m benchmarks.report_bench --posts 2000    # a quicker run

The posts and their records are generated here (synthetic names, dates over seven years,
mentions at the right offsets of each post's text, ``content_hash`` of the file), so the build
does all its real work: it reads every record, finds and hashes every post file, parses it
and highlights the mentions. Each build runs in a fresh process, which reports its own peak
RSS. The baseline in the same run is what any reader of the file pays: ``json.loads`` of every
line of the JSONL.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CITIES = ["宁波", "杭州", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "苏州", "无锡",
          "南京", "合肥", "武汉", "成都", "重庆", "西安", "厦门", "福州", "广州", "深圳", "青岛", "济南", "郑州"]
SUFFIXES = ["市总工会", "市发展和改革委员会", "市人力资源和社会保障局", "市中级人民法院", "市市场监督管理局",
            "市财政局", "市教育局", "市商务局", "市科学技术局", "市交通运输局", "市住房和城乡建设局", "港集团",
            "银行", "大学", "市人民医院", "市税务局", "市生态环境局", "市文化广电旅游局", "市农业农村局", "市统计局"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["立平", "海涛", "晓雯", "建国", "丽华", "志刚", "振宇", "文彬", "婉清", "启航", "明远", "慧敏", "雪梅", "景川"]
TITLES = ["主席", "局长", "副局长", "院长", "主任", "党组书记", "副主任", "董事长", "总经理", "校长"]
PROGRAMMES = ["春风行动", "暖蜂驿站", "两节送温暖活动", "技能提升行动", "数字化改革", "共同富裕示范区建设",
              "营商环境优化提升行动", "稳岗扩岗专项行动", "放心消费行动", "乡村振兴工程", "人才安居工程", "双碳行动"]
TAGS = ["工会", "就业", "民营经济", "营商环境", "法院", "社保", "教育", "医疗", "港口", "科技", "财政", "统计",
        "消费", "乡村振兴", "住房", "交通", "环保", "文旅", "农业", "税务", "人才", "数字经济", "金融", "外贸"]
FILLER = ("会议通报了今年以来的工作进展，部署下一阶段重点任务。与会人员围绕推进落实、加强服务、提升水平等方面"
          "进行了交流，要求各地各部门压实责任，确保各项举措落到实处。")


def generate(root: Path, n: int, seed: int = 7) -> Path:
    """Write ``n`` posts under ``root/_posts`` and their records to ``root/tags.jsonl``; return the JSONL."""
    from newsnlp.article import parse_post

    rng = random.Random(seed)
    orgs = [c + s for c in CITIES for s in SUFFIXES]
    people = [s + g for s in SURNAMES for g in GIVEN]
    posts = root / "_posts"
    posts.mkdir(parents=True)
    out = root / "tags.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(n):
            year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
            date = f"{year}-{month:02d}-{day:02d} 09:00:00 +0800"
            pid = f"{year}-{month:02d}-{day:02d}-post-{i:05d}"
            chosen_orgs = rng.sample(orgs, rng.randint(1, 4))
            officials = [(rng.choice(people), rng.choice(TITLES), rng.choice(chosen_orgs)) for _ in range(rng.randint(0, 2))]
            progs = rng.sample(PROGRAMMES, rng.randint(0, 2))
            paras = []
            for org in chosen_orgs:
                paras.append(f"{month}月{day}日，{org}召开专题会议。{FILLER}")
            for name, title, org in officials:
                paras.append(f"{org}{title}{name}出席会议并讲话。{name}表示，要把各项工作抓紧抓实。")
            for p in progs:
                paras.append(f"会议要求深入推进“{p}”。{FILLER}")
            title = f"{chosen_orgs[0]}召开专题会议 部署{rng.choice(TAGS)}工作"
            raw = (f'---\nlayout: post\ntitle: "{title}"\ndate: {date}\n---\n'
                   + "\n".join(f"<p>{p}</p>" for p in paras) + f"\n\n<http://news.example.com/{pid}.html>\n")
            data = raw.encode("utf-8")
            path = posts / f"{pid}.md"
            path.write_bytes(data)
            text = parse_post(raw, path=str(path)).text

            def spans(s: str) -> list[dict]:
                found, at = [], text.find(s)
                while at != -1:
                    found.append({"text": s, "start": at, "end": at + len(s)})
                    at = text.find(s, at + len(s))
                return found

            record = {
                "id": pid, "path": str(path), "title": title, "date": date,
                "summary": text[: text.find("。") + 1], "tags": rng.sample(TAGS, 3),
                "keywords": [{"text": t, "score": round(rng.random(), 6)} for t in rng.sample(TAGS, 3)],
                "entities": {
                    "organisations": [{"name": o, "mentions": spans(o), "subtype": "gov"} for o in chosen_orgs],
                    "officials": [{"name": nm, "title": t, "organisation": o, "mentions": spans(nm)}
                                  for nm, t, o in dict.fromkeys(officials)],
                    "programmes": [{"name": p, "mentions": spans(p)} for p in progs],
                    "persons": [], "places": [],
                },
                "content_hash": hashlib.sha256(data).hexdigest(),
                "versions": {"newsnlp": "0.1.0"},
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def _child(jsonl: str, output: str, workers: int | None) -> None:
    from newsnlp.report import build_report

    started = time.perf_counter()
    summary = build_report(jsonl, output, workers=workers)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime
                      + workers_cpu.ru_utime + workers_cpu.ru_stime,
                      "peak_rss_mb": usage.ru_maxrss / 1024, "posts": summary.posts, "texts": summary.texts,
                      "pages": summary.pages}))


def _build_in_child(jsonl: Path, output: Path, workers: int | None) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.report_bench", "--child", str(jsonl), str(output)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=16_800, help="posts in the generated archive (default 16,800)")
    parser.add_argument("--workers", type=int, default=None, help="build_report(workers=...) (default: its default)")
    parser.add_argument("--child", nargs=2, metavar=("JSONL", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child, args.workers)
        return 0
    small = max(1, args.posts // 10)
    with tempfile.TemporaryDirectory(prefix="newsnlp-report-bench-") as tmp:
        rows = []
        for n in (small, args.posts):
            root = Path(tmp) / f"n{n}"
            jsonl = generate(root, n)
            started = time.perf_counter()
            with open(jsonl, "rb") as fh:
                for line in fh:
                    json.loads(line)
            read_s = time.perf_counter() - started
            result = _build_in_child(jsonl, root / "report", args.workers)
            assert result["posts"] == n and result["texts"] == n, result
            rows.append((n, read_s, result))
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} at the end (other work on the machine slows the wall time)")
    print("| posts | read the JSONL (baseline) | `newsnlp report` build | CPU time of the build | pages | peak RSS of the build |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, read_s, r in rows:
        print(f"| {n:,} | {read_s:.2f} s | {r['seconds']:.1f} s | {r.get('cpu_seconds', 0):.1f} s | {r['pages']:,} "
              f"| {r['peak_rss_mb']:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
