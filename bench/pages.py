"""Adding saved web pages: reading (trafilatura, encodings, metadata) and the whole ``kg add``, pages/s.

    python -m bench.pages                      # 1,000 pages, kg add with 1 and 2 workers
    python -m bench.pages --pages 200 --workers 2

The pages are made from the bundled documents (corpus/: the seeds and the dev articles) in three news-site
layouts (HTML5 with menus, cookie notice, share buttons and related links; an old table layout in
windows-1251; a browser-saved page without a canonical link), each with its own address, so every page is
a new document. Measured: reading them all (kg.corpus.read_corpus, one process, as kg add reads), and
``kg add`` of the folder into a fresh store (reading + extraction + SHACL gate + commits + the final
materialisation and search index). The target is 20 pages/s per core including extraction.
"""

from __future__ import annotations

import argparse
import html
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from kg.build import BuildReport, add
from kg.config import ROOT, Settings
from kg.corpus import Record, read_corpus
from kg.store.embedded import EmbeddedStore

SOURCES = (ROOT / "corpus",)
TARGET_PER_CORE = 20


def _paragraphs(record: Record) -> str:
    return "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in record.text.split("\n\n") if p.strip())


def modern(record: Record, url: str, n: int) -> bytes:
    title = html.escape(record.title or record.id)
    published = f'<meta property="article:published_time" content="{record.published}T10:00:00+06:00">' \
        if record.published else ""
    related = "".join(f'<li><a href="/news/{n - k}/">Related article number {n - k} about trade unions</a></li>'
                      for k in range(1, 6))
    return f"""<!DOCTYPE html><html lang="{record.lang or 'en'}"><head><meta charset="utf-8">
<title>{title} | News</title><link rel="canonical" href="{url}?utm_source=rss">{published}</head><body>
<div class="cookie-banner">We use cookies. <button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/about/">About</a>
</li><li><a href="/contacts/">Contacts</a></li></ul></nav></header><main><article><h1>{title}</h1>
<div class="meta">Press service</div>{_paragraphs(record)}
<div class="share">Share: <a href="#">Facebook</a> <a href="#">Telegram</a></div></article>
<aside class="related"><h2>Related news</h2><ul>{related}</ul></aside></main>
<footer><p>© Union news. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>""".encode()


def legacy(record: Record, url: str, n: int) -> bytes:
    title = html.escape(record.title or record.id)
    menu = "".join(f'<a href="/ru/section{k}/">Раздел {k}</a><br>' for k in range(8))
    page = f"""<html lang="{record.lang or 'ru'}"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>{title} — Вестник</title><meta property="og:url" content="{url}"></head><body>
<div class="cookie-notice">Мы используем файлы cookie.</div><table width="100%"><tr><td class="left">{menu}</td>
<td class="content"><div class="path"><a href="/">Главная</a> / Новости</div><h1>{title}</h1>
<div class="news-text">{_paragraphs(record)}</div><div class="share">Поделиться: <a href="#">ВКонтакте</a></div>
<div class="see-also">Читайте также: <a href="/ru/{n - 1}/">Предыдущая новость</a></div></td></tr></table>
<div id="footer">© Вестник. При перепечатке ссылка обязательна.</div></body></html>"""
    return page.encode("cp1251", "xmlcharrefreplace")


def saved(record: Record, url: str, n: int) -> bytes:
    title = html.escape(record.title or record.id)
    return f"""<!DOCTYPE html>
<!-- saved from url=({len(url):04d}){url} -->
<html lang="{record.lang or 'en'}"><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">Home</a></li><li><a href="/news/">News</a></li></ul></div>
<div class="entry"><h1 class="entry-title">{title}</h1><div class="entry-content">{_paragraphs(record)}</div>
<div class="social-share">Share <a href="#">Facebook</a></div></div>
<div class="widget"><h3>Latest news</h3><ul><li><a href="/a/">Another article</a></li></ul></div>
<div class="footer">© News site</div></body></html>""".encode()


LAYOUTS = (modern, legacy, saved)


