"""The ``kg`` command: build, change, check, query, export and serve the knowledge graph.

Exit codes: 0 done, 1 failed (bad documents, violations, query errors), 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from kg.config import Settings
from kg.store import StoreError, open_store

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = Settings().with_(store=args.store, workers=getattr(args, "workers", None))
        code = args.run(args, settings)
        sys.stdout.flush()  # here, so that a reader gone away is noticed below rather than at exit
        return code
    except BrokenPipeError:
        # whoever read the output stopped reading (`kg stats | head`): stop quietly, as other Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except (StoreError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: the store keeps every document committed so far", file=sys.stderr)
        return EXIT_FAILED


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="labour-kg: a knowledge graph of international trade-union cooperation.",
        epilog="Settings also come from KG_* environment variables (see README).",
    )
    parser.add_argument(
        "--store",
        metavar="DIR|URL",
        help="store folder, or a SPARQL query endpoint URL for a remote store (env KG_STORE; default data/store)",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace, Settings], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=run)
        return p

    p = command("build", cmd_build, "(Re)build the store from a corpus: extract, validate and commit every document.")
    p.add_argument("--corpus", action="append", type=Path, metavar="DIR",
                   help="corpus file or folder (repeatable; env KG_CORPUS; default the bundled corpus/)")
    p.add_argument("--workers", type=int, metavar="N", help="extraction processes (env KG_WORKERS; default all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("add", cmd_add, "Add or replace documents (by id) from corpus files, saved web pages (.html, .htm) "
                                "and RSS/Atom feeds (.xml, .rss, .atom), keeping the rest of the store.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--id", dest="doc_id", metavar="ID",
                   help="the id of the one document FILE holds (default: from its record, its page's address or its "
                        "file name)")
    p.add_argument("--workers", type=int, metavar="N")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("remove", cmd_remove, "Remove documents by id, with everything only they supported.")
    p.add_argument("ids", nargs="+", metavar="ID")

    p = command("export", cmd_export, "Write a dump of the whole graph.")
    p.add_argument("--format", "-f", default="turtle", choices=export_formats(), help="default: turtle")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="output file (default: standard output)")
    p.add_argument("--gzip", action="store_true", help="compress with gzip")

    p = command("dumps", cmd_dumps,
                "Write every dump and their VoID description (KG_DUMPS) for the store's version, unless they are "
                "current. The site writes them when first asked for; this is for having them ready, or for a "
                "folder the web server may not write.")
    p.add_argument("--force", action="store_true", help="write them even if they are current")

    p = command("validate", cmd_validate,
                "Check the store, or an RDF file together with the ontology and reference knowledge, against the "
                "SHACL shapes.")
    p.add_argument("file", nargs="?", type=Path, metavar="FILE", help="an RDF file (default: the whole store)")
    p.add_argument("--report", type=Path, metavar="TTL", help="also write the SHACL validation report as Turtle")

    p = command("query", cmd_query, "Run a SPARQL query (from a file, or - for standard input).")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("--format", "-f", default="table", choices=("table", "csv", "tsv", "json", "turtle"))

    p = command("stats", cmd_stats, "Show triples, graphs, documents and entities per class.")
    p.add_argument("--json", action="store_true", help="as JSON")

    p = command("check", cmd_check, "Reason over the ontology (HermiT): consistency and unsatisfiable classes.")
    p.add_argument("data", nargs="*", type=Path, metavar="FILE", help="RDF data to check together with the ontology")

    p = command("eval", cmd_eval, "Score the store's extraction against gold annotations.")
    p.add_argument("gold", type=Path, metavar="GOLD_DIR")
    p.add_argument("-v", "--verbose", action="store_true", help="per-document counts")

    p = command("serve", cmd_serve, "Serve the web app and SPARQL endpoint with a production WSGI server.")
    p.add_argument("--host", help="address to bind (env KG_HOST; default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (env KG_PORT; default 8000)")
    p.add_argument("--workers", type=int, metavar="N", help="server processes (env KG_WORKERS; default all cores)")
    p.add_argument("--threads", type=int, default=4, help="requests served at a time per worker process (default 4)")
    p.add_argument("--cache-seconds", type=int, metavar="N",
                   help="seconds browsers and proxies may reuse an answer without asking again; 0: always ask "
                        "(env KG_CACHE_SECONDS; default 300)")
    return parser


def export_formats() -> tuple[str, ...]:
    from kg.export import FORMATS

    return tuple(FORMATS)


def _print_report(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr if line.startswith("error") else sys.stdout)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from kg.build import build

    if args.corpus:
        settings = settings.with_(corpus=tuple(args.corpus))
    with open_store(settings) as store:
        report = build(store, settings, progress=not args.quiet)
    _print_report(report.lines())
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from kg.build import add

    if args.doc_id is not None and not args.doc_id.strip():
        print("error: --id must not be empty", file=sys.stderr)
        return EXIT_USAGE
    with open_store(settings) as store:
        report = add(store, args.files, settings, progress=not args.quiet,
                     doc_id=args.doc_id.strip() if args.doc_id else None)
    _print_report(report.lines())
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from kg.build import remove

    with open_store(settings) as store:
        report = remove(store, args.ids, settings)
    _print_report(report.lines())
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from kg.export import export

    with open_store(settings, read_only=True) as store:
        export(store, args.format, args.output, gzip=args.gzip)
    return EXIT_OK


def cmd_dumps(args: argparse.Namespace, settings: Settings) -> int:
    from kg.dumps import DumpsError, ensure, summary

    with open_store(settings, read_only=True) as store:
        try:
            written = ensure(store, settings.dumps_dir, force=args.force)
        except DumpsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    print(summary(written, settings.dumps_dir))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from kg.validate import validate_file, validate_store

    if args.file:
        report = validate_file(args.file, settings)
    else:
        with open_store(settings, read_only=True) as store:
            report = validate_store(store, settings)
    print(report.text())
    if args.report:
        report.write_turtle(args.report)
    return EXIT_OK if report.conforms else EXIT_FAILED


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from kg.query import QueryError, run_query

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    with open_store(settings, read_only=True) as store:
        try:
            run_query(store, text, args.format, sys.stdout.buffer)
        except QueryError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from kg.stats import format_stats, stats

    with open_store(settings, read_only=True) as store:
        print(format_stats(stats(store), as_json=args.json))
    return EXIT_OK


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from kg.reasoning import check

    report = check(settings.ontology_dir / "lkg.ttl", tuple(args.data))
    print(report.text())
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from kg.evaluate import evaluate_store

    if not args.gold.is_dir():
        print(f"error: {args.gold} is not a folder of gold annotations", file=sys.stderr)
        return EXIT_USAGE
    with open_store(settings, read_only=True) as store:
        print(evaluate_store(store, args.gold, verbose=args.verbose))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from webapp.server import serve

    settings = settings.with_(host=args.host, port=args.port, cache_seconds=args.cache_seconds)
    if settings.cache_seconds < 0:
        raise ValueError(f"the cache time must be 0 seconds or more, not {settings.cache_seconds}")
    serve(settings, processes=settings.workers, threads=args.threads)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
