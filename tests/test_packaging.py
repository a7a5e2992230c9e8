"""The wheel carries models/ inside the package, and an installed newsnlp finds them anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (whl,) = out.glob("newsnlp-*.whl")
    return whl


def test_wheel_contains_every_model_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    model_files = [p.relative_to(ROOT / "models") for p in (ROOT / "models").rglob("*") if p.is_file()]
    assert model_files, "models/ is empty"
    missing = [str(p) for p in model_files if f"newsnlp/models/{p.as_posix()}" not in names]
    assert not missing, f"model files missing from the wheel: {missing[:10]}"
    assert "newsnlp/py.typed" in names
    assert {"newsnlp/report/assets/report.css", "newsnlp/report/assets/report.js"} <= names  # newsnlp report's own files
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_package_finds_its_models_from_any_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True, text=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import newsnlp, newsnlp.resources as r; print(newsnlp.__file__); print(r.models_dir())"
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    package_file, models = out.stdout.split()
    assert Path(package_file).is_relative_to(target)
    assert Path(models) == target / "newsnlp" / "models"
    assert (Path(models) / "README.md").is_file()
