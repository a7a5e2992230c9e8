"""Front-matter write-back: only the requested keys change, every other byte stays."""

from __future__ import annotations

import os
import stat

import pytest

from newsnlp.frontmatter import (
    ChangedOnDiskError,
    FileState,
    FrontMatterError,
    atomic_write_bytes,
    find_front_matter,
    update_front_matter,
    update_front_matter_bytes,
    write_front_matter,
)

# A post written for these tests: BOM, CRLF, comments, quoted values, a block sequence at the
# key's own indentation, a folded block scalar with a blank line, and a body after the block.
CRLF_POST = (
    "\ufeff---\r\n"
    "layout: post\r\n"
    "# 编辑注：标题勿改\r\n"
    "title: '甬江两岸: 夜间经济'   # 引号保留\r\n"
    "keywords:\r\n"
    "- 旧词\r\n"
    "- 另一个旧词\r\n"
    "\r\n"
    "summary: >\r\n"
    "  旧摘要第一行\r\n"
    "\r\n"
    "  旧摘要第二行\r\n"
    "date: 2024-05-08 09:00:00 +0800\r\n"
    "tags: [夜间经济, \"宁波\"]\r\n"
    "---\r\n"
    "<p>宁波市商务局发布夜间经济扶持办法。</p>\r\n"
    "\r\n"
    "正文第二段。\r\n"
)


def test_update_replaces_blocks_and_appends_new_keys_keeping_every_other_byte():
    out = update_front_matter(CRLF_POST, {"summary": "宁波发布夜间经济扶持办法。", "keywords": ["夜间经济", "宁波"],
                                          "programmes": ["夜间经济扶持办法"]})
    assert out == (
        "\ufeff---\r\n"
        "layout: post\r\n"
        "# 编辑注：标题勿改\r\n"
        "title: '甬江两岸: 夜间经济'   # 引号保留\r\n"
        "keywords:\r\n"
        "- 夜间经济\r\n"
        "- 宁波\r\n"
        "\r\n"
        "summary: 宁波发布夜间经济扶持办法。\r\n"
        "date: 2024-05-08 09:00:00 +0800\r\n"
        "tags: [夜间经济, \"宁波\"]\r\n"
        "programmes:\r\n"
        "- 夜间经济扶持办法\r\n"
        "---\r\n"
        "<p>宁波市商务局发布夜间经济扶持办法。</p>\r\n"
        "\r\n"
        "正文第二段。\r\n"
    )


def test_update_is_idempotent_and_leaves_equal_values_in_their_own_style():
    values = {"summary": "宁波发布办法。", "keywords": ["夜间经济"]}
    once = update_front_matter(CRLF_POST, values)
    assert update_front_matter(once, values) == once
    # "tags" already holds these values in flow style with quotes: it is not rewritten.
    same = update_front_matter(CRLF_POST, {"tags": ["夜间经济", "宁波"]})
    assert same == CRLF_POST


def test_values_needing_quotes_and_officials_mappings_load_back():
    import yaml

    post = "---\ntitle: x\n---\n正文\n"
    values = {
        "summary": "yes",  # would load as a bool unquoted
        "keywords": ["123", "a: b", "#标签"],
        "officials": [{"name": "李谦", "title": "主席", "organisation": "宁波市总工会"}],
    }
    out = update_front_matter(post, values)
    assert yaml.safe_load(out.split("---\n")[1]) == {"title": "x", **values}
    assert out.endswith("---\n正文\n")


def test_duplicate_key_is_replaced_once_and_the_copy_removed():
    post = "---\nsummary: a\ntitle: t\nsummary: b\n---\n"
    assert update_front_matter(post, {"summary": "c"}) == "---\nsummary: c\ntitle: t\n---\n"


def test_comment_lines_inside_a_block_sequence_go_with_it_and_those_after_stay():
    post = "---\nkeywords:\n# 旧的\n- a\n# 下一个键的注释\ntitle: t\n---\n"
    assert update_front_matter(post, {"keywords": ["b"]}) == "---\nkeywords:\n- b\n# 下一个键的注释\ntitle: t\n---\n"


def test_lone_cr_and_empty_front_matter():
    assert update_front_matter("---\r---\rbody", {"summary": "s"}) == "---\rsummary: s\r---\rbody"
    assert update_front_matter("---\n---\n", {"summary": "s"}) == "---\nsummary: s\n---\n"


@pytest.mark.parametrize(
    "post, message",
    [
        ("---\ntitle: [未闭合\n---\n正文", "malformed YAML front matter"),
        ("---\ntitle: x\n正文没有结束线\n", "never closed"),
        ("---\n- a\n- b\n---\n", "not a mapping"),
        ("正文，没有 front matter\n", "has no YAML front matter"),
    ],
)
def test_bad_front_matter_raises_with_the_reason(post, message):
    with pytest.raises(FrontMatterError, match=message):
        update_front_matter(post, {"summary": "s"})


def test_an_edit_that_would_change_other_keys_is_refused():
    # A double-quoted title continued at column 0: "summary:" there is inside the title.
    post = '---\ntitle: "first line\nsummary: not a key"\n---\n'
    assert find_front_matter(post).data == {"title": "first line summary: not a key"}
    with pytest.raises(FrontMatterError, match="would change other keys"):
        update_front_matter(post, {"summary": "s"})


def test_keys_must_be_plain_names():
    with pytest.raises(FrontMatterError, match="not a plain name"):
        update_front_matter("---\n---\n", {"bad key": 1})


def test_bytes_outside_the_edit_are_copied_even_for_gb18030():
    post = "---\ntitle: 宁波\n---\n正文。\n".encode("gb18030")
    out = update_front_matter_bytes(post, {"summary": "摘要"})
    assert out == "---\ntitle: 宁波\nsummary: 摘要\n---\n正文。\n".encode("gb18030")
    bom = "\ufeff---\r\nt: 1\r\n---\r\n".encode("utf-8")
    assert update_front_matter_bytes(bom, {"s": "x"}) == b"\xef\xbb\xbf---\r\nt: 1\r\ns: x\r\n---\r\n"


def test_write_front_matter_round_trip_dry_run_and_permissions(tmp_path):
    path = tmp_path / "post.md"
    original = CRLF_POST.encode("utf-8")
    path.write_bytes(original)
    os.chmod(path, 0o640)
    changed, diff = write_front_matter(path, {"summary": "新摘要"}, dry_run=True)
    assert changed and "+summary: 新摘要" in diff and "-summary: >" in diff
    assert path.read_bytes() == original
    changed, _ = write_front_matter(path, {"summary": "新摘要"})
    assert changed
    data = path.read_bytes()
    assert data == original.replace("summary: >\r\n  旧摘要第一行\r\n\r\n  旧摘要第二行\r\n".encode(), "summary: 新摘要\r\n".encode())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert write_front_matter(path, {"summary": "新摘要"}) == (False, "")
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]  # no temporary file left behind


def test_changed_on_disk_is_not_touched(tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes(b"---\ntitle: a\n---\nbody\n")
    data = path.read_bytes()
    state = FileState.of(path, data)
    path.write_bytes(b"---\ntitle: a\n---\nbody edited by someone else\n")
    with pytest.raises(ChangedOnDiskError, match="changed on disk"):
        write_front_matter(path, {"summary": "s"}, data=data, expected=state)
    assert path.read_bytes() == b"---\ntitle: a\n---\nbody edited by someone else\n"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_atomic_write_goes_through_a_symlink(tmp_path):
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
