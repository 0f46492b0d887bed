"""The package as a user installs it: the wheel holds every subpackage and the hiplot component's page,
and in a clean virtual environment (the core dependencies only) ``rule-studio`` runs."""

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.support.sample_rules import ROOT


def run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "rule-studio"  # a clean copy: no stale build folder
    top_level = {".git", ".venv", ".venv-bench", "build", "dist", "data", "workspace", "artifacts"}

    def skipped(folder, names):
        return [n for n in names if n == "__pycache__" or n.endswith(".egg-info")
                or (Path(folder) == ROOT and n in top_level)]

    shutil.copytree(ROOT, source, ignore=skipped)
    proc = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (path,) = out.glob("rule_studio-*.whl")
    return path


def test_the_wheel_holds_every_subpackage_and_the_hiplot_page(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.relative_to(ROOT)) for p in (ROOT / "studio").rglob("__init__.py")}
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "studio").rglob("*.py")}
    assert packages and packages <= names and modules <= names
    assert "studio/explore/hiplot_frame/index.html" in names
    assert not any(n.startswith(("tests/", "pages/", "benchmarks/")) for n in names)


def test_rule_studio_runs_in_a_clean_environment(wheel, tmp_path):
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    # the pinned versions of the core dependencies (from pip's cache when the tests' own install filled it)
    proc = run(bin_dir / "pip", "install", "-q", "--disable-pip-version-check", wheel, "-c", ROOT / "requirements.txt")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for extra in ("streamlit", "plotly", "hiplot", "starlette"):
        assert run(bin_dir / "python", "-c", f"import {extra}").returncode != 0  # extras stay out

    proc = run(bin_dir / "rule-studio", "--help", cwd=tmp_path)
    assert proc.returncode == 0 and "evaluate" in proc.stdout and "export" in proc.stdout, proc.stderr

    rules = tmp_path / "bank.json"
    rules.write_text(json.dumps({"format": "rule-studio/1", "target": "y", "positive": "yes", "default": "no",
                                 "rules": [{"name": "long call", "when": [{"column": "duration", "op": ">",
                                                                           "value": 600}], "then": "yes"}]}))
    data = ROOT / "data" / "bank-marketing" / "bank.csv"
    proc = run(bin_dir / "rule-studio", "evaluate", data, "--rules", rules, "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["target"] == "y" and report["test"]["rules"][0]["name"] == "long call"
    assert report["test"]["rules"][0]["fired"] > 0

    proc = run(bin_dir / "rule-studio", "serve", rules, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.strip() == (
        "error: serve needs the 'serve' extra: pip install 'rule-studio[serve]'")
