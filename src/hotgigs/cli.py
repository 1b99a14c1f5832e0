"""The `hotgigs` command line: run the product, manage users, parse, import, evaluate, train."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated

import httpx
import typer
from cryptography.fernet import Fernet
from rich.console import Console
from rich.table import Table

from hotgigs.config import ConfigurationError, Settings, get_settings

app = typer.Typer(help="HotGigs resume import.", no_args_is_help=True)


@app.callback()
def private_files() -> None:
    """HotGigs resume import."""
    # Every file the product creates (database and its WAL, queue, files, secrets, the
    # HOTGIGS_HOME folder itself) holds personal data or keys: its user's alone (0600/0700).
    os.umask(0o077)


users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
_STARTED = time.time()  # files older than this were not made by this command
console = Console()
errors = Console(stderr=True)

HostOption = Annotated[str | None, typer.Option(help="Interface to listen on [default: HOST].")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on [default: PORT].")]
# How long an idle connection stays open. uvicorn's 5 s closed the connection of anyone who
# paused longer between clicks, and a request sent just as it closed failed (ReadError or
# RemoteProtocolError in bench/load.py); above a proxy's usual 60 s upstream keep-alive, so
# the proxy, not the API, is the side that closes.
KEEP_ALIVE_SECONDS = 75
# Clients only send small requests (ping, catch_up) over the socket.
WS_MAX_MESSAGE_BYTES = 64 * 1024
# On one machine, imports and matching take the CPU the API leaves: at niceness 10 a busy
# worker still gets about a tenth of a core from a busy API, and all of an idle one.
BACKGROUND_NICE = 10
# Math libraries' thread pools (torch, BLAS): a worker process uses one thread, since the
# worker's concurrency already runs a process per core; more threads per process only
# contend, and under contention their spinning threads made one embedding 0.1 s -> 0.8 s.
SINGLE_THREADED_MATH = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def _database() -> Settings:
    """Settings of an installation whose database is ready, or where we looked and what to
    do (exit code 2): a command run from the wrong folder must not fail in a traceback."""
    from sqlalchemy.engine import make_url

    from hotgigs.db import missing_database

    settings = _settings()
    problem = missing_database(settings.sqlalchemy_url)
    if problem is None:
        return settings
    _forget_new_home(settings.hotgigs_home)
    where = make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
    errors.print(
        f"[bold red]No HotGigs database here:[/] {problem}.\n"
        f"Looked at {where} (HOTGIGS_HOME={settings.hotgigs_home}, from {Path.cwd()}).\n"
        "Run this command in the folder you started `make run` or `hotgigs serve` in, or "
        "set HOTGIGS_HOME (or DATABASE_URL) to that installation. To start a new "
        "installation here, run `hotgigs migrate` first.",
        soft_wrap=True,
    )
    raise typer.Exit(2)


def _forget_new_home(home: Path) -> None:
    """Remove the data folder this very command created (it only holds the development
    keys generated a moment ago), so a command run in the wrong place leaves nothing."""
    keys = [home / "secret_key", home / "file_encryption_key"]
    try:
        if set(home.iterdir()) - set(keys):
            return
        # (a file clock may lag the wall clock by a tick: allow a few milliseconds)
        if any(key.stat().st_mtime < _STARTED - 0.05 for key in keys if key.exists()):
            return
        for key in keys:
            key.unlink(missing_ok=True)
        home.rmdir()
    except OSError:
        return


def _settings() -> Settings:
    """Settings, or a clear message and exit code 2 when they are unusable."""
    try:
        return get_settings()
    except ConfigurationError as exc:
        errors.print(f"[bold red]Configuration error:[/] {exc}")
        raise typer.Exit(2) from None


@app.command()
def serve(host: HostOption = None, port: PortOption = None) -> None:
    """Run everything on this machine: migrations, then the API processes, workers, scheduler."""
    from hotgigs import migrations, serving
    from hotgigs.supervisor import Child, Supervisor, hotgigs_command

    settings = _settings()
    host, port = host or settings.host, port or settings.port
    console.print(f"data in [bold]{settings.hotgigs_home}[/]; migrating the database")
    migrations.upgrade()
    url = f"http://{host}:{port}"
    try:
        listener = serving.listen(host, port)
    except OSError as exc:
        errors.print(f"[bold red]Cannot listen on {host}:{port}:[/] {exc.strerror or exc}")
        raise typer.Exit(1) from None
    children = [
        *serving.api_children(settings, listener),
        Child("worker", hotgigs_command("worker", "--queues", "hotgigs"), nice=BACKGROUND_NICE),
        Child(
            "matcher",
            hotgigs_command("worker", "--queues", "hotgigs.matching", "--concurrency", "1"),
            nice=BACKGROUND_NICE,
        ),
        Child("scheduler", hotgigs_command("beat"), nice=BACKGROUND_NICE),
    ]
    announced = False

    def announce_when_up() -> None:
        nonlocal announced
        if announced:
            return
        try:
            httpx.get(f"{url}/api/health", timeout=0.5)
        except httpx.HTTPError:
            return
        announced = True
        console.print(
            f"[bold green]HotGigs is running at {url}[/] (API docs: {url}/docs)", soft_wrap=True
        )

    supervisor = Supervisor(children, say=lambda text: console.print(f"[dim]serve:[/] {text}"))
    raise typer.Exit(supervisor.run(on_tick=announce_when_up))


@app.command()
def api(
    host: HostOption = None,
    port: PortOption = None,
    migrate: Annotated[bool, typer.Option(help="Apply migrations before starting.")] = False,
    fd: Annotated[
        int | None,
        typer.Option(
            help="Accept on this inherited listening socket instead (serve's).", hidden=True
        ),
    ] = None,
) -> None:
    """Run only the HTTP API (scale-out: run several behind a proxy)."""
    import uvicorn

    from hotgigs import migrations
    from hotgigs.logs import configure_logging

    settings = _settings()
    configure_logging(settings)
    if migrate:
        migrations.upgrade()
    config = uvicorn.Config(
        "hotgigs.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        # Logging is ours (JSON with request ids); the app writes its own access lines.
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        ws_ping_interval=settings.ws_ping_interval,
        ws_ping_timeout=settings.ws_ping_timeout,
        ws_max_size=WS_MAX_MESSAGE_BYTES,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    server = uvicorn.Server(config)
    # (uvicorn's own --fd takes a Unix socket: a TCP one is handed over as a socket object.)
    server.run(sockets=None if fd is None else [socket.socket(fileno=fd)])
    if not server.started:
        raise typer.Exit(3)  # as uvicorn.run exits when start-up fails


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    queues: Annotated[
        str,
        typer.Option(
            help="Queues to take tasks from, comma-separated: hotgigs (imports, Drive, "
            "housekeeping) and hotgigs.matching (rematching)."
        ),
    ] = "hotgigs,hotgigs.matching",
) -> None:
    """Run only a background worker."""
    for name in SINGLE_THREADED_MATH:  # before the pool's processes load the libraries
        os.environ.setdefault(name, "1")
    from hotgigs.background import QUEUES
    from hotgigs.worker import celery_app

    settings = _settings()
    chosen = [q.strip() for q in queues.split(",") if q.strip()]
    if not chosen or set(chosen) - set(QUEUES):
        errors.print(f"[bold red]--queues takes {', '.join(QUEUES)}.[/]")
        raise typer.Exit(2)
    celery_app.worker_main(
        [
            "worker",
            f"--loglevel={settings.log_level.upper()}",
            f"--concurrency={concurrency or settings.worker_concurrency}",
            f"--queues={','.join(chosen)}",
        ]
    )


@app.command()
def beat() -> None:
    """Run only the scheduler (exactly one per installation)."""
    from hotgigs.worker import celery_app

    settings = _settings()
    celery_app.start(["beat", f"--loglevel={settings.log_level.upper()}"])


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    downgrade: Annotated[bool, typer.Option(help="Go down to REVISION instead of up.")] = False,
) -> None:
    """Apply (or revert) database migrations."""
    from hotgigs import migrations

    _settings()
    if downgrade:
        migrations.downgrade(revision)
    else:
        migrations.upgrade(revision)
    console.print(f"database at revision {revision}")


@app.command()
def keygen() -> None:
    """Print a fresh SECRET_KEY and FILE_ENCRYPTION_KEY for a production .env."""
    console.print(f"SECRET_KEY={secrets.token_urlsafe(48)}", soft_wrap=True)
    console.print(f"FILE_ENCRYPTION_KEY={Fernet.generate_key().decode()}", soft_wrap=True)


@app.command("parse")
def parse_files(
    files: Annotated[list[Path], typer.Argument(help="Resume files to parse.")],
) -> None:
    """Parse resumes locally and print one JSON line a file (no database, no server)."""
    from hotgigs.resumes import extraction
    from hotgigs.resumes.flows import extract_resume_text, parse_resume_text

    settings = _settings()
    failures = 0
    for path in files:
        line: dict = {"file": str(path)}
        try:
            if path.stat().st_size > settings.max_upload_bytes:
                raise extraction.ExtractionError(
                    "too_large", f"The file is larger than the {settings.max_upload_mb} MB limit."
                )
            extracted = extract_resume_text(path.read_bytes(), settings)
            line["resume"] = parse_resume_text(extracted.text, settings).resume
        except OSError as exc:
            line["error"] = f"Cannot read the file: {exc.strerror or exc}."
        except extraction.ExtractionError as exc:
            line["error"] = str(exc)
        failures += "error" in line
        print(json.dumps(line, ensure_ascii=False))
    if files and failures == len(files):
        raise typer.Exit(1)


DEFAULT_LABELLED_DATA = Path("../shared/data/resumes-labelled/dotin-train.jsonl")


@app.command("eval")
def evaluate_parser(
    data: Annotated[Path, typer.Option(help="Labelled resumes (JSON lines).")] = (
        DEFAULT_LABELLED_DATA
    ),
    truth: Annotated[
        Path | None,
        typer.Option(help="JSON Resume truth (truth.jsonl of a rendered corpus) instead."),
    ] = None,
    split: Annotated[
        str | None,
        typer.Option(help="train, eval or all (dotin); train, dev or all (--truth)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N records.")] = None,
    folds: Annotated[
        int | None,
        typer.Option(help="With --truth: K-fold cross-validation by person (K from 2 to 10)."),
    ] = None,
    corrections: Annotated[
        bool,
        typer.Option(
            "--corrections",
            help="Score on this installation's corrected resumes (--split held-out, train "
            "or all): the corrected fields, shipped model against the installation's.",
        ),
    ] = False,
) -> None:
    """Precision, recall and F1 per label of the local parser; ends with `micro_f1`."""
    if corrections:
        _evaluate_corrections(split or "held-out", limit)
        return
    if truth is not None:
        _evaluate_corpus(truth, split or "dev", limit, folds)
        return
    from hotgigs.evaluation import labelled as evaluation

    split = split or "eval"
    if split not in ("train", "eval", "all"):
        errors.print("[bold red]--split must be train, eval or all.[/]")
        raise typer.Exit(2)
    if not data.is_file():
        errors.print(f"[bold red]No labelled data at {data}.[/]")
        raise typer.Exit(2)
    records = evaluation.split(evaluation.load_records(data), split)[:limit]
    report = evaluation.evaluate(records, evaluation.parse_predict)
    print(evaluation.format_report(report, f"hotgigs parser on {split} ({len(records)} resumes)"))


def _evaluate_corpus(truth: Path, split: str, limit: int | None, folds: int | None) -> None:
    """Score real documents through the upload path (extraction, then parsing)."""
    from hotgigs.evaluation import corpus
    from hotgigs.resumes import extraction
    from hotgigs.resumes.flows import extract_resume_text, parse_resume_text

    if split not in corpus.SPLITS:
        errors.print("[bold red]--split must be train, dev or all with --truth.[/]")
        raise typer.Exit(2)
    if not truth.is_file():
        errors.print(f"[bold red]No truth file at {truth}.[/]")
        raise typer.Exit(2)
    settings = _settings()

    def predict(doc: corpus.Document) -> dict:
        try:
            extracted = extract_resume_text(doc.path.read_bytes(), settings)
        except extraction.ExtractionError:
            return {}  # an upload that fails extraction yields nothing to score
        return parse_resume_text(extracted.text, settings).resume

    docs = corpus.load_corpus(truth, split)[:limit]  # type: ignore[arg-type]
    if folds is not None and not 2 <= folds <= 10:
        errors.print("[bold red]--folds must be from 2 to 10.[/]")
        raise typer.Exit(2)
    results = corpus.run(docs, predict)
    title = f"hotgigs parser on {split} ({len(results)} documents)"
    if folds:
        # Nothing is trained on this corpus: each fold is as unseen as `dev`; the folds
        # show how much the figure moves from one set of people to another.
        print(corpus.format_folds(results, folds, f"{title}, {folds} folds by person"))
    else:
        print(corpus.format_report(results, title))


def _evaluate_corrections(split: str, limit: int | None) -> None:
    """Score the shipped and the installation's model on the fields people corrected."""
    from hotgigs.evaluation import corrected
    from hotgigs.resumes.flows import installation_model
    from hotgigs.training import corrections

    if split not in corrections.PARTS:
        errors.print("[bold red]--split must be held-out, train or all with --corrections.[/]")
        raise typer.Exit(2)
    settings = _settings()
    docs = _corrected_documents(split)[:limit]
    own = installation_model(settings.parser_model_file)
    print(
        corrected.format_report(docs, own, f"corrected fields, {split} part ({len(docs)} resumes)")
    )


