"""The engine's Unicode notation as LaTeX: ∂y/∂W⁽⁰⁾ → \\partial y/\\partial W^{(0)}; prose escaped for text mode.

Everything that is not plain ASCII becomes a command that plain LaTeX with
amsmath and amssymb knows, or a visible [U+XXXX] when nothing fits: no input,
however odd, can break the document. Control words always end with a space or
a brace, so that a letter after them never joins their name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from .numbers import ascii_numbers

FUNCTIONS = frozenset(
    "exp log ln sin cos tan tanh sinh cosh sigmoid relu abs diag vec mean sign sgn sqrt local max min".split()
)
SHORT_WORDS = frozenset("if to of so at as is or in by on be it".split())  # two letters that are words, not products

_GREEK_NAMES = {
    "alpha", "beta", "gamma", "delta", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
    "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
}
_GREEK_CAPITALS = {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"}
_LATIN_TWIN = {"alpha": "A", "beta": "B", "epsilon": "E", "zeta": "Z", "eta": "H", "iota": "I", "kappa": "K",
               "mu": "M", "nu": "N", "omicron": "O", "rho": "P", "tau": "T", "chi": "X"}


def _greek() -> dict[str, str]:
    """Greek letters as commands; capitals that look Latin (A, B, E, …) as the Latin letter."""
    table = {}
    for code in range(0x391, 0x3CA):
        c = chr(code)
        name = unicodedata.name(c, "")
        if not name.startswith("GREEK") or "WITH" in name:
            continue
        letter = name.split()[-1].lower().replace("lamda", "lambda")
        if "CAPITAL" in name:
            table[c] = "\\" + letter.capitalize() + " " if letter in _GREEK_CAPITALS else _LATIN_TWIN.get(letter, "")
        elif letter == "epsilon":
            table[c] = r"\varepsilon "
        elif letter == "omicron":
            table[c] = "o"
        elif letter in _GREEK_NAMES:
            table[c] = "\\" + letter + " "
    table["ς"] = r"\varsigma "
    table["ϕ"] = r"\phi "
    table["ϑ"] = r"\vartheta "
    return {c: tex for c, tex in table.items() if tex}


MATH_SYMBOLS = {
    "∂": r"\partial ", "·": r"\cdot ", "×": r"\times ", "∘": r"\circ ", "−": "-", "→": r"\to ", "←": r"\leftarrow ",
    "…": r"\dots ", "⋯": r"\cdots ", "⋮": r"\vdots ", "∞": r"\infty ", "ℝ": r"\mathbb{R}", "ℓ": r"\ell ",
    "⊗": r"\otimes ", "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "±": r"\pm ", "∓": r"\mp ", "′": "'", "″": "''",
    "½": r"\tfrac{1}{2}", "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}", "𝟏": r"\mathbf{1}", "∈": r"\in ",
    "≈": r"\approx ", "≲": r"\lesssim ", "≳": r"\gtrsim ", "÷": r"\div ", "§": r"\S ", "⌈": r"\lceil ",
    "⌉": r"\rceil ", "⌊": r"\lfloor ", "⌋": r"\rfloor ", "┊": r"\mid ", "∑": r"\sum ", "∏": r"\prod ",
    "∇": r"\nabla ", "√": r"\surd ", "—": r"\text{---}", "–": r"\text{--}", "⇒": r"\Rightarrow ",
    "∅": r"\emptyset ", "∀": r"\forall ", "∃": r"\exists ", "¬": r"\neg ", "∧": r"\wedge ", "∨": r"\vee ",
    "⟨": r"\langle ", "⟩": r"\rangle ", "‖": r"\|", "∣": r"\mid ", "≡": r"\equiv ", "∝": r"\propto ",
    "°": r"^{\circ}", "µ": r"\mu ", "ı": r"\imath ", "ȷ": r"\jmath ", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "◆": r"\blacklozenge ", "━": "-", "─": "-", "│": "|",
    "’": "'", "‘": "'", "“": "''", "”": "''",
    **_greek(),
}

ASCII_IN_MATH = {
    "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&", "~": r"\sim ", "\\": r"\backslash ",
    '"': "''", "`": "'", "_": r"\_", "^": r"\hat{}",
}

SUPERSCRIPTS = {"ᵀ": r"\top ", "⁻": "-", "⁺": "+", "⁽": "(", "⁾": ")", "⁼": "="}
SUBSCRIPTS = {"₋": "-", "₊": "+", "₍": "(", "₎": ")", "₌": "="}

_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[-−]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_ARROW = re.compile(r"─(.+?)→")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]+[₀₁₂₃₄₅₆₇₈₉]*|_[₀₁₂₃₄₅₆₇₈₉]+")  # a name of several characters


def _script(c: str) -> str | None:
    """'^' or '_' for a raised or lowered character (²,  ᵢ, ⁽), else None."""
    if c in SUPERSCRIPTS:
        return "^"
    if c in SUBSCRIPTS:
        return "_"
    name = unicodedata.name(c, "")
    if name.startswith("SUPERSCRIPT") or name.startswith("MODIFIER LETTER SMALL") or (
        name.startswith("MODIFIER LETTER CAPITAL") and c != "ᵀ"
    ):
        return "^"
    if name.startswith("SUBSCRIPT") or name.startswith("LATIN SUBSCRIPT") or name.startswith("GREEK SUBSCRIPT"):
        return "_"
    return None


def _script_content(c: str) -> str:
    """What a raised or lowered character stands for, in math: ² → 2, ᵀ → \\top, ᵢ → i."""
    if c in SUPERSCRIPTS:
        return SUPERSCRIPTS[c]
    if c in SUBSCRIPTS:
        return SUBSCRIPTS[c]
    plain = unicodedata.normalize("NFKC", c)
    return tex_math(plain) if plain != c else _fallback(c)


def _fallback(c: str) -> str:
    """A character nothing else covers: its letters without accents when it has them, else its code point."""
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
    if base and base.isascii() and base.isalnum():
        return base
    return rf"\text{{[U+{ord(c):04X}]}}"


def _matching(s: str, i: int) -> int:
    """The index after the bracket that closes the one at s[i]; the end of s if it is never closed."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    opening, closing = s[i], pairs[s[i]]
    depth = 0
    for j in range(i, len(s)):
        if s[j] == opening:
            depth += 1
        elif s[j] == closing:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(s)


