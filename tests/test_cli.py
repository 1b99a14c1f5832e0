"""The `hotgigs` command line: serve end to end, users, migrate, keygen."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from hotgigs.cli import app
from hotgigs.config import get_settings
from tests.support.processes import free_port, is_running, kill_group, start, wait_for

runner = CliRunner()


@pytest.mark.worker
def test_serve_starts_everything_answers_health_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    process = start(["serve", "--host", "127.0.0.1", "--port", str(port)], log=log)
    url = f"http://127.0.0.1:{port}"
    try:

        def healthy() -> dict | None:
            try:
                body = httpx.get(f"{url}/api/health", timeout=2).json()
            except httpx.HTTPError:
                return None
            return body if body["worker"]["status"] == "ok" else None

        body = wait_for(healthy, timeout=90, what="serve to report a live worker")
        assert body["status"] == "ok"
        assert httpx.get(f"{url}/docs", timeout=5).status_code == 200
        assert httpx.get(f"{url}/openapi.json", timeout=5).json()["info"]["title"]
        wait_for(lambda: f"running at {url}" in log.read_text(), timeout=10, what="the URL")

        started = re.findall(r"started ([\w-]+) \(pid (\d+)\)", log.read_text())
        children = [int(pid) for _name, pid in started]
        # API_PROCESSES API processes (a core each by default), worker, matcher, scheduler
        api_processes = get_settings().api_processes
        assert len(children) == api_processes + 3
        assert sum(name.startswith("api") for name, _pid in started) == api_processes
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert not [pid for pid in children if is_running(pid)]
        assert "all stopped" in log.read_text()
    finally:
        kill_group(process)


@pytest.mark.worker
def test_supervisor_restarts_a_crashed_child_and_gives_up_on_a_broken_one() -> None:
    from hotgigs.supervisor import Child, Supervisor

    said: list[str] = []
    sleeper = Child("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    broken = Child("broken", [sys.executable, "-c", "raise SystemExit(3)"])
    supervisor = Supervisor([sleeper, broken], say=said.append, stop_timeout=5)
    assert supervisor.run() == 1
    assert sum("restarted broken" in line for line in said) == 2
    assert "broken exited 3 times right after starting (last exit code 3)" in said[-1]
    assert sleeper.process.poll() is not None  # stopped with everything else


SUPERVISE_A_SLEEPER = """
import sys
from hotgigs.supervisor import Child, Supervisor
sleeper = Child("sleeper", [sys.executable, "-c", "import time; time.sleep(120)"])
Supervisor([sleeper], say=lambda line: print(line, flush=True)).run()
"""


def test_children_stop_when_the_supervisor_is_killed_outright(tmp_path: Path) -> None:
    log = tmp_path / "supervisor.log"
    with log.open("wb") as out:
        supervisor = subprocess.Popen(
            [sys.executable, "-c", SUPERVISE_A_SLEEPER], stdout=out, start_new_session=True
        )
    try:
        found = wait_for(
            lambda: re.search(r"started sleeper \(pid (\d+)\)", log.read_text()),
            timeout=30,
            what="the child to start",
        )
        child = int(found.group(1))
        assert is_running(child)
        supervisor.send_signal(signal.SIGKILL)
        supervisor.wait(timeout=10)
        wait_for(lambda: not is_running(child), timeout=10, what="the orphaned child to stop")
    finally:
        kill_group(supervisor)


def test_users_create_and_list() -> None:
    created = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "Boss@Example.com",
            "--password",
            "long-enough-phrase",
            "--role",
            "admin",
        ],
    )
    assert created.exit_code == 0, created.output
    assert "created admin boss@example.com" in created.output
    listed = runner.invoke(app, ["users", "list"])
    assert "boss@example.com" in listed.output and "admin" in listed.output


def test_users_create_rejects_bad_input_and_duplicates() -> None:
    bad = runner.invoke(
        app, ["users", "create", "--email", "nope", "--password", "long-enough-phrase"]
    )
    assert bad.exit_code == 2
    assert "email" in bad.output
    bad_role = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "a@example.com",
            "--password",
            "long-enough-phrase",
            "--role",
            "god",
        ],
    )
    assert bad_role.exit_code == 2
    args = ["users", "create", "--email", "a@example.com", "--password", "long-enough-phrase"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_migrate_is_idempotent() -> None:
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "head" in result.output


def test_keygen_prints_usable_keys(tmp_path: Path) -> None:
    from hotgigs.config import Settings

    output = runner.invoke(app, ["keygen"]).output
    values = dict(line.split("=", 1) for line in output.strip().splitlines())
    settings = Settings(
        _env_file=None,
        hotgigs_home=tmp_path,
        environment="production",
        secret_key=values["SECRET_KEY"],
        file_encryption_key=values["FILE_ENCRYPTION_KEY"],
    )
    assert settings.environment == "production"


@pytest.mark.worker
def test_serve_refuses_weak_production_secret(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    process = start(
        ["serve", "--port", str(free_port())],
        log=log,
        env={"ENVIRONMENT": "production", "SECRET_KEY": "short", "HOTGIGS_HOME": str(tmp_path)},
    )
    try:
        assert process.wait(timeout=30) == 2
        assert "SECRET_KEY must be set" in log.read_text()
    finally:
        kill_group(process)


def test_parse_prints_one_json_line_per_file_and_goes_on_after_errors(tmp_path: Path) -> None:
    import json

    from tests.support import documents
    from tests.support.sample_resumes import sample_resume

    good = tmp_path / "good.pdf"
    good.write_bytes(documents.make_pdf(sample_resume(email="cli@example.com")))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"MZ not a resume at all, an executable")
    result = runner.invoke(app, ["parse", str(good), str(bad), str(tmp_path / "missing.pdf")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(bad), str(tmp_path / "missing.pdf")]
    assert lines[0]["resume"]["basics"]["email"] == "cli@example.com"
    assert "not supported" in lines[1]["error"] or "recognised" in lines[1]["error"]
    assert "Cannot read" in lines[2]["error"]
    all_bad = runner.invoke(app, ["parse", str(bad)])
    assert all_bad.exit_code == 1


@pytest.mark.worker
def test_import_walks_folders_and_zips_through_the_queue(tmp_path: Path, make_user) -> None:
    import zipfile

    from hotgigs.auth.models import Role
    from tests.support import documents
    from tests.support.sample_resumes import sample_resume

    owner = make_user(Role.RECRUITER)
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.pdf").write_bytes(
        documents.make_pdf(
            sample_resume(name="Ann Lee", email="ann@example.com", phone="+1 212 555 0101")
        )
    )
    (folder / "sub" / "b.docx").write_bytes(
        documents.make_docx(
            sample_resume(name="Bob Stone", email="bob@example.com", phone="+1 212 555 0102")
        )
    )
    (folder / "broken.pdf").write_bytes(documents.make_truncated_pdf())
    (folder / "notes.exe").write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    with zipfile.ZipFile(folder / "batch.zip", "w") as archive:
        archive.writestr(
            "c.txt",
            "\n".join(
                sample_resume(name="Cy Young", email="cy@example.com", phone="+1 212 555 0103")
            ),
        )

    result = runner.invoke(app, ["import", str(folder), "--owner", owner.email])
    assert result.exit_code == 0, result.output
    assert "imported 3, duplicates 0, failed 2" in result.output
    again = runner.invoke(app, ["import", str(folder), "--owner", owner.email])
    # The broken file is tried again (and fails again); the rest are known already.
    assert "imported 0, duplicates 3, failed 2" in again.output


def test_import_needs_a_known_owner(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path), "--owner", "ghost@example.com"])
    assert result.exit_code == 2
    assert "No account" in result.output


def test_eval_reports_every_label_and_ends_with_micro_f1() -> None:
    data = Path(__file__).resolve().parents[2] / "shared/data/resumes-labelled/dotin-train.jsonl"
    if not data.is_file():
        pytest.skip(f"labelled data not found at {data}")
    result = runner.invoke(app, ["eval", "--data", str(data), "--split", "eval", "--limit", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert re.fullmatch(r"micro_f1 [01]\.\d{3}", lines[-1])
    for label in ("Name", "Email Address", "Companies worked at", "Degree", "Graduation Year"):
        assert any(line.startswith(label) for line in lines), label
    bad = runner.invoke(app, ["eval", "--data", str(data), "--split", "test"])
    assert bad.exit_code == 2


def test_train_idf_fits_the_fallback_on_the_training_part_only(tmp_path) -> None:
    import json

    data = tmp_path / "labelled.jsonl"
    rows = [
        {"id": "dotin-1", "text": "java developer spring", "entities": []},
        {"id": "dotin-2", "text": "java teacher", "entities": []},
        {"id": "dotin-300", "text": "kubernetes kubernetes", "entities": []},  # eval part
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "idf.json"
    result = runner.invoke(app, ["train-idf", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    weights = json.loads(out.read_text())
    assert weights["documents"] == 2
    assert len(weights["idf"]) == weights["features"] == 2048
    # a word in every training resume weighs least; one only in the eval part is unseen
    assert min(weights["idf"]) == pytest.approx(1.0)
    missing = runner.invoke(app, ["train-idf", "--data", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2


@pytest.mark.worker
def test_what_the_product_creates_is_private_to_its_user(tmp_path: Path) -> None:
    home = tmp_path / "new-home"
    log = tmp_path / "migrate.log"
    env = {"HOTGIGS_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'hotgigs.db'}"}
    for key in ("SECRET_KEY", "FILE_ENCRYPTION_KEY"):
        env[key] = ""  # generated and kept in the new home
    process = start(["migrate"], log=log, env=env)
    assert process.wait(timeout=120) == 0, log.read_text()
    assert home.stat().st_mode & 0o777 == 0o700
    created = [path for path in home.rglob("*") if path.is_file()]
    assert home / "hotgigs.db" in created
    assert {path.name: path.stat().st_mode & 0o777 for path in created} == {
        path.name: 0o600 for path in created
    }


@pytest.mark.parametrize(
    "command",
    [
        ["users", "create", "--email", "first@example.com", "--password", "Xyzzy-Plugh-42!"],
        ["users", "list"],
        ["reparse"],
    ],
)
@pytest.mark.worker
def test_a_command_run_where_there_is_no_database_says_where_it_looked(
    tmp_path: Path, command: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HOTGIGS_HOME")}
    done = subprocess.run(
        [sys.executable, "-m", "hotgigs", *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "No HotGigs database here: there is no database file." in output
    assert f"Looked at sqlite:///{tmp_path / 'hotgigs-data' / 'hotgigs.db'}" in output
    assert "hotgigs migrate" in output and "HOTGIGS_HOME" in output
    assert "Traceback" not in output
    assert list(tmp_path.iterdir()) == []  # no data folder left behind
