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
    assert proc.returncode == 0 and proc.stdout.strip().endswith("0.1.0")
