"""One vocabulary for sub-sectors across commands (review D, L9).

The evidence pack accepted ``animation``, ``vfx``, ``video games`` (focus
activities with exact SIC classes) while ``clusters``, ``map``, ``research``
and the web rejected them ("unknown creative sub-sector 'animation'… closest:
translation, fashion"). Every command resolves sub-sector words through
:func:`creative_clusters.classifications.dcms.resolve_subsector`; it now
knows the focus activities, and its suggestions relate by meaning.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from creative_clusters.classifications import dcms
from creative_clusters.classifications.focus import _SYNONYMS, FOCUS_ACTIVITIES, focus_activity
from creative_clusters.errors import UnknownCodeError
from creative_clusters.research.library import search_library
from creative_clusters.workflows.business_counts import subsector_note

runner = CliRunner()

_WORDS = [w for k in FOCUS_ACTIVITIES for w in (k, *_SYNONYMS.get(k, ()))]


@pytest.mark.parametrize("word", _WORDS)
def test_every_pack_word_resolves_to_the_subsector_holding_its_classes(word: str) -> None:
    act = focus_activity(word)
    assert act is not None
    sub = dcms.resolve_subsector(word)
    assert sub == act.subsector
    # the activity's own classes belong to that sub-sector in the DCMS definition
    assert set(act.classes) <= set(dcms.DCMS_CI_SIC2007[sub])


def test_unknown_word_suggests_by_meaning_not_spelling() -> None:
    with pytest.raises(UnknownCodeError) as exc:
        dcms.resolve_subsector("animaton")
    msg = str(exc.value)
    assert "animation (SIC 5911, 5912)" in msg
    assert "translation" not in msg and "fashion" not in msg.split("related:")[1]
    with pytest.raises(UnknownCodeError, match="related: Music, performing and visual arts"):
        dcms.resolve_subsector("dance")


def test_note_names_the_whole_subsector_and_the_pack_s_exact_classes() -> None:
    note = subsector_note("animation")
    assert "whole DCMS sub-sector 'Film, TV, video, radio and photography'" in note
    assert "5911, 5912" in note.split("; ")[1]
    assert "`evidence PLACE --subsector 'video games'`" in subsector_note("video games")
    assert subsector_note("film_tv") == ""  # the sub-sector's own name needs no note


def test_research_accepts_the_pack_words() -> None:
    film = {e.id for e in search_library(subsector="film")}
    assert {e.id for e in search_library(subsector="animation")} == film


def test_clusters_command_accepts_animation(full_home) -> None:
    from creative_clusters.cli import app

    r = runner.invoke(app, ["clusters", "--home", str(full_home), "--subsector", "animation", "--json", "--all"])
    assert r.exit_code == 0, r.output
    assert "not animation alone" in r.stderr
    film = runner.invoke(app, ["clusters", "--home", str(full_home), "--subsector", "film_tv", "--json", "--all"])
    assert json.loads(r.stdout) == json.loads(film.stdout)  # the sub-sector that holds 5911 and 5912


@pytest.mark.parametrize(("typed", "name"), [
    ("music_performing_visual_arts", "Music, performing and visual arts"),
    ("Music-performing-and-visual-arts", "Music, performing and visual arts"),
    ("film_tv_video_radio_photography", "Film, TV, video, radio and photography"),
    ("it_software_computer_services", "IT, software and computer services"),
])
def test_a_dcms_name_typed_as_an_identifier_resolves(typed, name):
    """The error for an unknown word lists the DCMS names; typing one as an identifier (underscores, no "and")
    must find it, not answer "unknown ... related: <the same name>"."""
    from creative_clusters.classifications.dcms import resolve_subsector

    assert resolve_subsector(typed) == name
