"""Shared fixtures: a hermetic environment, the CLI runner, the shipped fact base, a slice of it, its source text,
and runs of the real program started in the background."""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from typer.testing import CliRunner

from azpak.cli.app import app
from azpak.facts.files import default_fact_file
from azpak.facts.load import load_fact_base
from azpak.facts.model import FactBase

REPO = Path(__file__).resolve().parent.parent
SOURCES_DIR = REPO.parent / "shared" / "sources"
#: The article whose text is held locally: every record it supports carries a verbatim excerpt of it.
ARTICLE = "azernews-2025-02-23"

runner = CliRunner()

_BUILT: dict[tuple[int, ...], Any] = {}


def _command_built_once(typer_app: typer.Typer) -> Any:
    """The Click command of an app, built once for each set of registered commands.

    Typer's runner builds every command of the app again on each call, which costs more than most
    commands take to answer.
    """
    key = (id(typer_app), *map(id, typer_app.registered_commands), *map(id, typer_app.registered_groups))
    if key not in _BUILT:
        _BUILT[key] = typer.main.get_command(typer_app)
    return _BUILT[key]


typer.testing._get_command = _command_built_once  # type: ignore[attr-defined]


# Hypothesis writes nothing into the working tree: no database of examples, and its caches (of the Unicode tables and
# of the constants in the code under test) in the system's temporary directory, where they are kept from run to run.
settings.register_profile("hermetic", database=None)
settings.load_profile("hermetic")
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "azpak-tests-hypothesis")


def _hermetic(monkeypatch: pytest.MonkeyPatch, cache: Path, home: Path) -> None:
    """No user configuration, the run's own index cache, stable and uncoloured output."""
    monkeypatch.setenv("AZPAK_CACHE_DIR", str(cache))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name in ("AZPAK_DATA", "AZPAK_NO_CACHE", "FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERMINAL_WIDTH", "120")
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "1")


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def fake_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The HOME every test runs with; the run fails if anything writes a cache into it."""
    home = tmp_path_factory.mktemp("home")
    yield home
    assert not (home / ".cache").exists(), "a test wrote into HOME's cache instead of its own"


@pytest.fixture(scope="session", autouse=True)
def hermetic_session(cache_root: Path, fake_home: Path) -> Iterator[None]:
    """The hermetic environment for the fixtures shared by many tests, which are made before any test's own."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _hermetic(monkeypatch, cache_root, fake_home)
        yield


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch, cache_root: Path, fake_home: Path) -> None:
    """Each test starts from the hermetic environment, whatever the one before it changed."""
    _hermetic(monkeypatch, cache_root, fake_home)


@pytest.fixture(scope="session")
def base() -> FactBase:
    return load_fact_base()


@pytest.fixture(scope="session")
def shipped_index() -> None:
    """The shipped fact base compiled into the run's cache, before processes that answer from it start together."""
    assert invoke("sources", "--format", "json").exit_code == 0


@dataclass(frozen=True)
class Facts:
    """A fact file, its records, and the CLI answering from it alone."""

    path: Path
    base: FactBase

    @property
    def args(self) -> tuple[str, ...]:
        return ("--no-default", "--data", str(self.path))

    def invoke(self, *args: str) -> Any:
        return invoke(*args, *self.args)

    def json(self, *args: str) -> Any:
        return invoke_json(*args, *self.args)


def _references(value: object) -> Iterator[str]:
    """Every text in a record as read with every scalar as text: the ids it refers to are among them."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


@pytest.fixture(scope="session")
def article(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    """A small, valid slice of the shipped fact base: every record citing the article held locally, and every record
    they refer to, whole (about 180 records of the 1,200).

    For the tests of what the commands and formats do; the chronicle's own content is tested on the whole file.
    """
    import yaml

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every scalar stays text, as azpak reads it
    shipped: dict[str, list[dict[str, Any]]] = yaml.load(default_fact_file().read_text(encoding="utf-8"), loader)
    collection_of = {record["id"]: name for name, records in shipped.items() for record in records}
    kept = {record["id"] for records in shipped.values() for record in records if ARTICLE in _references(record)}
    while True:
        referred = {
            value
            for records in shipped.values()
            for record in records
            if record["id"] in kept
            for value in _references(record)
            if value in collection_of
        }
        if referred <= kept:
            break
        kept |= referred
    chosen = {name: [r for r in records if r["id"] in kept] for name, records in shipped.items()}
    path = tmp_path_factory.mktemp("article") / "facts.yaml"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(chosen, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    facts = Facts(path, load_fact_base([path], include_default=False))
    assert facts.invoke("show", ARTICLE).exit_code == 0  # its index, compiled before processes share it
    return facts


@pytest.fixture(scope="session")
def many_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fact file whose output fills a pipe twice over in every format, compiled into the run's cache (processes
    that answer from it start together). Its titles are long so that few events do it: each event costs time."""
    topics = "trade energy transport culture education students universities exchange investment defence aviation"
    title = " ".join(topics.split()[k * 7 % 11] for k in range(90))
    summary = "A long summary of what happened at this meeting. " * 20
    events = "".join(
        f'  - id: e{i}\n    date: "2025-03-{1 + i % 28:02d}"\n    title: Meeting number {i} on {title}\n'
        f"    summary: {summary.strip()}\n    kind: meeting\n    status: occurred\n"
        "    citations: [{source: notes, says: Reports the meeting.}]\n"
        for i in range(150)
    )
    path = tmp_path_factory.mktemp("many") / "many.yaml"
    path.write_text(
        "sources:\n  - id: notes\n    publisher: me\n    local: true\n"
        "organisations:\n  - id: me\n    name: Me\n    kind: other\n"
        "events:\n" + events,
        encoding="utf-8",
    )
    assert invoke("show", "e0", "--no-default", "--data", str(path)).exit_code == 0
    return path


