"""Reading corpus records: formats, metadata checks, and a clear error for every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

from kg.corpus import MAX_TEXT_CHARS, date_from_url, read_corpus

ROOT = Path(__file__).resolve().parent.parent


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_bundled_corpus_reads_without_errors():
    corpus = read_corpus([ROOT / "corpus"])
    assert not corpus.errors
    ids = [r.id for r in corpus.records]
    assert len(ids) == len(set(ids)) == 46
    assert [i for i in ids if not i.startswith("dev-")] == [f"seed-00{i}" for i in range(5)]
    # every bundled document has its gold annotations
    gold = ROOT / "tests" / "data" / "gold"
    assert sorted(ids) == sorted(p.stem for p in gold.glob("*/*.json"))
    assert {r.lang for r in corpus.records} == {"en", "ru", "kk"}


def test_json_jsonl_txt_and_md_in_nested_folders(tmp_path):
    write(tmp_path / "a.json", json.dumps({"id": "a", "text": "Text A", "lang": "en", "title": "T"}))
    write(tmp_path / "sub" / "b.jsonl", '{"id": "b1", "text": "B one"}\n\n{"id": "b2", "text": "B two"}\n')
    write(tmp_path / "sub" / "deeper" / "c.txt", "Plain text document")
    write(tmp_path / "d.md", "# Markdown document")
    write(tmp_path / "ignored.csv", "id,text")
    corpus = read_corpus([tmp_path])
    assert not corpus.errors
    assert sorted(r.id for r in corpus.records) == ["a", "b1", "b2", "c", "d"]
    c = next(r for r in corpus.records if r.id == "c")
    assert c.text == "Plain text document" and c.title is None


def test_published_date_falls_back_to_the_date_in_the_url(tmp_path):
    url = "https://kasipodaq.kz/2019/01/28/some-title/"
    write(tmp_path / "x.json", json.dumps({"id": "x", "text": "t", "url": url}))
    (record,) = read_corpus([tmp_path]).records
    assert record.published == "2019-01-28"
    assert date_from_url("https://example.org/2019/13/40/x") is None
    assert date_from_url("https://example.org/news/item-2036") is None


def test_every_bad_input_gets_its_own_clear_error_and_the_rest_is_read(tmp_path):
    write(tmp_path / "good.json", json.dumps({"id": "good", "text": "fine"}))
    write(tmp_path / "empty.json", json.dumps({"id": "empty", "text": "   "}))
    write(tmp_path / "noid.json", json.dumps({"text": "no id"}))
    write(tmp_path / "broken.json", '{"id": "broken", "text": ')
    write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write(tmp_path / "latin1.txt", "caf\xe9".encode("latin-1"))
    write(tmp_path / "dup.jsonl", '{"id": "good", "text": "again"}\n{"id": "ok2", "text": "x"}\nnot json\n')
    write(tmp_path / "huge.json", json.dumps({"id": "huge", "text": "x" * (MAX_TEXT_CHARS + 1)}))
    write(tmp_path / "baddate.json", json.dumps({"id": "bd", "text": "t", "published": "yesterday"}))
    write(tmp_path / "badlang.json", json.dumps({"id": "bl", "text": "t", "lang": "fr"}))
    write(tmp_path / "list.json", "[1, 2]")
    corpus = read_corpus([tmp_path, tmp_path / "missing"])
    assert sorted(r.id for r in corpus.records) == ["good", "ok2"]
    messages = "\n".join(str(e) for e in corpus.errors)
    for expected in (
        "empty text",
        "missing or empty 'id'",
        "malformed JSON",
        "binary file",
        "not valid UTF-8",
        "duplicate id",
        "text too long",
        "not an ISO date",
        "unsupported 'lang'",
        "must be a JSON object",
        "no such file or folder",
    ):
        assert expected in messages, expected
    assert any(e.source.endswith("dup.jsonl:3") for e in corpus.errors)


def test_a_ten_megabyte_document_is_refused_quickly(tmp_path):
    write(tmp_path / "big.txt", "word " * 2_000_000)
    corpus = read_corpus([tmp_path])
    assert not corpus.records
    assert "text too long" in str(corpus.errors[0])