@app.command("train")
def train_parser(
    data: Annotated[Path, typer.Option(help="Labelled resumes (JSON lines).")] = (
        DEFAULT_LABELLED_DATA
    ),
    out: Annotated[Path | None, typer.Option(help="Where to write the model.")] = None,
    iterations: Annotated[int, typer.Option(help="Training iterations.")] = 100,
    with_corrections: Annotated[
        bool,
        typer.Option(
            "--with-corrections",
            help="Add this installation's corrections (their training part); the model goes "
            "to PARSER_MODEL_PATH (default HOTGIGS_HOME/parser/) and imports use it at once.",
        ),
    ] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N labelled resumes.")] = None,
) -> None:
    """Train the parser's learned component on the training part only (CPU, minutes)."""
    from hotgigs.parsing import model
    from hotgigs.training import corrections, tagger

    if not data.is_file():
        errors.print(f"[bold red]No labelled data at {data}.[/]")
        raise typer.Exit(2)
    records = tagger.training_records(data)[:limit]
    corrected: dict[str, int] = {}
    if with_corrections:
        docs = _corrected_documents("train")
        records += [doc.record for doc in docs]
        corrected = corrections.label_counts(docs)
        console.print(
            f"{len(docs)} corrected resumes added; corrected labels: {corrected or 'none'}"
        )
        target = out or _settings().parser_model_file
    else:
        target = out or Path(str(resources.files("hotgigs.parsing") / "data" / model.MODEL_FILE))
    started = time.perf_counter()
    report = tagger.train(
        records,
        target,
        iterations=iterations,
        corrections=corrected,
        progress=lambda line: console.print(f"[dim]{line}[/]"),
    )
    console.print(report)
    console.print(f"model written to {target} in {time.perf_counter() - started:.0f} s")


