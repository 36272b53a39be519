"""One measured step in its own process, so its peak memory is its own: ``python -m bench.step OP STORE ARGS``.

Prints one JSON line: {"seconds": ..., "peak_rss_mb": ..., ...}.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

#: name -> the query (the project prefixes are predeclared); a fixed set that pages and users run
QUERIES = {
    "entities per class": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "mentions of one org": "SELECT ?doc WHERE { ?doc schema:mentions <https://w3id.org/labour-kg/id/org/synth-1> }",
    "memoranda and parties": "SELECT ?m ?p WHERE { ?m a lkg:Memorandum ; lkg:party ?p } LIMIT 100",
    "events by country": "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e schema:location ?c } GROUP BY ?c",
    "evidence of one entity": "SELECT ?exact ?doc WHERE { ?a oa:hasBody <https://w3id.org/labour-kg/id/org/synth-2> ; "
                              "oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?q . ?q oa:exact ?exact }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY DESC(?n) LIMIT 10",
}


def main(argv: list[str]) -> dict:
    op, store_path, *args = argv
    started = time.perf_counter()
    extra: dict = {}
    # both open the store before the clock starts: opening (RocksDB replaying its log) is not dumping
    if op == "export":
        from kg.export import export
        from kg.store.embedded import EmbeddedStore

        fmt, out = args
        with EmbeddedStore(store_path, read_only=True) as store:
            started = time.perf_counter()
            export(store, fmt, Path(out))
    elif op == "raw-dump":
        fmt, out = args
        raw = ox.Store.read_only(store_path)
        started = time.perf_counter()
        with open(out, "wb") as f:
            raw.dump(f, ox.RdfFormat.from_extension(fmt))
    elif op == "stats":
        from kg.stats import stats
        from kg.store.embedded import EmbeddedStore

        with EmbeddedStore(store_path, read_only=True) as store:
            extra = {"stats": {k: v for k, v in stats(store).items() if k != "classes"}}
    elif op == "queries":
        from kg.namespaces import sparql_prefixes
        from kg.store.embedded import EmbeddedStore

        with EmbeddedStore(store_path, read_only=True) as store:
            timings = {}
            for name, text in QUERIES.items():
                runs = []
                for _ in range(3):
                    t = time.perf_counter()
                    rows = len(list(store.query(sparql_prefixes() + text)))
                    runs.append(time.perf_counter() - t)
                timings[name] = {"seconds": statistics.median(runs), "rows": rows}
            extra = {"queries": timings}
    elif op == "validate":
        from kg.store.embedded import EmbeddedStore
        from kg.validate import validate_document

        with EmbeddedStore(store_path, read_only=True) as store:
            graphs = [list(store.quads(g)) for g in args]
        timings, conforms = [], True
        for quads in graphs:
            t = time.perf_counter()
            report = validate_document(quads)
            timings.append(time.perf_counter() - t)
            conforms = conforms and bool(report.conforms)
        started = time.perf_counter() - timings[0]  # the first call, which loads the shapes, is the step's time
        extra = {"conforms": conforms, "quads": len(graphs[0]), "warm_seconds": statistics.median(timings[1:])}
    else:
        raise SystemExit(f"unknown step {op}")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), **extra}


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; getrusage's ru_maxrss would carry over the parent's from fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
