"""The 0.1 import paths keep working for one release (issue 11): the same module object, a warning."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from newsnlp._compat import OLD_PATHS


@pytest.mark.parametrize("old,new", sorted(OLD_PATHS.items()))
def test_an_old_module_path_is_the_new_module_with_a_warning(old, new):
    code = (
        "import warnings, importlib, sys\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        f"new = importlib.import_module({new!r})\n"
        "try:\n"
        f"    importlib.import_module({old!r})\n"
        "except DeprecationWarning as w:\n"
        "    print(w)\n"
        "warnings.simplefilter('ignore')\n"
        f"print(importlib.import_module({old!r}) is new)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == [f"{old} moved to {new}; the old path will be removed in newsnlp 0.3", "True"]


def test_names_documented_under_the_old_packages_still_import():
    from newsnlp.batch import map_batch, parallel_map, read_results, tag_archive  # noqa: F401
    from newsnlp.entities import EntityExtractor, entity_labels
    from newsnlp.keywords import KeywordExtractor, editor_tag_ok, market_tags, normalize_tag  # noqa: F401
    from newsnlp.text import Segmenter, split_sentences  # noqa: F401

    assert EntityExtractor is importlib.import_module("newsnlp.entities.extractor").EntityExtractor
    assert KeywordExtractor is importlib.import_module("newsnlp.keywords.extractor").KeywordExtractor
    assert callable(entity_labels)
    with pytest.raises(AttributeError, match="newsnlp.keywords' has no attribute 'no_such_name'"):
        importlib.import_module("newsnlp.keywords").no_such_name


def test_python_dash_m_newsnlp_cli_still_runs():
    proc = subprocess.run([sys.executable, "-m", "newsnlp.cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("0.2.0")


def test_every_dotted_name_the_docs_use_resolves():
    """docs/*.md and the README name import paths (newsnlp.metrics.rouge, newsnlp.ner_model ...): each one,
    old or new, must import and resolve to an attribute."""
    import re
    import warnings
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    pages = [*sorted((root / "docs").glob("*.md")), root / "README.md"]
    names = {m.group(0) for page in pages
             for m in re.finditer(r"(?<![\w./-])newsnlp(?:\.[A-Za-z_][A-Za-z0-9_]*)+", page.read_text(encoding="utf-8"))}
    assert len(names) > 40  # the reader works
    unresolved = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in sorted(names):
            parts = name.split(".")
            for i in range(len(parts), 0, -1):
                try:
                    obj = importlib.import_module(".".join(parts[:i]))
                    break
                except ImportError:
                    continue
            try:
                for attr in parts[i:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                unresolved.append(name)
    assert not unresolved, f"names in docs/ that do not import: {unresolved}"