def _corrected_documents(part: str) -> list:
    """The installation's corrected resumes of one part (training/corrections.py)."""
    from hotgigs.db import session_scope
    from hotgigs.training import corrections

    _database()
    with session_scope() as session:
        return corrections.corrected_documents(session, part)  # type: ignore[arg-type]


@app.command("reparse")
def reparse_resumes() -> None:
    """Read every profile's resume again with today's parser (after an upgrade or `train
    --with-corrections`); people's corrections stay over the new reading."""
    from sqlalchemy import select

    from hotgigs.candidates.models import Candidate
    from hotgigs.db import session_scope
    from hotgigs.resumes.flows import reparse

    settings = _database()
    with session_scope() as session:
        ids = list(
            session.scalars(
                select(Candidate.current_resume_id).where(Candidate.current_resume_id.is_not(None))
            )
        )
    done = sum(reparse(resume_id, settings=settings) for resume_id in ids)
    console.print(f"re-read {done} of {len(ids)} resumes")


@app.command("train-idf")
def train_idf(
    data: Annotated[Path, typer.Option(help="Labelled resumes (JSON lines).")] = (
        DEFAULT_LABELLED_DATA
    ),
    out: Annotated[Path | None, typer.Option(help="Where to write the weights.")] = None,
) -> None:
    """Fit matching's hashed TF-IDF fallback (IDF weights) on the training part only."""
    from hotgigs.evaluation import labelled as evaluation
    from hotgigs.matching import semantic

    if not data.is_file():
        errors.print(f"[bold red]No labelled data at {data}.[/]")
        raise typer.Exit(2)
    records = evaluation.split(evaluation.load_records(data), "train")
    target = semantic.fit_idf((r.text for r in records), out)
    console.print(f"IDF of {len(records)} training resumes written to {target}")


