"""Binder's environment, rebuilt from binder/ alone, runs a chapter.

mybinder.org (repo2docker) installs ``binder/requirements.txt`` from the
repository root on the Python that ``binder/runtime.txt`` names. This test does
the same in a fresh virtual environment (pip's cache keeps it quick after the
first run), then executes the reference chapter in it with nbclient. Slow: one
chapter only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import venv

from bookpaths import ROOT

BINDER = ROOT / "binder"
CHAPTER = ROOT / "book" / "07-inference" / "04-kv-cache.ipynb"

RUN_CHAPTER = textwrap.dedent("""
    import json, sys
    import nbformat
    from nbclient import NotebookClient

    path = sys.argv[1]
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": sys.argv[2]}}).execute()
    widgets = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if "application/vnd.jupyter.widget-view+json" in o.get("data", {}))
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    import anywidget, ipywidgets, numpy, vizkit
    print(json.dumps({"widgets": widgets, "errors": len(errors), "python": sys.version.split()[0],
                      "versions": {"anywidget": anywidget.__version__, "ipywidgets": ipywidgets.__version__,
                                   "numpy": numpy.__version__, "vizkit": vizkit.__version__}}))
""")


def test_runtime_names_a_python():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime


def test_binder_requirements_pin_the_widget_stack_to_the_build_environment():
    """The kernel-side widget packages Binder installs are the ones the book is built and tested with."""
    from importlib import metadata

    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    for name in ("anywidget", "ipywidgets"):
        assert pins.get(name) == metadata.version(name), \
            f"binder/requirements.txt pins {name}=={pins.get(name)}, the build environment has {metadata.version(name)}"


def test_a_fresh_environment_from_binder_runs_a_chapter(tmp_path):
    env_dir = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # repo2docker runs `pip install -r binder/requirements.txt` from the repository root
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                              "-r", str(BINDER / "requirements.txt")], cwd=ROOT, capture_output=True, text=True)
    assert install.returncode == 0, f"pip install -r binder/requirements.txt failed:\n{install.stderr[-3000:]}"

    run = subprocess.run([str(python), "-c", RUN_CHAPTER, str(CHAPTER), str(CHAPTER.parent)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"{CHAPTER.name} failed in the Binder environment:\n{run.stderr[-4000:]}"
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["errors"] == 0
    assert result["widgets"] >= 1, "the chapter showed no widget in the Binder environment"
    runtime = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    local = ".".join(map(str, sys.version_info[:2]))
    if runtime == local:
        assert result["python"].startswith(runtime + ".")
