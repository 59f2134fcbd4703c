"""write_presets_module (chapter5.viz.web): it writes the presets module, rewrites a file it wrote
itself, and never replaces a file anyone else made (nothing a user made is lost)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from chapter5.viz.web import GENERATED_HEADER, PRESETS_PATH, presets_module, write_presets_module


def test_it_writes_the_module_and_rewrites_its_own_file(tmp_path: Path) -> None:
    target = tmp_path / "presets.js"
    assert write_presets_module(target) == target
    assert target.read_text(encoding="utf-8") == presets_module()
    assert presets_module().startswith(GENERATED_HEADER)
    assert PRESETS_PATH.read_text(encoding="utf-8").startswith(GENERATED_HEADER)
    target.write_text(GENERATED_HEADER + " (an older version)\nexport const OLD = 1;\n",
                      encoding="utf-8")
    write_presets_module(str(target))  # a str path too
    assert target.read_text(encoding="utf-8") == presets_module()
    assert stat.S_IMODE(target.stat().st_mode) & 0o444 == 0o444  # readable, like any module
    assert [p.name for p in tmp_path.iterdir()] == ["presets.js"]  # no temporary file left


def test_a_file_it_did_not_write_is_left_whole(tmp_path: Path) -> None:
    mine = tmp_path / "presets.js"
    mine.write_text("// my own presets, typed by hand\nexport const W = 3;\n", encoding="utf-8")
    before = mine.read_bytes()
    with pytest.raises(FileExistsError, match="was not written by write_presets_module"):
        write_presets_module(mine)
    assert mine.read_bytes() == before
    empty = tmp_path / "empty.js"
    empty.touch()
    with pytest.raises(FileExistsError):
        write_presets_module(empty)
    assert empty.read_bytes() == b""


@pytest.mark.parametrize(("path", "error", "match"), [
    (None, TypeError, "path must be a file path"),
    (3, TypeError, "path must be a file path"),
    ("presets.txt", ValueError, r"ending in \.js"),
    ("", ValueError, r"ending in \.js"),
])
def test_bad_paths_are_refused_by_name(path: object, error: type, match: str,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=match):
        write_presets_module(path)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_or_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="existing folder"):
        write_presets_module(tmp_path / "nowhere" / "presets.js")
    (tmp_path / "dir.js").mkdir()
    with pytest.raises(ValueError, match="is a directory"):
        write_presets_module(tmp_path / "dir.js")