def write_pages(folder: Path, count: int) -> int:
    """``count`` pages made from the bundled and dev documents; returns the characters of their texts."""
    records = read_corpus(SOURCES).records
    chars = 0
    for n in range(count):
        record = records[n % len(records)]
        date = (record.published or "2020-01-01").replace("-", "/")
        url = f"https://site{n % 7}.example.kz/{record.lang or 'en'}/{date}/{record.id}-{n}/"
        (folder / f"page-{n:05d}.html").write_bytes(LAYOUTS[n % len(LAYOUTS)](record, url, n))
        chars += len(record.text)
    return chars


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages to add (default 1000)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts of kg add (default 1,2)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="kg add runs per worker count; the median run (by wall time) is shown (default 1)")
    args = parser.parse_args(argv)
    say(f"Command: `python -m bench.pages --pages {args.pages} --workers {args.workers} --repeat {args.repeat}`  ",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (load average {os.getloadavg()[0]:.1f})  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}  ")
    with tempfile.TemporaryDirectory(prefix="kg-bench-pages-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        chars = write_pages(folder, args.pages)
        size = sum(p.stat().st_size for p in folder.iterdir())
        say(f"Pages: {args.pages} ({size / args.pages / 1024:.1f} KiB of HTML and "
            f"{chars / args.pages:,.0f} characters of text each)", "",
            "| what | workers | pages | seconds | pages/s | pages/s per core | CPU seconds | pages per CPU-second |",
            "|---|---:|---:|---:|---:|---:|---:|---:|")
        cpu, t = _cpu(), time.perf_counter()
        corpus = read_corpus([folder])
        seconds, cpu = time.perf_counter() - t, _cpu() - cpu
        if corpus.errors or len(corpus.records) != args.pages:
            raise SystemExit(f"unreadable pages: {'; '.join(map(str, corpus.errors[:5]))}")
        say(_row("read the pages (trafilatura, encodings, metadata)", 1, args.pages, seconds, cpu))
        steps = []
        for workers in (int(w) for w in args.workers.split(",")):
            runs = []
            for n in range(args.repeat):
                report, seconds, cpu = _add(folder, Path(tmp) / f"run-{workers}-{n}", workers)
                if not report.ok or report.count("added") != args.pages:
                    raise SystemExit("kg add failed: " + "; ".join(report.lines()[-5:]))
                runs.append((seconds, cpu, report))
            seconds, cpu, report = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
            what = "`kg add` of the folder (all of it)" + (
                f"; median of {len(runs)} runs ({', '.join(f'{r[0]:.1f}' for r in runs)} s)" if len(runs) > 1 else "")
            say(_row(what, workers, args.pages, seconds, cpu))
            steps.append((workers, report.seconds))
    say("", "Where the wall time of each `kg add` went (seconds; `documents` is extraction, the SHACL gate and the "
        "commits, in parallel when there are workers; the rest is done once per command):", "",
        "| workers | " + " | ".join(steps[0][1]) + " |", "|---:|" + "---:|" * len(steps[0][1]))
    for workers, seconds in steps:
        say(f"| {workers} | " + " | ".join(f"{seconds.get(step, 0):.1f}" for step in steps[0][1]) + " |")
    return 0


def say(*lines: str) -> None:
    print("\n".join(lines), flush=True)


def _add(folder: Path, where: Path, workers: int) -> tuple[BuildReport, float, float]:
    """``kg add`` of the folder into a fresh store: its report, wall seconds and CPU seconds (workers included)."""
    settings = Settings().with_(store=str(where / "store"), workers=workers, dumps_dir=where / "dumps")
    cpu, t = _cpu(), time.perf_counter()
    store = EmbeddedStore(where / "store")
    try:
        report = add(store, [folder], settings, progress=False)
    finally:
        store.close()
        del store  # RocksDB lets go of its folder only when the store is gone
    return report, time.perf_counter() - t, _cpu() - cpu


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (kg add's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _row(what: str, workers: int, pages: int, seconds: float, cpu: float) -> str:
    rate = pages / seconds
    return (f"| {what} | {workers} | {pages} | {seconds:.1f} | {rate:.1f} | {rate / workers:.1f} | {cpu:.1f} "
            f"| {pages / cpu:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