def _atom(s: str, i: int) -> int:
    """The end of the operand starting at s[i] (a bracketed group, a number, a name with its scripts, a symbol)."""
    if i >= len(s):
        return i
    if s[i] in "([{":
        return _matching(s, i)
    match = _NUMBER.match(s, i)
    if match:
        return match.end()
    j = i + 1
    if s[i].isascii() and s[i].isalpha():
        match = _WORD.match(s, i)
        assert match is not None
        j = match.end()
    while j < len(s) and _script(s[j]) is not None:
        j += 1
    return j


def _label_tex(label: str) -> str:
    """A node's name of several letters: upright-italic as one name, its trailing subscripts lowered."""
    stem = label.rstrip("₀₁₂₃₄₅₆₇₈₉")
    tail = label[len(stem):]
    body = r"\mathit{" + stem.replace("_", r"\_") + "}"
    return body + ("_{" + unicodedata.normalize("NFKC", tail) + "}" if tail else "")


def tex_math(text: str, labels: Iterable[str] = ()) -> str:
    """Unicode notation as LaTeX math (without the $…$ around it); `labels` are names of several letters."""
    names = _names(labels if isinstance(labels, (tuple, frozenset)) else tuple(labels))
    parts: list[tuple[str, str]] = []  # (kind, tex): kind word, space, script or other
    scripts: set[str] = set()
    s = text
    i = 0

    def emit(kind: str, tex: str) -> None:
        if kind != "space" and kind != "script":
            scripts.clear()
        parts.append((kind, tex))

    def raise_or_lower(which: str, content: str) -> None:
        if which in scripts:
            emit("other", "{}")
        scripts.add(which)
        parts.append(("script", f"{which}{{{content}}}"))

    while i < len(s):
        c = s[i]
        if c.isspace():
            j = i
            while j < len(s) and s[j].isspace():
                j += 1
            parts.append(("space", r"\quad " if j - i > 1 and i > 0 and j < len(s) else " "))
            i = j
            continue
        arrow = _ARROW.match(s, i) if c == "─" else None
        if arrow:
            emit("other", r"\xrightarrow{" + tex_math(arrow.group(1), names) + "}")
            i = arrow.end()
            continue
        whole = _NAME.match(s, i) if names and (c == "_" or (c.isascii() and c.isalpha())) else None
        if whole and (i == 0 or not (s[i - 1].isascii() and (s[i - 1].isalnum() or s[i - 1] == "_"))):
            name = whole.group()
            name = name if name in names else name.rstrip("₀₁₂₃₄₅₆₇₈₉")  # a name, its subscripts or not
            if name in names:
                emit("other", _label_tex(name))
                i += len(name)
                continue
        match = _NUMBER.match(s, i)
        if match:
            literal = match.group()
            tex = r"\num{" + literal.replace("−", "-") + "}" if "e" in literal else literal
            emit("other", tex)
            i = match.end()
            continue
        if c.isascii() and c.isalpha():
            match = _WORD.match(s, i)
            assert match is not None
            word = match.group()
            if word in FUNCTIONS:
                emit("other", r"\operatorname{" + word + "}")
            elif len(word) >= 3 or word in SHORT_WORDS or "-" in word:
                emit("word", r"\text{" + word + "}")
            else:
                emit("other", word)
            i = match.end()
            continue
        which = _script(c)
        if which is not None:
            j = i
            while j < len(s) and _script(s[j]) == which:
                j += 1
            raise_or_lower(which, "".join(_script_content(ch) for ch in s[i:j]))
            i = j
            continue
        if c == "^":
            end = _atom(s, i + 1)
            raise_or_lower("^", tex_math(s[i + 1 : end], names))
            i = end
            continue
        if c == "√":
            end = _atom(s, i + 1)
            inner = s[i + 1 : end]
            if inner.startswith("(") and _matching(inner, 0) == len(inner):
                inner = inner[1:-1]
            emit("other", r"\sqrt{" + tex_math(inner, names) + "}" if inner else r"\surd ")
            i = end
            continue
        if c in "'′″":  # a prime is raised: after a superscript it needs a base of its own
            if "^" in scripts:
                emit("other", "{}")
            parts.append(("script", MATH_SYMBOLS.get(c, c)))
            scripts.add("^")
        elif c in MATH_SYMBOLS:
            emit("other", MATH_SYMBOLS[c])
        elif c in ":;":  # punctuation, not a relation: via z₃: 2 · 3
            emit("other", r"\mathpunct{" + c + "}")
        elif c in ASCII_IN_MATH:
            emit("other", ASCII_IN_MATH[c])
        elif c.isascii() and c.isprintable():
            emit("other", c)
        elif unicodedata.combining(c) or unicodedata.category(c) in ("Cc", "Cf"):
            pass  # an accent on its own, a control or format character: nothing to show
        else:
            emit("other", _fallback(c))
        i += 1
    out = []
    for k, (kind, tex) in enumerate(parts):
        if kind == "space":
            near = [parts[j][0] for j in (k - 1, k + 1) if 0 <= j < len(parts)]
            out.append(r"\ " if "word" in near and tex == " " else tex)
        else:
            out.append(tex)
    return "".join(out).strip()


