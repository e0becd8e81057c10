"""How long `rasd` takes to start: quick commands against `python -c "import sqlite3"`.

An analyst types `rasd status` or `rasd matches` many times a day; they should answer as fast as
a Python that only opens SQLite. Each repetition runs every command once, in turn, so that the
machine's load falls on all of them alike; the table shows medians and their ratio to the
sqlite3 baseline of the same run (goal: <= 5x); `import sqlite_utils` is shown for reference,
as the store's library. The database is a small real one: the seed articles replayed once.
Then the imports that cost `rasd status` the most (-X importtime).

    .venv/bin/python benchmarks/startup.py [REPETITIONS]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL = 5.0


def rasd(*args: str) -> list[str]:
    return [sys.executable, "-m", "rasd", *args]


def wall_time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def slowest_imports(command: list[str], env: dict[str, str], count: int = 8) -> list[str]:
    """The packages `command` imports with the largest cumulative time (a package imported
    by another counts in both)."""
    result = subprocess.run([sys.executable, "-X", "importtime", *command[1:]], env=env,
                            capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        name = fields[-1].strip()
        if len(fields) == 3 and fields[1].strip().isdigit() and "." not in name.lstrip("_"):
            rows.append((int(fields[1]), name))
    return [f"{us / 1000:7.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:count]]


def main(repetitions: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("RASD_DB", None)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "rasd.db")
        subprocess.run(rasd("replay", str(REPO / "seeds"), "--db", db), env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        commands = {
            'python -c "import sqlite3"': [sys.executable, "-c", "import sqlite3"],
            'python -c "import sqlite_utils"': [sys.executable, "-c", "import sqlite_utils"],
            "rasd --version": rasd("--version"),
            "rasd status": rasd("status", "--db", db),
            "rasd matches": rasd("matches", "--db", db),
            "rasd --help": rasd("--help"),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():   # warm the file cache once
            wall_time(command, env)
        for _ in range(repetitions):
            for name, command in commands.items():
                times[name].append(wall_time(command, env))
        imports = slowest_imports(commands["rasd status"], env)

    baseline = statistics.median(times['python -c "import sqlite3"'])
    print(f"startup, median of {repetitions} runs (ratio to the sqlite3 baseline; "
          f"goal <= {GOAL:g}x)")
    print(f"{'command':33} {'median':>9} {'ratio':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / baseline
        verdict = "" if name.startswith("python") else ("ok" if ratio <= GOAL else "over")
        print(f"{name:33} {median * 1000:7.0f}ms {ratio:6.1f}x  {verdict}")
    print("\nslowest imports of `rasd status` (cumulative, one run):")
    print("\n".join(imports))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
