"""azpak's benchmark: start-up against Typer's own floor; first use (cold cache) against yq on
synthetic bases of both styles (quoted, hand-written) with ms/event; ``graph`` against
``events`` on a warm index; and lookups at 1,000 to 100,000 events against yq.

    python bench/run.py                 # everything (about 10-15 minutes on 2 cores)
    python bench/run.py --sizes 1000    # quicker
    python bench/run.py --runs 20 --yq-runs 3

Every azpak figure is printed beside a reference measured in the same run, as
a ratio of medians, since shared machines drift. Run it from a checkout with
azpak installed in the running interpreter's environment (``pip install -e .``);
it byte-compiles azpak first so that start-up is measured as installed.
Needs ``yq`` (``pip install yq``, which needs ``jq``) for the yq columns;
without it those are skipped.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402

BIN = Path(sys.executable).parent
AZPAK = str(BIN / "azpak")
PYTHON = sys.executable
YQ = shutil.which("yq", path=str(BIN)) or shutil.which("yq")
SHIPPED = HERE.parent / "data" / "facts.yaml"


def run_once(command: list[str], env: dict[str, str], tty: bool = False) -> tuple[float, int, int]:
    """Wall seconds, exit status and peak RSS (KiB) of one run; output discarded (or read from a pty).

    The CPU seconds of the run (user + system) are kept in ``LAST_CPU``: less disturbed than wall
    time by whatever else the machine is doing.
    """
    if tty:
        import pty

        leader, follower = pty.openpty()
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
        os.close(follower)
        reader = threading.Thread(target=_drain, args=(leader,), daemon=True)
        reader.start()
    else:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    process.returncode = os.waitstatus_to_exitcode(status)
    if tty:
        reader.join(timeout=5)
        os.close(leader)
    return elapsed, process.returncode, usage.ru_maxrss


LAST_CPU = [0.0]


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def median_of(command: list[str], env: dict[str, str], runs: int, tty: bool = False) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(runs):
        elapsed, status, peak = run_once(command, env, tty)
        if status != 0:
            raise SystemExit(f"failed ({status}): {' '.join(command)}")
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def paired(
    a: list[str], b: list[str], env: dict[str, str], runs: int, tty: bool = False
) -> tuple[float, float, float, float]:
    """Medians (wall, then CPU) of two commands run alternately, so that drift hits both alike."""
    times_a, times_b, cpu_a, cpu_b = [], [], [], []
    for _ in range(runs):
        for command, times, cpus in ((a, times_a, cpu_a), (b, times_b, cpu_b)):
            elapsed, status, _ = run_once(command, env, tty)
            if status != 0:
                raise SystemExit(f"failed ({status}): {' '.join(command)}")
            times.append(elapsed)
            cpus.append(LAST_CPU[0])
    medians = (statistics.median(x) for x in (times_a, times_b, cpu_a, cpu_b))
    return tuple(medians)  # type: ignore[return-value]


def row(label: str, value: float, reference: float, reference_label: str, target: str) -> None:
    ratio = value / reference if reference else float("nan")
    print(
        f"| {label} | {value * 1000:.0f} ms | {reference_label} {reference * 1000:.0f} ms | {ratio:.2f}x | {target} |"
    )


def floor_row(label: str, measured: tuple[float, float, float, float], reference_label: str, target: str) -> None:
    wall, reference, cpu, reference_cpu = measured
    print(
        f"| {label} | {wall * 1000:.0f} ms | {reference_label} {reference * 1000:.0f} ms | {wall / reference:.2f}x "
        f"| {cpu * 1000:.0f} ms / {reference_cpu * 1000:.0f} ms = {cpu / reference_cpu:.2f}x | {target} |"
    )


def floor(env: dict[str, str], runs: int) -> None:
    print("\n## 1. Start-up floor (medians, runs alternated with the reference)\n")
    print("| command | azpak | reference | ratio (wall) | CPU (user+system): azpak / reference | target |")
    print("|---|---|---|---|---|---|")
    typer_only = [PYTHON, "-c", "import typer"]
    typer_rich = [PYTHON, "-c", "import typer, rich.console, rich.table"]
    subprocess.run([AZPAK, "sources"], env=env, capture_output=True, check=True)  # compile the index first
    who = [AZPAK, "who", "Vugar Mustafayev", "--format", "json"]
    label = '`who "Vugar Mustafayev" --format json`'
    floor_row(label, paired(who, typer_only, env, runs), "`import typer`", "≤ 1.2x")
    # azpak's entry point loads with the collector off and skips the interpreter's teardown: the
    # same treatment of the reference shows what is left once that gain is set aside.
    typer_treated = [PYTHON, "-c", "import gc, os; gc.disable(); import typer; os._exit(0)"]
    reference = "`import typer` (collector off, no teardown)"
    floor_row(label, paired(who, typer_treated, env, runs), reference, "(for comparison)")
    floor_row("`--help`", paired([AZPAK, "--help"], typer_only, env, runs), "`import typer`", "≤ 1.1x")
    events = [AZPAK, "events", "--year", "2025"]
    label = "`events --year 2025` (Rich table on a terminal)"
    floor_row(label, paired(events, typer_rich, env, runs, tty=True), "`import typer, rich`", "≤ 1.3x")
    completion_env = {**env, "_AZPAK_COMPLETE": "complete_bash", "COMP_WORDS": "azpak who Vug", "COMP_CWORD": "2"}
    label = "TAB completion of `who Vug`"
    floor_row(label, paired([AZPAK], typer_only, completion_env, runs), "`import typer`", "≤ 1.3x")


QUERIES = [
    ("events --year 2020", ["events", "--year", "2020"], '[.events[] | select(.date | startswith("2020"))]'),
    (
        'events --person "Vugar Mustafayev"',
        ["events", "--person", "Vugar Mustafayev"],
        '[.events[] | select(any(.participants[]; .person == "person-0"))]',
    ),
    ("events --sector defence", ["events", "--sector", "defence"], '[.events[] | select(.sectors | index("defence"))]'),
    ('who "Vugar Mustafayev"', ["who", "Vugar Mustafayev"], '[.people[] | select(.name == "Vugar Mustafayev")]'),
    ("search fraternal", ["search", "fraternal"], '[.events[] | select(.summary | test("fraternal"; "i"))]'),
    (
        'events --year 2020 --person "Vugar Mustafayev"',
        ["events", "--year", "2020", "--person", "Vugar Mustafayev"],
        '[.events[] | select((.date | startswith("2020")) and any(.participants[]; .person == "person-0"))]',
    ),
]


FIRST_USE_YQ = '[.events[] | select(.date | tostring | startswith("2025"))]'


def synthetic(work: Path, size: int, style: str) -> Path:
    path = work / f"facts-{size}-{style}.yaml"
    if not path.exists():
        with path.open("w", encoding="utf-8") as out:
            out.writelines(generate(size, style=style))
    return path


def first_use(env: dict[str, str], sizes: list[int], runs: int, work: Path, styles: list[str]) -> None:
    """Cold-cache first use against yq on the same file, both styles, runs alternated; ms per event."""
    print("\n## First use, cold cache (both styles of synthetic base; runs alternated with yq)\n")
    if not YQ:
        print("(yq not installed: skipped)")
        return
    print(
        "| events | style | MB | azpak (median) | yq (median) | ratio | CPU: azpak / yq (medians) | azpak ms/event | "
        "peak RSS azpak / yq | index MB (x YAML) | runs | target |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        count = runs if size <= 10_000 else max(3, runs // 2)
        for style in styles:
            path = synthetic(work, size, style)
            cache = work / f"cache-first-{size}-{style}"
            command = [AZPAK, "events", "--year", "2025", "--no-default", "--data", str(path), "--format", "json"]
            reference = [YQ, "-c", FIRST_USE_YQ, str(path)]
            ours, theirs, our_rss, their_rss = [], [], 0, 0
            our_cpu, their_cpu = [], []
            for _ in range(count):
                shutil.rmtree(cache, ignore_errors=True)
                elapsed, status, peak = run_once(command, {**env, "AZPAK_CACHE_DIR": str(cache)})
                if status != 0:
                    raise SystemExit(f"failed ({status}): {' '.join(command)}")
                ours.append(elapsed)
                our_cpu.append(LAST_CPU[0])
                our_rss = max(our_rss, peak)
                elapsed, status, peak = run_once(reference, env)
                if status != 0:
                    raise SystemExit(f"failed ({status}): {' '.join(reference)}")
                theirs.append(elapsed)
                their_cpu.append(LAST_CPU[0])
                their_rss = max(their_rss, peak)
            a, b = statistics.median(ours), statistics.median(theirs)
            cpu_a, cpu_b = statistics.median(our_cpu), statistics.median(their_cpu)
            yaml_bytes = path.stat().st_size
            index_bytes = sum(found.stat().st_size for found in cache.glob("index-*.sqlite"))
            print(
                f"| {size:,} | {style} | {yaml_bytes / 1e6:.1f} | {a * 1000:.0f} ms | {b * 1000:.0f} ms | "
                f"{a / b:.2f}x | {cpu_a * 1000:.0f} / {cpu_b * 1000:.0f} ms = {cpu_a / cpu_b:.2f}x | "
                f"{a * 1000 / size:.3f} | {our_rss / 1024:.0f} / {their_rss / 1024:.0f} MiB | "
                f"{index_bytes / 1e6:.1f} ({index_bytes / yaml_bytes:.2f}x) | {count} | ≤ 0.6x |",
                flush=True,
            )


def graphs(env: dict[str, str], sizes: list[int], runs: int, work: Path) -> None:
    """Warm index: graph (whole, and around a person) against events on the same base."""
    print("\n## Graph, warm index (runs alternated with `events --format json` on the same base)\n")
    print("| events | command | azpak (median) | `events --format json` (median) | ratio | target |")
    print("|---|---|---|---|---|---|")
    for size in sizes:
        path = synthetic(work, size, "quoted")
        data = ["--no-default", "--data", str(path), "--format", "json"]
        graph_env = {**env, "AZPAK_CACHE_DIR": str(work / f"cache-graph-{size}")}
        subprocess.run([AZPAK, "sources", *data], env=graph_env, capture_output=True, check=True)
        count = runs if size <= 10_000 else 1
        events = [AZPAK, "events", *data]
        for label, args in (
            ("`graph --format json`", ["graph"]),
            ('`graph --around "Vugar Mustafayev" --format json`', ["graph", "--around", "Vugar Mustafayev"]),
        ):
            wall, reference, _, _ = paired([AZPAK, *args, *data], events, graph_env, count)
            print(
                f"| {size:,} | {label} | {wall * 1000:.0f} ms | {reference * 1000:.0f} ms | {wall / reference:.2f}x "
                f"| ≤ 2x |",
                flush=True,
            )


def scale(env: dict[str, str], sizes: list[int], runs: int, yq_runs: int, work: Path) -> None:
    print("\n## 2-4. Lookups at scale (JSON output; --no-default --data FILE)\n")
    shipped = ["--no-default", "--data", str(SHIPPED), "--format", "json"]
    baseline: dict[str, float] = {}
    for label, args, _ in QUERIES:
        baseline[label], _ = median_of([AZPAK, *args, *shipped], env, runs)
    for size in sizes:
        path = synthetic(work, size, "quoted")
        megabytes = path.stat().st_size / 1e6
        data = ["--no-default", "--data", str(path), "--format", "json"]
        print(f"\n### {size:,} events ({megabytes:.1f} MB of YAML)\n")
        compile_env = {**env, "AZPAK_CACHE_DIR": str(work / f"cache-{size}")}
        first, status, first_rss = run_once([AZPAK, "sources", *data], compile_env)
        if status != 0:
            raise SystemExit(f"compiling {path} failed with exit status {status}")
        print("| measure | azpak | reference | ratio | target |")
        print("|---|---|---|---|---|")
        yq_time = yq_rss = None
        if YQ:
            yq_time, _, yq_rss = run_once([YQ, QUERIES[1][2], str(path)], env)
            row("first use (compile)", first, yq_time, "yq, same file", "≤ 1.1x")
            print(
                f"| peak RSS, first use | {first_rss / 1024:.0f} MiB | yq {yq_rss / 1024:.0f} MiB | "
                f"{first_rss / yq_rss:.2f}x | below yq |"
            )
        else:
            print(f"| first use (compile) | {first * 1000:.0f} ms | (yq not installed) | | |")
        for label, args, selection in QUERIES:
            value, peak = median_of([AZPAK, *args, *data], compile_env, runs)
            count = subprocess.run(
                [AZPAK, *args, *data[:-2], "--format", "jsonl"], env=compile_env, capture_output=True, text=True
            ).stdout.count("\n")
            row(f"`{label}` ({count} rows)", value, baseline[label], "same on shipped facts", "≤ 1.5x")
            if YQ and (size <= 10_000 or label == QUERIES[1][0]):
                yq_median, _ = median_of([YQ, selection, str(path)], env, yq_runs if size > 10_000 else runs)
                print(
                    f"| `{label}` vs yq | {value * 1000:.0f} ms | yq {yq_median * 1000:.0f} ms | "
                    f"{yq_median / value:.0f}x faster | ≥ 20x faster |"
                )
            if size == max(sizes):
                print(f"| peak RSS, `{label}` | {peak / 1024:.0f} MiB | | | < 150 MiB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="runs per median (default 10)")
    parser.add_argument("--yq-runs", type=int, default=1, help="yq runs per median above 10,000 events (default 1)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x], default=[1000, 10_000, 100_000])
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--skip-lookups", action="store_true", help="skip the lookups at scale")
    parser.add_argument("--skip-graph", action="store_true", help="skip graph against events")
    parser.add_argument(
        "--styles",
        type=lambda s: [x for x in s.split(",") if x],
        default=["quoted", "hand"],
        help="styles of synthetic base for first use (default quoted,hand)",
    )
    parser.add_argument("--first-use-runs", type=int, default=5, help="alternated runs up to 10,000 events (default 5)")
    parser.add_argument("--graph-runs", type=int, default=5, help="alternated graph runs up to 10,000 events")
    options = parser.parse_args()
    compileall.compile_dir(str(Path(__import__("azpak").__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {
            **os.environ,
            "AZPAK_CACHE_DIR": str(work / "cache"),
            "NO_COLOR": "1",
            "COLUMNS": "120",
            "PYTHONDONTWRITEBYTECODE": "",
        }
        env.pop("AZPAK_DATA", None)
        env.pop("AZPAK_NO_CACHE", None)
        print(f"# azpak benchmark, {time.strftime('%Y-%m-%d')}")
        print(
            f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; medians of {options.runs} runs."
        )
        if not options.skip_floor:
            floor(env, options.runs)
        if options.sizes:
            first_use(env, options.sizes, options.first_use_runs, work, options.styles)
            if not options.skip_graph:
                graphs(env, options.sizes, options.graph_runs, work)
            if not options.skip_lookups:
                scale(env, options.sizes, options.runs, options.yq_runs, work)


if __name__ == "__main__":
    main()
