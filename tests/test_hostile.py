"""Hostile input made on the spot: each refused with a clear error, in bounded time, by both parsers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from azpak.facts import yamlread
from azpak.facts.load import validate_files
from azpak.facts.yamlread import MAX_FILE_BYTES, MAX_SCALAR_CHARS, YamlReadError, parse_yaml
from conftest import invoke

LOADERS = [name for name in ("SafeLoader", "CSafeLoader") if hasattr(yaml, name)]

BILLION_LAUGHS = (
    "a: &a ["
    + ",".join(['"lol"'] * 10)
    + "]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(9))
)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BILLION_LAUGHS, "aliases (*name) are not allowed"),
        ("a: &x [*x]\n", "aliases (*name) are not allowed"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 2000)), "nesting deeper than 64 levels"),
        ("a: " + "x" * (MAX_SCALAR_CHARS + 1), f"over the {MAX_SCALAR_CHARS:,} limit"),
        ("a: !!python/object/new:os.system [ls]\n", "tag 'tag:yaml.org,2002:python/object/new:os.system'"),
    ],
    ids=["billion-laughs", "recursive-alias", "block-nesting", "huge-scalar", "python-object"],
)
def test_refused_by_either_parser(loader: str, text: str, message: str) -> None:
    with pytest.raises(YamlReadError) as info:
        parse_yaml(text, "hostile.yaml", getattr(yaml, loader))
    assert message in str(info.value)
    assert str(info.value).startswith("hostile.yaml:")


def test_the_reader_never_constructs_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    # If any construction ran, these would be called.
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("construction")

    monkeypatch.setattr(yaml.constructor.SafeConstructor, "construct_document", forbidden)
    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_object", forbidden)
    for loader in LOADERS:
        value, _ = parse_yaml("a: [1, 2]\nb: {c: yes}\n", "x", getattr(yaml, loader))
        assert value == {"a": ["1", "2"], "b": {"c": "yes"}}


def test_only_safe_loaders_are_ever_used(monkeypatch: pytest.MonkeyPatch) -> None:
    assert issubclass(yamlread._loader_class(), yaml.SafeLoader) or yamlread._loader_class() is getattr(
        yaml, "CSafeLoader", None
    )
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert yamlread._loader_class() is yaml.SafeLoader


def test_a_file_over_the_size_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    result = invoke("validate", "--no-default", str(path))
    assert result.exit_code == 65
    assert f"{path}: the file is over the {MAX_FILE_BYTES:,}-byte limit" in result.stdout


def test_the_size_cap_does_not_trust_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"a: b\n" * 10)
    monkeypatch.setattr(yamlread, "MAX_FILE_BYTES", 20)  # smaller than the file, as if it grew after stat()
    real_stat = Path.stat

    def small_stat(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(self)
        return os.stat_result((info.st_mode, *info[1:6], 0, *info[7:10]))

    monkeypatch.setattr(Path, "stat", small_stat)
    with pytest.raises(YamlReadError, match="over the 20-byte limit"):
        yamlread.read_text(path)


def test_a_fifo_or_a_device_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        result = invoke("events", "--no-default", "--data", str(path))
        assert result.exit_code == 66
        assert f"{path}: is not a regular file" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_exits_66(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("events: []\n")
    path.chmod(0)
    result = invoke("events", "--no-default", "--data", str(path))
    assert result.exit_code == 66 and "cannot be read: Permission denied" in result.stderr


def test_implicit_typing_never_changes_a_fact_or_the_json() -> None:
    corpus = Path(__file__).resolve().parent / "corpus" / "implicit-typing.yaml"
    result = invoke("show", "e1", "--no-default", "--data", str(corpus), "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    event = json.loads(result.stdout)
    assert event["date"] == "2025-03-01" and event["title"] == "NO" and event["summary"] == "0777"
    assert event["citations"][0]["evidence"] == ".nan" and event["attribution"] == "true"
    assert event["location"]["name"] == "12:30" and event["notes"] == "9" * 5000
    assert event["citations"][0]["published"] == "2025-03-01"


def test_a_hostile_file_loses_nothing_else(tmp_path: Path) -> None:
    """A refused file is one problem among the others: every other file is still checked in full."""
    bomb = tmp_path / "a-bomb.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    other = tmp_path / "b-other.yaml"
    other.write_text("events:\n  - id: e1\n    sector: x\n", encoding="utf-8")
    result = validate_files([bomb, other])
    messages = [str(p) for p in result.problems]
    assert messages[0].startswith(f"{bomb}:2:") and "aliases" in messages[0]
    assert any(m.startswith(f"{other}:3:5: events[0].sector: unknown field") for m in messages)


@pytest.mark.slow
def test_memory_stays_bounded_on_a_large_file(tmp_path: Path) -> None:
    """A 16 MiB file of many small records loads in bounded memory, measured in the child that loads it."""
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("the pure-Python parser is slow on a 16 MiB file; bounded, but too slow for every test run")
    size = 16 * 1024 * 1024
    record = "  - id: {i}x\n    name: A name that is long enough to matter\n    description: {i}\n"
    body = "".join(record.format(i=i) for i in range(size // 80))
    path = tmp_path / "big.yaml"
    path.write_text("sectors:\n" + body[: size - 20].rsplit("\n  - ", 1)[0] + "\n", encoding="utf-8")
    program = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from azpak.facts.load import validate_files\n"
        "result = validate_files([Path(sys.argv[1])])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps([len(result.problems), len(result.records['sectors']), peak]))\n"
    )
    done = subprocess.run([sys.executable, "-c", program, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    problems, sectors, peak_mib = json.loads(done.stdout)
    assert problems == 0 and sectors > 150_000
    assert peak_mib < 1500, peak_mib