@app.command("import")
def import_files(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders (recursive), zip archives.")],
    owner: Annotated[
        str | None, typer.Option(help="Email of the owning recruiter [default: first admin].")
    ] = None,
    wait: Annotated[bool, typer.Option(help="Wait for processing and show progress.")] = True,
) -> None:
    """Import resumes through the background queue, with progress and a final table."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from hotgigs.db import session_scope
    from hotgigs.resumes import flows as resumes_flows
    from hotgigs.resumes import service as resumes_service
    from hotgigs.resumes.models import ResumeSource
    from hotgigs.resumes.sources import iter_files

    settings = _database()
    rows: list[tuple[str, str, str]] = []  # (file, outcome, detail)
    queued: dict[str, str] = {}  # resume id -> file name
    with session_scope() as session:
        uploader = _import_owner(session, owner)
        for incoming in iter_files(paths, max_bytes=settings.max_upload_bytes):
            if incoming.error:
                rows.append((incoming.name, "failed", incoming.error))
                continue
            try:
                outcome = resumes_flows.submit(
                    session,
                    settings=settings,
                    uploader=uploader,
                    data=incoming.data,
                    filename=Path(incoming.name.split(":")[-1]).name,
                    source=ResumeSource.CLI,
                )
            except resumes_service.UploadRejected as exc:
                rows.append((incoming.name, "failed", str(exc)))
                continue
            if outcome.duplicate:
                rows.append(
                    (incoming.name, "duplicate", f"already imported as {outcome.resume.id}")
                )
            else:
                queued[str(outcome.resume.id)] = incoming.name
    if wait and queued:
        with (
            _worker_running(settings),
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as progress,
        ):
            bar = progress.add_task("importing", total=len(queued))
            pending = dict(queued)
            while pending:
                with session_scope() as session:
                    for resume in resumes_service.finished(session, list(pending)):
                        name = pending.pop(str(resume.id))
                        outcome = "imported" if resume.status.value == "completed" else "failed"
                        detail = str(resume.candidate_id) if outcome == "imported" else resume.error
                        rows.append((name, outcome, detail or ""))
                progress.update(bar, completed=len(queued) - len(pending))
                if pending:
                    time.sleep(0.2)
    elif queued:
        rows += [(name, "queued", rid) for rid, name in queued.items()]
    _print_import_table(rows)
    if rows and all(outcome == "failed" for _, outcome, _ in rows):
        raise typer.Exit(1)


def _import_owner(session, email: str | None):
    """The account imported resumes belong to."""
    from hotgigs.auth import service as auth_service
    from hotgigs.auth.models import Role

    if email:
        user = auth_service.user_by_email(session, email=email)
        if user is None:
            errors.print(f"[bold red]No account with email {email}.[/]")
            raise typer.Exit(2)
        return user
    admins = auth_service.list_users(session, role=Role.ADMIN)
    if not admins:
        errors.print("[bold red]No admin account yet:[/] create one or pass --owner EMAIL.")
        raise typer.Exit(2)
    return admins[0]


@contextlib.contextmanager
def _worker_running(settings: Settings) -> Iterator[None]:
    """Start a temporary worker when none is alive, and stop it afterwards."""
    from hotgigs.db import session_scope
    from hotgigs.health import service as health_service
    from hotgigs.supervisor import hotgigs_command

    with session_scope() as session:
        workers = health_service.check_workers(
            session, heartbeat_seconds=settings.worker_heartbeat_seconds
        )
    if workers["status"] == "ok":
        yield
        return
    console.print("[dim]no worker is running; starting one for this import[/]")
    worker = subprocess.Popen(
        hotgigs_command("worker"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def _print_import_table(rows: list[tuple[str, str, str]]) -> None:
    """The final table: one row a file, then counts."""
    table = Table("file", "result", "detail")
    for name, outcome, detail in rows:
        style = {"imported": "green", "duplicate": "yellow", "failed": "red"}.get(outcome, "")
        table.add_row(name, f"[{style}]{outcome}[/]" if style else outcome, detail)
    console.print(table)
    counts = {key: sum(o == key for _, o, _ in rows) for key in ("imported", "duplicate", "failed")}
    console.print(
        f"imported {counts['imported']}, duplicates {counts['duplicate']}, "
        f"failed {counts['failed']}"
    )


@app.command()
def retention(
    dry_run: Annotated[
        bool, typer.Option(help="Only list the candidates that would be erased.")
    ] = False,
    months: Annotated[
        int | None,
        typer.Option(min=1, help="Idle months before erasure [default: RETENTION_MONTHS]."),
    ] = None,
) -> None:
    """Erase candidates nobody has worked on for the retention period (GDPR storage limit)."""
    from hotgigs.candidates import flows as candidates_flows
    from hotgigs.db import session_scope
    from hotgigs.resumes.storage import get_store

    settings = _database()
    months = months or settings.retention_months
    if not months:
        console.print("retention is off (RETENTION_MONTHS=0); pass --months N to run it once")
        return
    with session_scope() as session:
        items = candidates_flows.enforce_retention(
            session, months=months, store=get_store(settings), dry_run=dry_run
        )
    outcome = "would erase" if dry_run else "erased"
    table = Table("candidate", "name", "last activity", "result")
    for item in items:
        table.add_row(
            str(item.candidate_id),
            item.full_name or "",
            f"{item.last_activity_at:%Y-%m-%d %H:%M}",
            outcome,
        )
    console.print(table)
    console.print(f"{outcome} {len(items)} candidates idle for more than {months} months")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login email.")],
    password: Annotated[str, typer.Option(help="12 or more characters, not easy to guess.")],
    role: Annotated[str, typer.Option(help="admin, recruiter or candidate.")] = "recruiter",
    full_name: Annotated[str, typer.Option(help="Display name.")] = "",
) -> None:
    """Create an account."""
    from pydantic import ValidationError

    from hotgigs.auth import service as auth_service
    from hotgigs.auth.schemas import UserCreate
    from hotgigs.db import session_scope

    _database()
    try:
        body = UserCreate(email=email, password=password, role=role, full_name=full_name)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        errors.print(f"[bold red]Invalid input:[/] {problems}")
        raise typer.Exit(2) from None
    with session_scope() as session:
        try:
            user = auth_service.create_user(
                session,
                email=body.email,
                password=body.password,
                role=body.role,
                full_name=body.full_name,
            )
        except auth_service.EmailTaken as exc:
            errors.print(f"[bold red]{exc}[/]")
            raise typer.Exit(1) from None
        console.print(f"created {user.role.value} {user.email} ({user.id})")


@users_app.command("reset-password")
def users_reset_password(
    email: Annotated[str, typer.Option(help="Login email of the account.")],
    password: Annotated[str, typer.Option(help="12 or more characters, not easy to guess.")],
) -> None:
    """Set a new password for an account; every login of that account ends."""
    from hotgigs.auth import service as auth_service
    from hotgigs.db import session_scope

    _database()
    with session_scope() as session:
        user = auth_service.user_by_email(session, email=email)
        if user is None:
            errors.print(f"[bold red]No account with email {email}.[/]")
            raise typer.Exit(1)
        try:
            auth_service.reset_password(session, user_id=user.id, password=password)
        except auth_service.PasswordRefused as exc:
            errors.print(f"[bold red]Invalid input:[/] {exc}")
            raise typer.Exit(2) from None
        console.print(f"new password set for {user.email}; every login of the account ended")


@users_app.command("list")
def users_list() -> None:
    """List accounts."""
    from hotgigs.auth import service as auth_service
    from hotgigs.db import session_scope

    _database()
    table = Table("email", "role", "name", "active", "created")
    with session_scope() as session:
        for user in auth_service.list_users(session):
            table.add_row(
                user.email,
                user.role.value,
                user.full_name,
                "yes" if user.is_active else "no",
                f"{user.created_at:%Y-%m-%d %H:%M}",
            )
    console.print(table)