@functools.lru_cache(maxsize=16)
def _names(labels: tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """The labels that are names of several characters (rate, a_b, x_₁), as a set to look up."""
    return frozenset(n for n in labels if _NAME.fullmatch(n))


# --- prose ---

TEXT_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "^": r"\^{}",
    "_": r"\_", "%": r"\%", "~": r"$\sim$", "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
    '"': "''",
}
TEXT_SYMBOLS = {
    "—": "---", "–": "--", "…": r"\dots{}", "§": r"$\S$", "’": "'", "‘": "`", "“": "``", "”": "''", "ß": r"\ss{}",
    "æ": r"\ae{}", "Æ": r"\AE{}", "œ": r"\oe{}", "Œ": r"\OE{}", "ø": r"\o{}", "Ø": r"\O{}", "ł": r"\l{}",
    "Ł": r"\L{}", "\u00a0": "~", "©": "(c)", "¶": r"$\P$", "†": r"$\dagger$", "‡": r"$\ddagger$",
}
ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0303": "~", "\u0308": '"', "\u0327": "c", "\u030a": "r",
           "\u030c": "v", "\u0304": "=", "\u0307": ".", "\u0306": "u", "\u030b": "H", "\u0328": "k"}


def _accented(c: str) -> str | None:
    """A Latin letter with accents as LaTeX's accent commands (é → \\'{e}), or None."""
    parts = unicodedata.normalize("NFD", c)
    base, marks = parts[0], parts[1:]
    if len(parts) < 2 or not (base.isascii() and base.isalpha()) or any(m not in ACCENTS for m in marks):
        return None
    out = base if base not in "ij" else "\\" + base
    for mark in marks:
        out = "\\" + ACCENTS[mark] + "{" + out + "}"
    return out


