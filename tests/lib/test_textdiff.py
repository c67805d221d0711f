from __future__ import annotations

from headway.lib.textdiff import Segment, diff_fields, diff_words, is_changed


def test_equal_texts_are_one_equal_segment() -> None:
    assert diff_words("Students first", "Students first") == [Segment("equal", "Students first")]


def test_a_replaced_word_is_removed_then_inserted() -> None:
    assert diff_words("the cat sat", "the dog sat") == [
        Segment("equal", "the "),
        Segment("removed", "cat"),
        Segment("inserted", "dog"),
        Segment("equal", " sat"),
    ]


def test_an_added_word_is_inserted_with_its_space() -> None:
    assert diff_words("meet monthly", "meet twice monthly") == [
        Segment("equal", "meet "),
        Segment("inserted", "twice "),
        Segment("equal", "monthly"),
    ]


def test_neighbouring_changes_read_as_one_change() -> None:
    assert diff_words("the cat sat", "a dog ran") == [
        Segment("removed", "the cat sat"),
        Segment("inserted", "a dog ran"),
    ]


def test_new_and_emptied_texts() -> None:
    assert diff_words("", "new text") == [Segment("inserted", "new text")]
    assert diff_words("old text", "") == [Segment("removed", "old text")]
    assert diff_words("", "") == []


def test_lines_keep_their_breaks() -> None:
    assert diff_words("one\ntwo\nthree", "one\nthree\nfour") == [
        Segment("equal", "one\n"),
        Segment("removed", "two\n"),
        Segment("equal", "three"),
        Segment("inserted", "\nfour"),
    ]


def test_changed_spacing_alone_is_not_a_change() -> None:
    segments = diff_words("a  b", "a b")
    assert not is_changed(segments)
    assert "".join(s.text for s in segments) == "a b"


def test_joining_segments_gives_back_both_texts() -> None:
    old, new = "We meet every month to review data.", "We meet every week to review our data."
    segments = diff_words(old, new)
    assert "".join(s.text for s in segments if s.op != "inserted") == old
    assert "".join(s.text for s in segments if s.op != "removed") == new


def test_fields_are_compared_one_by_one() -> None:
    diffs = diff_fields(
        {"mission": "A", "vision": "B"}, {"mission": "A", "vision": "C", "new": "D"}
    )
    assert list(diffs) == ["mission", "vision", "new"]
    assert not is_changed(diffs["mission"])
    assert is_changed(diffs["vision"])
    assert diffs["new"] == [Segment("inserted", "D")]
