"""The installed program, run as a user runs it: entry point, ``python -m``, start-up, and a built wheel."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, Runs, started_early

BIN = Path(sys.executable).parent


def environment(base: dict[str, str] | None = None, **changes: str) -> dict[str, str]:
    """A user's environment (``base``, else this process's) with NO_COLOR, and ``changes``."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in ("AZPAK_DATA", "FORCE_COLOR")}
    env.update({"NO_COLOR": "1", **changes})
    return env


def the_entry_point(shipped_index: None, tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]) -> Runs:
    azpak = shutil.which("azpak", path=str(BIN))
    if azpak is None:
        return Runs([], env=[])
    command = [azpak, "who", "Vugar Mustafayev", "--format", "json"]
    return Runs([command], env=environment(environ), cwd=tmp_path_factory.mktemp("entry"))


@started_early(the_entry_point)
def test_entry_point_runs_outside_the_repository(started: Runs) -> None:
    if not started.commands:
        pytest.skip("azpak is not installed in this environment")
    (result,) = started.results()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Vugar Mustafayev"


#: Commands from the app's own module and from modules imported on demand, and one that does not exist.
REACHABLE = {
    "help": ["--help"],
    "timeline": ["timeline", "--year", "2024"],
    "validate": ["validate", "--no-default", "broken.yaml"],
    "cache": ["cache", "info"],
    "misspelt": ["timelin"],
}


def every_command(shipped_index: None, tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]) -> Runs:
    where = tmp_path_factory.mktemp("commands")
    (where / "broken.yaml").write_text("events:\n  - id: e1\n    sector: [energy]\n", encoding="utf-8")
    commands = [[sys.executable, "-m", "azpak", *args] for args in REACHABLE.values()]
    return Runs(commands, env=environment(environ), cwd=where)


@started_early(every_command)
def test_every_command_is_reachable_through_python_dash_m(started: Runs) -> None:
    """Commands of other modules are imported on demand: each runs, and help lists them all."""
    done = dict(zip(REACHABLE, started.results(), strict=True))
    for name in ("events", "who", "timeline", "graph", "export", "validate", "schema", "cache"):
        assert f"  {name} " in done["help"].stdout, name
    for name in ("help", "timeline", "cache"):
        assert done[name].returncode == 0, (name, done[name].stderr)
    assert "JF-17" in done["timeline"].stdout
    assert done["validate"].returncode == 65
    problem = "broken.yaml:3:5: events[0].sector: unknown field `sector` (did you mean `sectors`?)"
    assert problem in done["validate"].stdout.splitlines()
    assert done["validate"].stderr.startswith("azpak: invalid fact files: ")
    assert done["misspelt"].returncode == 2 and "timeline" in done["misspelt"].stderr


#: A program that reports what importing the app and a lookup from the index import, and what the app alone lists.
START_UP = (
    "import json, sys\n"
    "from typer.testing import CliRunner\n"
    "HEAVY = {'rich', 'yaml', 'pydantic', 'icalendar'}\n"
    "COMMANDS = {'azpak.cli.drawing', 'azpak.views.graph', 'azpak.views.timeline', 'azpak.views.ics'}\n"
    "def heavy():\n"
    "    return sorted(m for m in sys.modules if m.split('.')[0] in HEAVY or m in COMMANDS)\n"
    "from azpak.cli.app import app\n"
    "imported = heavy()\n"
    "listed = CliRunner().invoke(app, ['--help']).stdout\n"
    "helped = sorted(m for m in sys.modules if m.startswith('azpak.cli.'))\n"
    "answer = CliRunner().invoke(app, ['who', 'Vugar Mustafayev', '--format', 'json'])\n"
    "looked_up = heavy()\n"
    "print(json.dumps({\n"
    "    'imported': imported,\n"
    "    'helped': helped,\n"
    "    'looked_up': looked_up,\n"
    "    'answer': json.loads(answer.stdout)['id'],\n"
    "    'listed': [n for n in ('validate', 'schema', 'timeline', 'graph', 'export') if f'  {n} ' in listed],\n"
    "    'schema': CliRunner().invoke(app, ['schema']).exit_code,\n"
    "}))\n"
)


def start_up(shipped_index: None, tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]) -> Runs:
    return Runs([[sys.executable, "-c", START_UP]], env=environment(environ), cwd=tmp_path_factory.mktemp("start-up"))


@started_early(start_up)
def test_start_up_imports_only_what_the_command_needs(started: Runs) -> None:
    """Importing the app loads no command module, Rich or YAML; ``--help`` lists every command without importing
    one; a lookup from the index loads neither Rich nor YAML (nor pydantic); the app alone runs a command from a
    module not yet imported."""
    (done,) = started.results()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "imported": [],
        "helped": ["azpak.cli.app"],
        "looked_up": [],
        "answer": "vugar-mustafayev",
        "listed": ["validate", "schema", "timeline", "graph", "export"],
        "schema": 0,
    }


