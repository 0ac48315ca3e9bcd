"""Focus activities: everyday names of creative activities mapped to their exact SIC 2007 classes.

``--subsector games`` used to widen silently to all of "IT, software and
computer services"; a bid about games needs the games class itself, with the
approximation said. Each :class:`FocusActivity` names its SIC classes, its
DCMS sub-sector and what the classes miss. Unknown words get suggestions
related by meaning (a small keyword map), not by spelling alone.

Examples
--------
>>> focus_activity("games").classes
('5821',)
>>> focus_activity("Animation").classes
('5911', '5912')
>>> focus_activity("film") is None
True
>>> suggest("cartoons")
['animation (SIC 5911, 5912)', 'Film, TV, video, radio and photography']
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

__all__ = ["FOCUS_ACTIVITIES", "FocusActivity", "focus_activity", "suggest"]


@dataclass(frozen=True)
class FocusActivity:
    """An activity narrower than a DCMS sub-sector, counted by its exact SIC classes."""

    name: str
    classes: tuple[str, ...]
    subsector: str
    note: str


FOCUS_ACTIVITIES: dict[str, FocusActivity] = {
    "games": FocusActivity(
        "computer games publishing", ("5821",), "IT, software and computer services",
        "Approximation: SIC 5821 counts games publishers only. Most games development studios are classed "
        "under 6201 (computer programming), which also holds non-games software, so the games industry is "
        "larger than this count."),
    "animation": FocusActivity(
        "film, video and TV production and post-production, where animation is classed", ("5911", "5912"),
        "Film, TV, video, radio and photography",
        "There is no SIC class for animation: animation studios are classed under 5911 (motion picture, video "
        "and television programme production) and 5912 (post-production), which also hold live-action work."),
    "vfx": FocusActivity(
        "post-production, where visual effects are classed", ("5912",), "Film, TV, video, radio and photography",
        "Visual effects have no SIC class of their own; they are mostly classed under 5912 "
        "(post-production), which also holds editing, sound and colour work."),
    "music": FocusActivity(
        "sound recording and music publishing", ("5920",), "Music, performing and visual arts",
        "SIC 5920 covers recording and music publishing only; performers and venues are under 9001-9004."),
}

_SYNONYMS = {
    "games": ("video games", "videogames", "gaming", "game", "games development", "esports", "interactive"),
    "animation": ("animated", "cartoons", "cartoon", "anime", "motion graphics", "stop motion"),
    "vfx": ("visual effects", "special effects", "cgi", "post production", "post-production"),
}

#: Words that point to a DCMS sub-sector when no focus activity matches.
_RELATED = {
    "cartoon": ("animation", "Film, TV, video, radio and photography"),
    "anim": ("animation", "Film, TV, video, radio and photography"),
    "game": ("games", "IT, software and computer services"),
    "play": ("games", "IT, software and computer services"),
    "effect": ("vfx", "Film, TV, video, radio and photography"),
    "cinema": (None, "Film, TV, video, radio and photography"),
    "photo": (None, "Film, TV, video, radio and photography"),
    "theatre": (None, "Music, performing and visual arts"),
    "dance": (None, "Music, performing and visual arts"),
    "art": (None, "Music, performing and visual arts"),
    "book": (None, "Publishing"),
    "news": (None, "Publishing"),
    "fashion": (None, "Design and designer fashion"),
    "advert": (None, "Advertising and marketing"),
    "software": (None, "IT, software and computer services"),
    "pottery": (None, "Crafts"),
    "jewel": (None, "Crafts"),
}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def focus_activity(text: str) -> FocusActivity | None:
    """The focus activity an everyday word names (``None`` when it names a whole sub-sector or nothing)."""
    key = _norm(text)
    for name, act in FOCUS_ACTIVITIES.items():
        if key == name or key in {_norm(s) for s in _SYNONYMS.get(name, ())}:
            return act
    return None


def _label(key: str) -> str:
    act = FOCUS_ACTIVITIES[key]
    return f"{key} (SIC {', '.join(act.classes)})"


def suggest(text: str) -> list[str]:
    """Suggestions related by meaning (keyword roots), then by spelling, for an unknown sub-sector word."""
    key = _norm(text)
    out: list[str] = []
    for root, (focus, sub) in _RELATED.items():
        if re.search(r"\b" + root, key):
            if focus:
                out.append(_label(focus))
            out.append(sub)
    words = [*FOCUS_ACTIVITIES, *[s for v in _SYNONYMS.values() for s in v]]
    for w in difflib.get_close_matches(key, words, n=2, cutoff=0.75):
        k = next((n for n, syn in _SYNONYMS.items() if w == n or w in syn), w)
        if k in FOCUS_ACTIVITIES:
            out.append(_label(k))
    return list(dict.fromkeys(out))
