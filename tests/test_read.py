"""Decoding documents and reading curator sidecars."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.read import decode, read_document
from kg.sidecar import read_sidecar


def test_utf16_with_bom_is_decoded():
    text, warnings = decode("Hello, Pyongyang.\n".encode("utf-16"), "a.txt")
    assert text == "Hello, Pyongyang.\n" and warnings == []


def test_windows_1252_is_decoded_with_a_warning():
    text, warnings = decode("Beijing’s move".encode("cp1252"), "a.txt")
    assert text == "Beijing’s move"
    assert warnings == ["a.txt: not valid UTF-8 (offset 7); decoded as Windows-1252"]


def test_crlf_newlines_are_normalised():
    assert decode(b"a\r\nb\rc", "a.txt")[0] == "a\nb\nc"


def test_binary_file_is_refused_with_its_offset():
    with pytest.raises(InputError, match=r"a.bin \(offset 4\): binary file"):
        decode(b"PK\x03\x04\x00\x00", "a.bin")


def test_oversized_file_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="over the limit of 100"):
        read_document(big, max_bytes=100)


def sidecar(tmp_path, text: str):
    path = tmp_path / "a.meta.yaml"
    path.write_text(text, encoding="utf-8")
    return read_sidecar(path, "a.meta.yaml")


def test_sidecar_values_are_read(tmp_path):
    read = sidecar(tmp_path, "publisher: Foreign Affairs\ndate: 2018-06\nauthors: [A B]\n")
    assert read.get("publisher") == "Foreign Affairs"
    assert read.get("date").iso == "2018-06"
    assert read.get("authors") == ["A B"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: [unclosed\n", r"a.meta.yaml:2: malformed YAML"),
        ("title: T\npublisher_name: X\n", r"a.meta.yaml:2: unknown key 'publisher_name'"),
        ("title: T\nauthors: Jane Doe\n", r"a.meta.yaml:2: 'authors' must be a list"),
        ("date: 2018-02-30\n", r"a.meta.yaml:1: 'date' 2018-02-30 is not a calendar date"),
        ("date: June 2018\n", r"a.meta.yaml:1: 'date' 'June 2018' is not YYYY"),
        ("- a list\n", r"a.meta.yaml:1: sidecar must be a mapping"),
    ],
    ids=["malformed", "unknown-key", "wrong-type", "impossible-date", "bad-date", "not-mapping"],
)
def test_bad_sidecar_is_reported_with_its_line(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        sidecar(tmp_path, text)