def the_built_wheel(tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]) -> Runs:
    """The wheel, built as pip builds it (with hatchling, from the source tree), unpacked elsewhere, and run."""
    try:
        from hatchling.builders.wheel import WheelBuilder
    except ImportError:
        return Runs([], env=[])
    where = tmp_path_factory.mktemp("wheel")
    (wheel,) = WheelBuilder(str(REPO)).build(directory=str(where), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(where / "site")
    env = environment(environ, PYTHONPATH=str(where / "site"), AZPAK_CACHE_DIR=str(where / "cache"))
    return Runs([[sys.executable, "-m", "azpak", "events", "--format", "json"]], env=env, cwd=where)


@started_early(the_built_wheel)
def test_wheel_ships_the_fact_base_and_finds_it(started: Runs) -> None:
    """A built wheel, unpacked elsewhere, answers from its own copy of data/facts.yaml."""
    from azpak.store.index import list_indexes

    if started.cwd is None:
        pytest.skip("hatchling, which builds the wheel as pip does, is not installed")
    (wheel,) = started.cwd.glob("azpak-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "azpak/data/facts.yaml" in archive.namelist()
    (events,) = started.results()
    assert events.returncode == 0, events.stderr
    assert len(json.loads(events.stdout)) >= 8
    (index,) = list_indexes(started.cwd / "cache")
    assert index.files == [str(started.cwd / "site" / "azpak" / "data" / "facts.yaml")]


def test_source_tree_fact_base_is_found_in_an_editable_install() -> None:
    from azpak.facts.load import default_fact_file

    found = default_fact_file()
    assert found.is_file()
    if not (REPO / "src" / "azpak" / "data").exists():
        assert found == REPO / "data" / "facts.yaml"


class _Ended(Exception):
    """What ``os._exit`` raises here instead of ending the test run."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _end(status: int) -> None:
    raise _Ended(status)


class _RecordedOutput(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1


@pytest.mark.parametrize(
    ("raised", "status", "said"),
    [
        (SystemExit(0), 0, ""),
        (SystemExit(None), 0, ""),
        (SystemExit(65), 65, ""),
        (SystemExit("a message"), 1, "a message\n"),
        (KeyboardInterrupt(), 130, "azpak: interrupted\n"),
    ],
)
def test_the_entry_point_runs_the_command_with_the_collector_on_and_ends_with_its_status(
    raised: BaseException, status: int, said: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The collector is off only while the app loads; the command's output is flushed and its status is the
    process's."""
    import gc

    from azpak.cli import app, entry

    seen: list[bool] = []
    output = _RecordedOutput()

    def command() -> None:
        seen.append(gc.isenabled() and gc.get_freeze_count() > 0)
        output.write("the answer")
        raise raised

    monkeypatch.setattr(sys, "stdout", output)
    monkeypatch.setattr(app, "main", command)
    monkeypatch.setattr(entry, "_reports_at_exit", lambda: False)  # this test run has exit handlers of its own
    monkeypatch.setattr(os, "_exit", _end)
    try:
        with pytest.raises(_Ended) as ended:
            entry.run()
    finally:
        gc.unfreeze()
        gc.enable()
    assert seen == [True]  # on, with what loading made frozen
    assert output.flushes  # written out before the process ends
    assert ended.value.status == status
    assert capsys.readouterr().err == said


class _FailingOutput(io.StringIO):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "status", "after", "said"),
    [
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), 0, 141, ""),
        (OSError(errno.ENOSPC, "No space left on device"), 0, 74, "azpak: cannot write the output: No space left"),
        (OSError(errno.ENOSPC, "No space left on device"), 1, 1, "azpak: cannot write the output: No space left"),
        (KeyboardInterrupt(), 0, 130, "azpak: interrupted\n"),
    ],
)
def test_output_the_process_still_holds_at_its_end_is_written_or_its_failure_reported(
    error: BaseException,
    status: int,
    after: int,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ending without the interpreter's teardown must not lose its last flush: a failure (Ctrl-C included) keeps
    its exit code, and what could not be written is dropped, so that an ordinary exit does not fail on it again."""
    from azpak.cli import streams
    from azpak.cli.entry import flushed

    silenced: list[bool] = []
    monkeypatch.setattr(sys, "stdout", _FailingOutput(error))
    monkeypatch.setattr(streams, "silence_stdout", lambda: silenced.append(True))
    assert flushed(status) == after
    assert capsys.readouterr().err.startswith(said)
    assert silenced == [True]


#: A program that registers an exit handler (as a coverage tool does), then runs azpak's entry point.
WITH_AN_EXIT_HANDLER = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('the exit handler ran'))\n"
    "from azpak.cli.entry import run\n"
    "sys.argv = ['azpak', 'sectors', '--format', 'csv']\n"
    "run()\n"
)


def waiting_for_the_exit(
    shipped_index: None, tmp_path_factory: pytest.TempPathFactory, environ: dict[str, str]
) -> Runs:
    where = tmp_path_factory.mktemp("exit")
    profile = [sys.executable, "-m", "cProfile", "-o", str(where / "profile.out"), "-m", "azpak", "sectors"]
    return Runs([[sys.executable, "-c", WITH_AN_EXIT_HANDLER], profile], env=environment(environ), cwd=where)


@started_early(waiting_for_the_exit)
def test_a_run_something_waits_to_see_end_ends_the_ordinary_way(started: Runs) -> None:
    """An exit handler still runs after the answer, and a profiler of the run still writes its report."""
    handler, profiled = started.results()
    assert handler.returncode == 0, handler.stderr
    assert handler.stdout.startswith("type,id,name,")
    assert handler.stdout.endswith("the exit handler ran\n")
    assert profiled.returncode == 0, profiled.stderr
    assert started.cwd is not None and (started.cwd / "profile.out").stat().st_size > 0