def _texty(c: str) -> bool:
    """Whether a character belongs to words (ASCII, a typographic sign, an accented letter), not to maths."""
    return c.isascii() or c in TEXT_SYMBOLS or _accented(c) is not None


def escape_text(text: str) -> str:
    """Words for text mode: LaTeX's special characters escaped, accents and typographic signs as commands."""
    out = []
    for k, c in enumerate(text):
        if c in TEXT_SPECIALS:
            out.append(TEXT_SPECIALS[c])
        elif c == "-":
            out.append("-{}" if text[k + 1 : k + 2] == "-" else "-")  # -- and --- would join into dashes
        elif c.isascii():
            out.append(c if c.isprintable() else " ")
        elif c in TEXT_SYMBOLS:
            out.append(TEXT_SYMBOLS[c])
        else:
            out.append(_accented(c) or "$" + tex_math(c) + "$")
    return "".join(out)


def escape_code(text: str) -> str:
    """Typed text (a function, a command) for \\texttt: every character shown as typed, or as [U+XXXX]."""
    out = []
    for c in " ".join(text.split()):
        if c in "\\{}^_~":
            out.append(r"\symbol{" + str(ord(c)) + "}")
        elif c in "$&#%":
            out.append("\\" + c)
        elif c == "-":
            out.append("-{}")  # -- would join into a dash
        elif c in ",()/":
            out.append(c + r"\allowbreak{}")  # a long line may break after these
        elif c.isascii() and c.isprintable():
            out.append(c)
        else:
            out.append(_accented(c) or rf"[U+{ord(c):04X}]")
    return "".join(out)


_OPERATOR = re.compile(r"[=+\-/<>]|[B-HJ-Zb-z]|[0-9]+(?:\.[0-9]+)?")
# a lone letter or a call like g(x), in a sentence: maths (but not the words a, A and I)
_VARIABLE = re.compile(r"\(?(?![aAI]\b)[A-Za-z](?:\([A-Za-z0-9(),]*\))?\)?(?:['’]s)?[.,;:!?]*", re.ASCII)
_TRAILING = re.compile(r"(?:['’]s)?[.,;:!?]*$")


def tex_text(text: str, labels: Iterable[str] = ()) -> str:
    """Prose with notation in it: runs of notation (∂y/∂v = W⁽¹⁾ ∘ z) in $…$, the words escaped."""
    names = tuple(labels)
    text = ascii_numbers(text)
    tokens = re.split(r"(\s+)", text)
    words = tokens[0::2]
    kinds = []
    for word in words:
        if word == "·":  # a separator between words: Step 9 · backward · b⁽⁰⁾
            kinds.append("t")
        elif word and not all(_texty(c) for c in word):
            kinds.append("m")
        elif _VARIABLE.fullmatch(word):
            kinds.append("m")
        elif _OPERATOR.fullmatch(word):
            kinds.append("o")
        else:
            kinds.append("t")
    out: list[str] = []
    k = 0
    while k < len(words):
        if kinds[k] != "m":
            out.append(escape_text(words[k]))
            if k + 1 < len(words):
                out.append(" ")
            k += 1
            continue
        end = k
        j = k + 1
        while j < len(words) and kinds[j] in "mo":
            if kinds[j] == "m":
                end = j
            j += 1
        run = " ".join(words[k : end + 1])
        trail = _TRAILING.search(run)
        tail = trail.group() if trail else ""
        run = run[: len(run) - len(tail)]
        out.append("$" + tex_math(run, names) + "$" + escape_text(tail))
        if end + 1 < len(words):
            out.append(" ")
        k = end + 1
    lead = " " if text[:1].isspace() else ""
    after = " " if text[-1:].isspace() and text.strip() else ""
    return lead + "".join(out).strip() + after
