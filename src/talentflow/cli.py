"""The ``talentflow`` command: demo, serve, import, export and Django management.

talentflow demo                      # SQLite under ./var, reference data, demo scenario, server
talentflow serve [--host H --port P] # the production server (gunicorn)
talentflow import talents FILE --as USER [--dry-run]
talentflow import engagements FILE.csv --as USER [--dry-run]   # past engagements
talentflow export talents FILE --as USER [--region 330421 --q 压铸 ...]
talentflow recommend --text "…" [--industry C --discipline 0805 --region 330421] --top 10 --json
talentflow recommend --needs-file needs.csv --top 10 --jsonl
talentflow manage <django command> [args]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentflow.settings")
    import django

    django.setup()


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def cmd_demo(args: argparse.Namespace) -> int:
    # The demo serves plain HTTP on this machine, so the TLS-only cookie settings are off; a
    # deployment keeps them on (see README, "Running in production").
    os.environ.setdefault("TALENTFLOW_TLS", "0")
    _setup_django()
    from django.conf import settings
    from django.utils.translation import gettext as _

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    print(_("TalentFlow demo — data directory %(path)s") % {"path": settings.DATA_DIR}, flush=True)
    print("[1/4] " + _("Creating or upgrading the database …"), flush=True)
    _call("migrate", "--no-input", "--verbosity", "0")
    print("[2/4] " + _("Loading reference data …"), flush=True)
    _call("load_reference")
    print("[3/4] " + _("Loading the demo scenario …"), flush=True)
    load_args = ["load_demo"] + (["--reset"] if args.reset else [])
    _call(*load_args)
    print("[4/4] " + _("Collecting static files …"), flush=True)
    _call("collectstatic", "--no-input", "--verbosity", "0")
    from talentflow.demo.logins import print_logins

    print_logins(base_url=f"http://{args.host}:{args.port}/")
    if args.no_serve:
        return 0
    from talentflow.server import serve

    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    from talentflow.server import serve

    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    _setup_django()
    if args.kind == "engagements":
        from talentflow.matching.cli import cli_import_engagements

        return cli_import_engagements(
            path=Path(args.file), username=args.as_user, dry_run=args.dry_run, out=sys.stdout
        )
    from talentflow.directory.importexport import cli_import

    return cli_import(
        kind=args.kind,
        path=Path(args.file),
        username=args.as_user,
        dry_run=args.dry_run,
        out=sys.stdout,
    )


def cmd_export(args: argparse.Namespace) -> int:
    _setup_django()
    from talentflow.directory.importexport import cli_export

    filters = {k: v for k, v in vars(args).items() if k.startswith("filter_") and v}
    return cli_export(
        kind=args.kind,
        path=Path(args.file),
        username=args.as_user,
        filters={k.removeprefix("filter_"): v for k, v in filters.items()},
        out=sys.stdout,
    )


def cmd_recommend(args: argparse.Namespace) -> int:
    _setup_django()
    from talentflow.matching.cli import cli_recommend_file, cli_recommend_text

    try:
        if args.needs_file:
            return cli_recommend_file(
                path=Path(args.needs_file), top=args.top, out=sys.stdout, err=sys.stderr
            )
        return cli_recommend_text(
            text=args.text,
            industry=args.industry,
            discipline=args.discipline,
            region=args.region,
            top=args.top,
            as_json=args.json,
            out=sys.stdout,
            err=sys.stderr,
        )
    except BrokenPipeError:  # piped into `head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentflow.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["talentflow manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talentflow", description="TalentFlow 人才流动共享平台 — talent flow and sharing."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        p.add_argument("--workers", type=int, default=None, help="server worker processes")

    demo = sub.add_parser("demo", help="create the demo database and start the server")
    server_options(demo)
    demo.add_argument("--reset", action="store_true", help="delete and reload the demo records")
    demo.add_argument("--no-serve", action="store_true", help="load everything, do not serve")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="run the production server (gunicorn)")
    server_options(serve)
    serve.set_defaults(func=cmd_serve)

    for name, func, verb in (("import", cmd_import, "read"), ("export", cmd_export, "write")):
        kinds = ["organisations", "talents"] + (["engagements"] if name == "import" else [])
        p = sub.add_parser(
            name, help=f"{name} {', '.join(kinds[:-1])} or {kinds[-1]} (Excel .xlsx or .csv)"
        )
        p.add_argument("kind", choices=kinds)
        p.add_argument("file", help=f"the .xlsx or .csv file to {verb}")
        p.add_argument(
            "--as",
            dest="as_user",
            required=True,
            help="username whose permissions apply (and who is recorded in the audit trail)",
        )
        if name == "import":
            p.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        else:
            p.add_argument("--q", dest="filter_q", help="search text")
            p.add_argument("--region", dest="filter_region", help="region code, e.g. 330421")
            p.add_argument("--industry", dest="filter_industry", help="GB/T 4754 code")
            p.add_argument("--kind", dest="filter_kind", help="organisation kind")
            p.add_argument("--discipline", dest="filter_discipline", help="discipline code")
            p.add_argument("--pool", dest="filter_pool", help="talent pool code")
        p.set_defaults(func=func)

    recommend = sub.add_parser(
        "recommend", help="rank experts for a need's text, or for every need of a CSV file"
    )
    source = recommend.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the need's text")
    source.add_argument(
        "--needs-file", help="CSV with columns id,text[,industry,disciplines,region]"
    )
    recommend.add_argument("--industry", help="GB/T 4754 code of the need, e.g. C or 2921")
    recommend.add_argument("--discipline", help="discipline codes, ;-separated, e.g. 0805")
    recommend.add_argument("--region", help="the need's region code, e.g. 330421")
    recommend.add_argument("--top", type=int, default=10, help="experts per need (default 10)")
    recommend.add_argument("--json", action="store_true", help="print a JSON array (--text)")
    recommend.add_argument(
        "--jsonl", action="store_true", help="one JSON line per need (--needs-file; the default)"
    )
    recommend.set_defaults(func=cmd_recommend)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
