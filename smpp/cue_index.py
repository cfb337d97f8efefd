"""Which words a lexicon pattern needs, read from the pattern itself, so that the classifier
tries a sentence only against the cues whose words it contains.

The classifier has hundreds of regular expressions and a regex search costs microseconds, so
each pattern is read once for (a) the word beginnings any match must start with and (b) words any
match must contain somewhere. A sentence lacking those words cannot match and is not tried.

The patterns are parsed here by a small parser of the regular-expression syntax the lexicon uses
(literals, classes, groups, alternatives, repeats, lookarounds, \\b), rather than through `re`'s
private parser. Anything it does not understand makes the answer "cannot tell", which only costs
speed: that cue is then always tried. A test checks the index never changes a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Words are indexed on their first six characters ("disclo" for "disclose"), and also on their
# first four for patterns that only fix that much ("conf\w*").
ANCHOR_LENGTH = 4
LONG_ANCHOR = 6
UNBOUNDED = 1 << 30

# Word beginnings found in almost every sentence make a poor index, so a cue is indexed on its
# most selective part: function words cost most, then the words of any social media policy.
# ("comp": the organisation's own name is read as "company", found in most sentences.)
_FUNCTION_WORDS = (
    "a an the our you your we they it its if when be to of in on is are do don not no this that "
    "and or all any may will can must shou with as at by for from have has abou also more comp"
)
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
COMMON = frozenset(
    "empl staff soci medi poli post shar use work pers info acco cont onli othe time make".split()
)


# The parse tree: a pattern is a list of nodes; each node is a tuple whose first item says what
# it is.
#   ("lit", c)                  one literal character
#   ("set", members, negated)   a class [...]: members are characters, ("range", a, b) or a
#                               category name ("word", "space", "digit" and their negations)
#   ("any",)                    .
#   ("cat", name)               \w \s \d \W \S \D outside a class
#   ("group", nodes)            (...) or (?:...)
#   ("branch", [nodes, ...])    a|b|c
#   ("repeat", low, high, nodes)
#   ("at", kind)                "boundary" (\b), "non-boundary" (\B), "start" (^), "end" ($)
#   ("look", nodes)             a lookahead or lookbehind, positive or negative: zero-width
Node = tuple[Any, ...]


class PatternError(ValueError):
    """A construct the parser does not read (the pattern itself may be valid)."""


_CATEGORIES = {"w": "word", "s": "space", "d": "digit", "W": "non-word", "S": "non-space"}
_CATEGORIES["D"] = "non-digit"
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


@dataclass
class _Reader:
    pattern: str
    position: int = 0

    def peek(self, ahead: int = 0) -> str:
        index = self.position + ahead
        return self.pattern[index] if index < len(self.pattern) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise PatternError("unexpected end of pattern")
        self.position += 1
        return char

    def starts(self, text: str) -> bool:
        return self.pattern.startswith(text, self.position)


def parse(pattern: str) -> list[Node]:
    """The parse tree of a pattern (see the node types above)."""
    reader = _Reader(pattern)
    nodes = _alternation(reader)
    if reader.peek():
        raise PatternError(f"unbalanced ')' at {reader.position}")
    return nodes


def _alternation(reader: _Reader) -> list[Node]:
    branches = [_sequence(reader)]
    while reader.peek() == "|":
        reader.take()
        branches.append(_sequence(reader))
    return branches[0] if len(branches) == 1 else [("branch", branches)]


def _sequence(reader: _Reader) -> list[Node]:
    nodes: list[Node] = []
    while reader.peek() and reader.peek() not in "|)":
        atom = _atom(reader)
        repeat = _repeat(reader)
        if repeat is None:
            nodes.append(atom)
            continue
        if atom[0] in ("at", "look"):
            raise PatternError("a repeated assertion")
        nodes.append(("repeat", repeat[0], repeat[1], [atom]))
    return nodes


def _repeat(reader: _Reader) -> tuple[int, int] | None:
    char = reader.peek()
    bounds: tuple[int, int] | None = None
    if char in ("*", "+", "?"):
        reader.take()
        bounds = {"*": (0, UNBOUNDED), "+": (1, UNBOUNDED), "?": (0, 1)}[char]
    elif char == "{":
        end = reader.pattern.find("}", reader.position)
        inside = reader.pattern[reader.position + 1 : end] if end > 0 else ""
        low, comma, high = inside.partition(",")
        if not low.isdigit() or (high and not high.isdigit()):
            return None  # a literal brace, as in re
        reader.position = end + 1
        bounds = (int(low), int(high) if high else (UNBOUNDED if comma else int(low)))
    if bounds is not None and reader.peek() in ("?", "+"):
        reader.take()  # lazy or possessive: the same words are needed
    return bounds


def _atom(reader: _Reader) -> Node:
    char = reader.take()
    if char == "(":
        return _group(reader)
    if char == "[":
        return _class(reader)
    if char == ".":
        return ("any",)
    if char == "^":
        return ("at", "start")
    if char == "$":
        return ("at", "end")
    if char == "\\":
        return _escape(reader)
    if char in "*+?":
        raise PatternError(f"nothing to repeat at {reader.position}")
    return ("lit", char)


def _group(reader: _Reader) -> Node:
    look = False
    if reader.starts("?:"):
        reader.position += 2
    elif reader.starts("?=") or reader.starts("?!"):
        reader.position += 2
        look = True
    elif reader.starts("?<=") or reader.starts("?<!"):
        reader.position += 3
        look = True
    elif reader.starts("?P<"):
        reader.position = reader.pattern.index(">", reader.position) + 1
    elif reader.peek() == "?":
        raise PatternError(f"group syntax not read at {reader.position}")
    nodes = _alternation(reader)
    if reader.take() != ")":
        raise PatternError("missing ')'")
    return ("look", nodes) if look else ("group", nodes)


def _escape(reader: _Reader) -> Node:
    char = reader.take()
    if char in _CATEGORIES:
        return ("cat", _CATEGORIES[char])
    if char == "b":
        return ("at", "boundary")
    if char == "B":
        return ("at", "non-boundary")
    if char in ("A", "Z"):
        return ("at", "start" if char == "A" else "end")
    if char.isalnum() and char not in _ESCAPES:
        raise PatternError(f"escape \\{char} not read")
    return ("lit", _ESCAPES.get(char, char))


def _class(reader: _Reader) -> Node:
    negated = reader.peek() == "^"
    if negated:
        reader.take()
    members: list[object] = []
    first = True
    while first or reader.peek() != "]":
        first = False
        char = reader.take()
        if char == "\\":
            escaped = reader.take()
            if escaped in _CATEGORIES:
                members.append(_CATEGORIES[escaped])
                continue
            if escaped.isalnum() and escaped not in _ESCAPES:
                raise PatternError(f"escape \\{escaped} in a class not read")
            char = _ESCAPES.get(escaped, escaped)
        if reader.peek() == "-" and reader.peek(1) not in ("]", ""):
            reader.take()
            high = reader.take()
            if high == "\\":
                high = reader.take()
            members.append(("range", char, high))
        else:
            members.append(char)
    reader.take()
    return ("set", members, negated)


# ---------------------------------------------------------------------------------------------
# Reading the words a pattern needs
# ---------------------------------------------------------------------------------------------


def anchor_cost(anchors: frozenset[str] | None) -> int:
    """How poor a set of word beginnings is as an index (common words cost much more)."""
    if anchors is None:
        return 10**6
    return sum(_word_cost(a) for a in anchors)


def _word_cost(anchor: str) -> int:
    if anchor[:ANCHOR_LENGTH] in FUNCTION_WORDS or len(anchor) < 2:
        return 200
    return 30 if anchor[:ANCHOR_LENGTH] in COMMON else 1


def anchors(pattern: str) -> frozenset[str] | None:
    """The word beginnings (lower case, at most LONG_ANCHOR characters) one of which any match
    of `pattern` starts with, or None when that cannot be told (the cue is then always tried).

    Literals are collected from the start, alternatives give one beginning each, optional parts
    give both ways."""
    try:
        found = _beginnings(parse(pattern), "")
    except PatternError:
        return None
    return frozenset(found) if found else None


def needs(pattern: str) -> tuple[frozenset[str], ...]:
    """Sets of word beginnings, one word of each set occurring in every match of `pattern`, most
    selective first (a rare word further on beats a common first word such as "the"). Empty when
    nothing can be told."""
    try:
        items = parse(pattern)
    except PatternError:
        return ()
    while len(items) == 1 and items[0][0] == "group":
        items = items[0][1]
    found = _needed_at_each_word(items)
    unique = sorted({frozenset(f) for f in found if f}, key=lambda f: (anchor_cost(f), sorted(f)))
    return tuple(unique[:3])


def leading_character(pattern: str) -> str | None:
    """The literal character every match of `pattern` starts with, if there is one."""
    try:
        first = _first_characters(parse(pattern))
    except PatternError:
        return None
    return first.pop().lower() if first is not None and len(first) == 1 else None


def _first_characters(items: list[Node]) -> set[str] | None:
    """The characters a match of `items` can start with, when they are all literals."""
    for position, item in enumerate(items):
        kind = item[0]
        if kind in ("at", "look"):
            continue
        if kind == "lit":
            return {str(item[1])}
        if kind == "group":
            return _first_characters(item[1] + items[position + 1 :])
        if kind == "branch":
            found: set[str] = set()
            for alternative in item[1]:
                more = _first_characters(alternative + items[position + 1 :])
                if more is None:
                    return None
                found |= more
            return found
        if kind == "repeat" and item[1] >= 1:
            return _first_characters(item[3])
        return None
    return None


def _needed_at_each_word(items: list[Node]) -> list[set[str]]:
    """Like `_needed`, but one set for each item of a top-level sequence."""
    if len(items) == 1 and items[0][0] == "branch":
        best = _needed(items, True)
        return [best] if best else []
    found = []
    for position in range(len(items)):
        previous = items[position - 1] if position else None
        at_word = (
            position == 0
            or _ends_with_separator(items[:position])
            or (previous is not None and previous == ("at", "boundary"))
        )
        best = _needed(items[position:] if at_word else items[position : position + 1], at_word)
        if best:
            found.append(best)
    return found


def _needed(items: list[Node], at_word_start: bool) -> set[str] | None:
    """Best set of beginnings of a word every match of `items` contains, or None. A word may
    begin at the start, after a separator (a space, [- ]), or where \\b stands before letters."""
    best: set[str] | None = None
    at_word = at_word_start
    for position, item in enumerate(items):
        kind = item[0]
        found: list[set[str] | None] = [_beginnings(items[position:], "")] if at_word else []
        if kind == "group":
            found.append(_needed(item[1], at_word))
        elif kind == "branch":
            alternatives = [_needed(a, at_word) for a in item[1]]
            if all(a is not None for a in alternatives):
                found.append(set().union(*alternatives))  # type: ignore[arg-type]
        elif kind == "repeat" and item[1] >= 1:
            found.append(_needed(item[3], at_word))
        for option in found:
            if option and anchor_cost(frozenset(option)) < anchor_cost(
                None if best is None else frozenset(best)
            ):
                best = option
        # Does a word start right after this item?
        if kind == "at":
            at_word = at_word or item[1] == "boundary"
        elif kind == "look":
            pass
        elif kind == "repeat" and item[1] == 0:
            at_word = at_word and _ends_with_separator(item[3])
        else:
            at_word = _ends_with_separator([item])
    return best


def _ends_with_separator(items: list[Node]) -> bool:
    """Whether every match of `items` ends with a character that is not a letter or digit."""
    if not items:
        return False
    item = items[-1]
    kind = item[0]
    if kind == "lit":
        return not str(item[1]).isalnum()
    if kind == "cat":
        return bool(item[1] == "space")
    if kind == "set":
        return not item[2] and all(
            member == "space"
            or (isinstance(member, str) and len(member) == 1)
            and not member.isalnum()
            for member in item[1]
        )
    if kind == "group":
        return _ends_with_separator(item[1])
    if kind == "branch":
        return all(_ends_with_separator(a) for a in item[1])
    if kind == "repeat":
        inner = _ends_with_separator(item[3])
        return inner if item[1] >= 1 else inner and _ends_with_separator(items[:-1])
    if kind in ("at", "look"):
        return _ends_with_separator(items[:-1])
    return False


def _beginnings(items: list[Node], sofar: str) -> set[str] | None:
    """Beginnings of the words a match of `items` can start with, given `sofar` already read.

    A beginning is a word's first LONG_ANCHOR characters; a whole word when it is shorter than
    that; or its first ANCHOR_LENGTH characters when the rest of the word cannot be told.
    None means nothing can be told."""
    if len(sofar) >= LONG_ANCHOR:
        return {sofar[:LONG_ANCHOR]}
    cut = {sofar[:ANCHOR_LENGTH]} if len(sofar) >= ANCHOR_LENGTH else None  # word goes on
    if not items:
        return cut  # the match may end inside a longer word
    item, rest = items[0], items[1:]
    kind = item[0]
    if kind == "lit":
        char = str(item[1])
        if char.isalnum():
            return _beginnings(rest, sofar + char.lower())
        return {sofar} if sofar else None  # the word ends here ("#ad" starts before any word)
    if kind == "at":
        if sofar and item[1] == "boundary":
            return {sofar}  # \b after letters: the word ends here
        return _beginnings(rest, sofar)
    if kind == "look":
        return _beginnings(rest, sofar)  # zero-width
    if kind == "group":
        return _beginnings(item[1] + rest, sofar)
    if kind == "set" and not item[2] and len(item[1]) <= 6:
        members = item[1]
        if all(isinstance(m, str) and len(m) == 1 for m in members):
            return _union([[("lit", m)] for m in members], rest, sofar)
    if kind == "branch":
        return _union(item[1], rest, sofar)
    if kind == "repeat":
        low, high, sub = item[1], item[2], item[3]
        if high == 1:  # optional: both ways
            return _union(([] if low == 0 else sub, sub), rest, sofar)
        return _beginnings(sub + rest, sofar) if low > 0 else cut
    return cut  # a character class or anything else: the word goes on unseen


def _union(alternatives: Sequence[list[Node]], rest: list[Node], sofar: str) -> set[str] | None:
    found: set[str] = set()
    for alternative in alternatives:
        more = _beginnings(list(alternative) + rest, sofar)
        if more is None:
            return None
        found |= more
    return found
