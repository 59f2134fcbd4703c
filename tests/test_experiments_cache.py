"""A damaged experiment cache heals: whatever is wrong with a stored file, the experiment returns
the right result, says so in one line on stderr, and leaves a good file behind; a cache that
cannot be written still gives the result and says once that it was not saved."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from chapter5 import depth_accuracy, layer_speeds, result_cache
from chapter5 import experiments as E
from chapter5.data import MNIST, Split
from chapter5.network import Network

SEEDS = (0, 1, 2, 3)
DEPTHS = (2, 3)
N_IMAGES = 40


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("CHAPTER5_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(result_cache, "_UNSAVED_REPORTED", set())
    return tmp_path / "cache" / "experiments"


def synthetic(n: int = 60, seed: int = 0) -> MNIST:
    rng = np.random.default_rng(seed)

    def part(k: int) -> Split:
        return Split(rng.random((k, 784), dtype=np.float32), rng.integers(0, 10, k))

    return MNIST(part(n), part(20), part(20), source="synthetic")


DATA = synthetic()


def run_b(**kw: object) -> E.SpeedsAtInit:
    args: dict[str, object] = {"seeds": SEEDS, "n_images": N_IMAGES, "data": DATA,
                               "progress": False, **kw}
    return E.speeds_at_init(DEPTHS, **args)  # type: ignore[arg-type]


def forbid_training(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> Network:
        raise AssertionError("a network was built: the result was not taken from the cache")

    for module in (depth_accuracy, layer_speeds):
        monkeypatch.setattr(module, "Network", boom)


def stored(private_cache: Path) -> Path:
    (path,) = private_cache.glob("B-*.npz")
    return path


def rewrite(path: Path, **arrays: object) -> None:
    """Replace the file with these arrays (and the genuine ``_params``, unless given)."""
    with np.load(path, allow_pickle=False) as f:
        params = np.array(f["_params"])
    arrays.setdefault("_params", params)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]


def good_arrays(result: E.SpeedsAtInit) -> dict[str, np.ndarray]:
    return {f"h{h}": s for h, s in result.speeds.items()}


# Each damage: (name, how to do it to the stored file given the good result)
Damage = Callable[[Path, dict[str, np.ndarray]], None]


def truncated(path: Path, good: dict[str, np.ndarray]) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def empty(path: Path, good: dict[str, np.ndarray]) -> None:
    path.write_bytes(b"")


def not_a_zip(path: Path, good: dict[str, np.ndarray]) -> None:
    path.write_text("this is not a numpy archive\n", encoding="utf-8")


def corrupt_member(path: Path, good: dict[str, np.ndarray]) -> None:
    raw = bytearray(path.read_bytes())
    raw[200:260] = b"\xff" * 60  # inside the first stored array: a CRC or header error
    path.write_bytes(bytes(raw))


def key_missing(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, h2=good["h2"])


def extra_key(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, **good, h9=np.zeros(3))


def wrong_shape(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, h2=good["h2"][:2], h3=good["h3"])


def transposed(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, h2=good["h2"], h3=good["h3"].T.copy())


def nan(path: Path, good: dict[str, np.ndarray]) -> None:
    h3 = good["h3"].copy()
    h3[1, 2] = np.nan
    rewrite(path, h2=good["h2"], h3=h3)


def infinite(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, h2=np.full_like(good["h2"], np.inf), h3=good["h3"])


def negative(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, h2=-good["h2"], h3=good["h3"])


def strings(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, h2=np.full(good["h2"].shape, "0.1"), h3=good["h3"])


def booleans(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, h2=np.ones(good["h2"].shape, dtype=bool), h3=good["h3"])


def pickled_objects(path: Path, good: dict[str, np.ndarray]) -> None:
    obj = np.empty(good["h2"].shape, dtype=object)
    obj[...] = 0.1
    with np.load(path, allow_pickle=False) as f:
        params = np.array(f["_params"])
    with open(path, "wb") as fh:
        np.savez(fh, _params=params, h2=obj, h3=good["h3"])  # loading needs allow_pickle


def other_params(path: Path, good: dict[str, np.ndarray]) -> None:
    rewrite(path, _params=np.array(json.dumps({"n_images": 7})), **good)


def params_missing(path: Path, good: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as fh:
        np.savez(fh, **good)  # type: ignore[arg-type]


def a_directory(path: Path, good: dict[str, np.ndarray]) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x", encoding="utf-8")


DAMAGES: list[Damage] = [truncated, empty, not_a_zip, corrupt_member, key_missing, extra_key,
                         wrong_shape, transposed, nan, infinite, negative, strings, booleans,
                         pickled_objects, other_params, params_missing]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
def test_a_damaged_file_is_recomputed_said_in_one_line_and_healed(
        damage: Damage, private_cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    first = run_b()
    path = stored(private_cache)
    damage(path, good_arrays(first))
    assert capsys.readouterr().err == ""

    healed = run_b()
    for h in DEPTHS:
        np.testing.assert_array_equal(healed.speeds[h], first.speeds[h])
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert "damaged" in lines[0] and path.name in lines[0] and "recomputing" in lines[0]

    forbid_training(monkeypatch)  # the file was rewritten whole: the next call just loads it
    again = run_b()
    for h in DEPTHS:
        np.testing.assert_array_equal(again.speeds[h], first.speeds[h])
    assert capsys.readouterr().err == ""
    assert sorted(p.name for p in private_cache.iterdir()) == [path.name]  # no temporary left


def test_a_directory_in_place_of_the_file_still_gives_the_result(
        private_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run_b()
    path = stored(private_cache)
    a_directory(path, good_arrays(first))
    capsys.readouterr()
    for _ in range(2):
        np.testing.assert_array_equal(run_b().speeds[3], first.speeds[3])
    lines = capsys.readouterr().err.splitlines()
    assert sum("damaged" in line for line in lines) == 2  # recomputed each time ...
    assert sum("not being saved" in line for line in lines) == 1  # ... said unsaved once
    assert (path / "inside").read_text(encoding="utf-8") == "x"  # nothing of the user's lost


def test_damage_in_experiments_a_and_c_is_found_too(
        private_cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = synthetic()
    acc = E.accuracy_vs_depth((1,), seeds=(0,), epochs=2, n_train=40, data=data, progress=False)
    c = E.speeds_during_training((2,), seeds=(0,), epochs=3, n_images=30, data=data,
                                 progress=False)
    (a_file,) = private_cache.glob("A-*.npz")
    (c_file,) = private_cache.glob("C-*.npz")
    rewrite(a_file, accuracy=np.array([50.0, 150.0]), seconds=np.array(1.0))  # > 100 %
    rewrite(c_file, h2=c.speeds[2][:, :2], out2=c.outputs[2])  # one epoch short
    capsys.readouterr()
    acc2 = E.accuracy_vs_depth((1,), seeds=(0,), epochs=2, n_train=40, data=data, progress=False)
    c2 = E.speeds_during_training((2,), seeds=(0,), epochs=3, n_images=30, data=data,
                                  progress=False)
    np.testing.assert_array_equal(acc2.accuracy, acc.accuracy)
    np.testing.assert_array_equal(c2.speeds[2], c.speeds[2])
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and a_file.name in lines[0] and c_file.name in lines[1]
    assert "outside [0, 100]" in lines[0] and "shape" in lines[1]


def test_an_unwritable_cache_gives_the_result_and_says_once_it_was_not_saved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("the user's file\n", encoding="utf-8")
    monkeypatch.setenv("CHAPTER5_CACHE_DIR", str(blocker))  # the cache directory cannot exist
    first = run_b()
    second = run_b(n_images=N_IMAGES - 1)  # another result, same unwritable cache
    assert first.speeds[3].shape == (4, 3) and second.speeds[3].shape == (4, 3)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert "not being saved" in lines[0] and "CHAPTER5_CACHE_DIR" in lines[0]
    assert blocker.read_text(encoding="utf-8") == "the user's file\n"


def test_a_read_only_directory_gives_the_result(
        private_cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")  # what a read-only directory does

    monkeypatch.setattr(result_cache.tempfile, "mkstemp", refuse)
    expected = Network(E.sizes_for(2), seed=1).speeds(DATA.train.x[:N_IMAGES],
                                                      DATA.train.y[:N_IMAGES])
    for _ in range(3):
        np.testing.assert_allclose(run_b().speeds[2][1], expected, rtol=1e-12)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "Permission denied" in lines[0]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not bind root")
def test_a_really_read_only_directory_gives_the_result(
        private_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private_cache.mkdir(parents=True)
    private_cache.chmod(0o500)
    try:
        assert run_b().speeds[2].shape == (4, 2)
    finally:
        private_cache.chmod(0o700)
    assert "not being saved" in capsys.readouterr().err


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary(
        private_cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    first = run_b()
    path = stored(private_cache)
    before = path.read_bytes()
    real_savez = np.savez

    def disk_full(fh: object, **arrays: object) -> None:
        real_savez(fh, **arrays)  # type: ignore[arg-type]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(result_cache.np, "savez", disk_full)
    again = run_b(force=True)
    np.testing.assert_array_equal(again.speeds[2], first.speeds[2])
    assert path.read_bytes() == before
    assert [p.name for p in private_cache.iterdir()] == [path.name]
    assert "No space left on device" in capsys.readouterr().err


def test_a_result_that_is_not_finite_is_returned_but_never_stored(
        private_cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    fields = {"x": E._Field((2,))}
    out = E._cached("T", {"p": 1}, lambda: {"x": np.array([1.0, np.nan])}, False, fields)
    assert np.isnan(out["x"][1])
    assert not private_cache.exists() or not list(private_cache.iterdir())
    assert "not cached: x holds NaN" in capsys.readouterr().err


def test_the_stored_file_is_a_plain_numpy_archive_without_pickles(private_cache: Path) -> None:
    run_b()
    with zipfile.ZipFile(stored(private_cache)) as z:
        assert sorted(z.namelist()) == ["_params.npy", "h2.npy", "h3.npy"]
    with np.load(stored(private_cache), allow_pickle=False) as f:
        assert json.loads(str(f["_params"]))["n_images"] == N_IMAGES