@pytest.fixture(scope="session")
def source_text() -> str:
    """The text of the article the shipped facts come from (skips when the source folder is absent)."""
    files = sorted(SOURCES_DIR.glob("*.txt")) if SOURCES_DIR.is_dir() else []
    if not files:
        pytest.skip("the source article is not present beside the repository")
    return files[0].read_text(encoding="utf-8")


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def invoke_json(*args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class Runs:
    """Processes to run side by side (each spends most of its time starting up). ``results()`` starts them the first
    time, waits for them and returns their results in order. ``env`` is one environment for all of them, or one
    each; ``stdout`` is a pipe, or a file to write to."""

    def __init__(
        self,
        commands: list[list[str]],
        *,
        env: dict[str, str] | list[dict[str, str]],
        stdout: Path | None = None,
        cwd: Path | None = None,
        text: bool = True,
    ) -> None:
        self.commands = commands
        self.envs = env if isinstance(env, list) else [env] * len(commands)
        self.stdout, self.cwd, self.text = stdout, cwd, text
        self._results: list[subprocess.CompletedProcess[Any]] | None = None
        self._lock = threading.Lock()

    def _start(self) -> list[subprocess.Popen[Any]]:
        with open(self.stdout, "w") if self.stdout else contextlib.nullcontext(subprocess.PIPE) as stdout:
            return [
                subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.PIPE, text=self.text, cwd=self.cwd)
                for command, env in zip(self.commands, self.envs, strict=True)
            ]

    def results(self) -> list[subprocess.CompletedProcess[Any]]:
        with self._lock:
            if self._results is None:
                processes = self._start()
                self._results = []
                for command, process in zip(self.commands, processes, strict=True):
                    out, err = process.communicate(timeout=120)
                    self._results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
            return self._results


def started_early(make: Callable[..., Runs]) -> pytest.MarkDecorator:
    """Mark a test that checks the processes ``make`` describes; the test gets their ``Runs`` as its ``started``
    fixture.

    ``make`` is called when the session starts (its arguments are session fixtures), and its processes run in the
    background then, one batch after another, on the other processor while the tests in this process go on. Their
    environment comes from the ``environ`` fixture: the tests running meanwhile change this process's own.
    """
    return pytest.mark.started_early.with_args(make)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "started_early(make): the test's processes run from the session's start")


@pytest.fixture(scope="session")
def environ(hermetic_session: None) -> dict[str, str]:
    """The hermetic environment as the session starts, for processes started while tests change their own."""
    return dict(os.environ)


def _yield_the_processor() -> None:
    """Processes started from this thread (and the thread) give way to the tests running meanwhile."""
    # On Linux a priority belongs to the thread, and the processes it starts inherit it.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


@pytest.fixture(scope="session", autouse=True)
def early_runs(request: pytest.FixtureRequest, hermetic_session: None) -> Iterator[dict[Any, Future[Runs]]]:
    """The processes of the selected tests marked ``started_early``, in the order of the tests."""
    makes = {marker.args[0]: None for item in request.session.items for marker in item.iter_markers("started_early")}
    runs = {make: make(**{n: request.getfixturevalue(n) for n in inspect.signature(make).parameters}) for make in makes}

    def run(make: Callable[..., Runs]) -> Runs:
        runs[make].results()
        return runs[make]

    with ThreadPoolExecutor(max_workers=1, initializer=_yield_the_processor) as background:
        yield {make: background.submit(run, make) for make in makes}


@pytest.fixture()
def started(request: pytest.FixtureRequest, early_runs: dict[Any, Future[Runs]]) -> Runs:
    (marker,) = request.node.iter_markers("started_early")
    return early_runs[marker.args[0]].result()
