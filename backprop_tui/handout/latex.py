"""A handout as a complete LaTeX document: article class with amsmath and amssymb, nothing else.

Plain `pdflatex` from Debian's texlive-latex-base compiles it. Numbers are
\\num{-3.57e-4}: ASCII in the source, and text (with a hyphen-minus) in the PDF,
so that they paste into Python from either. The key shows each answer framed
where the exercise sheet has its blank.
"""

from __future__ import annotations

from .document import (
    Answer,
    Blank,
    Code,
    Display,
    Document,
    Heading,
    Mat,
    Math,
    Num,
    Paragraph,
    Piece,
    Table,
    ascii_number,
    chosen,
    visible,
)
from .tex import escape_code, tex_math, tex_text

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath}
\usepackage{amssymb}
\setlength{\textwidth}{17cm}
\setlength{\oddsidemargin}{-0.4cm}
\setlength{\evensidemargin}{-0.4cm}
\setlength{\textheight}{23cm}
\setlength{\topmargin}{-1.5cm}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6ex plus 0.3ex}
\setcounter{MaxMatrixCols}{32}
\allowdisplaybreaks
\newcommand{\num}[1]{\text{#1}}
\newcommand{\blank}[1][2.2cm]{\underline{\hspace{#1}}}
\newcommand{\cell}{\fbox{\rule[-0.4ex]{0pt}{2.2ex}\hspace{1.1cm}}}
\newcommand{\answer}[1]{\boxed{#1}}
"""

BLANK_WIDTHS = {"number": "2.2cm", "shape": "1.6cm", "formula": "5.5cm", "order": "3cm", "matrix": "4.5cm"}


def number_tex(x: float, digits: int, pad: bool = False) -> str:
    """\\num{-0.5}; with pad, room for a minus sign before a positive number (a column that has negatives)."""
    text = ascii_number(x, digits)
    return r"\num{" + (r"\phantom{-}" if pad and not text.startswith("-") else "") + text + "}"


def matrix_tex(m: Mat) -> str:
    """A bmatrix, its middle rows and columns elided (⋮ ⋯ ⋱) when it is too big for a page."""
    a = m.value
    if a.size == 1:
        return number_tex(float(a[0, 0]), m.digits)
    rows, cols = m.picked()
    shown = [r for r in rows if r is not None]
    negative = {c: any(ascii_number(float(a[r, c]), m.digits).startswith("-") for r in shown)
                for c in cols if c is not None}
    lines = []
    for r in rows:
        cells = []
        for c in cols:
            if r is None:
                cells.append(r"\ddots" if c is None else r"\vdots")
            elif c is None:
                cells.append(r"\cdots")
            else:
                cells.append(number_tex(float(a[r, c]), m.digits, negative[c]))
        lines.append(" & ".join(cells))
    return r"\begin{bmatrix} " + r" \\ ".join(lines) + r" \end{bmatrix}"


def blank_tex(blank: Blank) -> str:
    """A blank in maths: a line to write on, or a box per entry of a small matrix."""
    rows, cols = blank.shape
    if blank.kind == "matrix" and blank.boxes:
        body = r" \\[1.2ex] ".join(" & ".join([r"\cell"] * cols) for _ in range(rows))
        return r"\begin{bmatrix} " + body + r" \end{bmatrix}"
    if blank.kind == "matrix":
        return r"\blank[" + BLANK_WIDTHS["matrix"] + r"]\ \text{(" + f"{rows}" + r"$\times$" + f"{cols})" + "}"
    return r"\blank[" + BLANK_WIDTHS.get(blank.kind, "2.2cm") + "]"


class Writer:
    def __init__(self, doc: Document, blank: bool, labels: tuple[str, ...]):
        self.doc, self.blank, self.labels = doc, blank, labels

    def math(self, pieces: tuple[Piece, ...] | list[Piece]) -> str:
        """Pieces in maths: str and Math are notation."""
        out = []
        for piece in chosen(tuple(pieces), self.blank):
            if isinstance(piece, Math) and "\n" in piece.text:  # a long formula, broken into lines by its builder
                lines = [tex_math(line, self.labels) for line in piece.text.split("\n")]
                out.append(r"\begin{aligned} &" + r" \\ &".join(lines) + r" \end{aligned}")
            elif isinstance(piece, (str, Math)):
                out.append(tex_math(piece if isinstance(piece, str) else piece.text, self.labels))
            elif isinstance(piece, Code):
                out.append(r"\text{\texttt{" + escape_code(piece.text) + "}}")
            elif isinstance(piece, Num):
                text = number_tex(piece.value, piece.digits)
                out.append(f"({text})" if piece.factor and piece.text.startswith("(") else text)
            elif isinstance(piece, Mat):
                out.append(matrix_tex(piece))
            elif isinstance(piece, Answer):
                out.append(blank_tex(piece.blank) if self.blank else r"\answer{" + self.math(piece.key) + "}")
            else:
                raise TypeError(f"cannot write {type(piece).__name__}")
        return " ".join(part for part in out if part)

    def prose(self, pieces: tuple[Piece, ...]) -> str:
        """Pieces in a sentence: str is words (notation in it set as maths), the others as maths."""
        out = []
        for piece in chosen(pieces, self.blank):
            if isinstance(piece, str):
                out.append(tex_text(piece, self.labels))
            elif isinstance(piece, Code):
                out.append(r"\texttt{" + escape_code(piece.text) + "}")
            elif isinstance(piece, Num):
                out.append(number_tex(piece.value, piece.digits))
            elif isinstance(piece, Answer) and self.blank:
                out.append("$" + blank_tex(piece.blank) + "$")
            else:
                out.append("$" + self.math((piece,)) + "$")
        return _join(out)

    def write(self) -> str:
        out = [PREAMBLE, r"\begin{document}"]
        for block in visible(self.doc.blocks, self.blank):
            if isinstance(block, Heading):
                title = tex_text(block.text, self.labels)
                if block.level <= 1:
                    out.append(r"\begin{center}{\Large\bfseries " + title + r"\par}\end{center}")
                elif block.level == 2:
                    out.append(r"\subsection*{" + title + "}")
                else:
                    out.append(r"\subsubsection*{" + title + "}")
            elif isinstance(block, Paragraph):
                text = self.prose(block.pieces)
                if any(isinstance(p, Code) for p in block.pieces):
                    text = r"\raggedright " + text  # typed text has no stretchable spaces to justify with
                out.append(r"{\small\itshape " + text + r"\par}" if block.note else "{" + text + r"\par}")
            elif isinstance(block, Display):
                pieces = [part for r in block.rows for part in split_row(chosen(r, self.blank), self.blank)]
                rows = ["{} " + self.math(r) for r in pieces]
                size = font_size(max(width(r, self.blank) for r in pieces))
                gap = " \\\\[2ex]\n" if self.blank else " \\\\\n"  # room to write in on the sheet
                body = r"\begin{gather*}" + "\n" + gap.join(rows) + "\n" + r"\end{gather*}"
                out.append(body if not size else "{" + size + "\n" + body + "}")
            elif isinstance(block, Table):
                lines = [r"\begin{center}\begin{tabular}{" + "".join(block.columns) + r"}\hline"]
                lines.append("{}" + " & ".join(self.prose(c) for c in block.header) + r" \\ \hline")
                for r in block.rows:
                    lines.append("{}" + " & ".join(self.prose(c) for c in r) + r" \\")
                lines.append(r"\hline\end{tabular}\end{center}")
                out.append("\n".join(lines))
            out.append("")
        out.append(r"\end{document}")
        return "\n".join(out) + "\n"


# A display wider than the page at 11pt (about 42 em) is set smaller, down to \scriptsize.
SIZES = ((42.0, ""), (46.0, r"\small"), (51.0, r"\footnotesize"), (1e9, r"\scriptsize"))


def font_size(em: float) -> str:
    return next(size for limit, size in SIZES if em <= limit)


def width(pieces: list[Piece], blank: bool) -> float:
    """About how wide a row of a display is set, in em at the normal size: enough to choose a smaller one."""
    total = 0.0
    for piece in pieces:
        if isinstance(piece, (str, Math, Code)):
            text = piece if isinstance(piece, str) else piece.text
            total += 0.5 * max(len(line) for line in text.split("\n"))
        elif isinstance(piece, Num):
            total += 0.5 * len(piece.text)
        elif isinstance(piece, Mat):
            rows, cols = piece.picked()
            a = piece.value
            for c in cols:
                cells = [ascii_number(float(a[r, c]), piece.digits) for r in rows if r is not None and c is not None]
                total += 0.5 * max((len(x) for x in cells), default=1) + 1.0
            total += 1.0
        elif isinstance(piece, Answer):
            if blank:
                boxes = piece.blank.shape[1] if piece.blank.boxes else 1
                total += 3.2 * boxes + 1.0
            else:
                total += width(chosen(piece.key, blank), blank) + 1.0
    return total


def split_row(pieces: list[Piece], blank: bool, limit: float = SIZES[-2][0]) -> list[list[Piece]]:
    """A row too wide even in small type, broken into lines before its operators (· + − =) between matrices."""
    if width(pieces, blank) <= limit:
        return [pieces]
    lines: list[list[Piece]] = [[]]
    for piece in pieces:
        operator = isinstance(piece, str) and piece.strip()[:1] in ("·", "+", "-", "−", "=")
        if operator and lines[-1] and width([*lines[-1], piece], blank) > limit / 2:
            lines.append([])
        lines[-1].append(piece)
    return [line for line in lines if line]


def _join(parts: list[str]) -> str:
    return "".join(parts)


def write(doc: Document, blank: bool = False) -> str:
    """The document as LaTeX source: the answer key, or with blank=True the exercise sheet."""
    return Writer(doc, blank, doc.labels).write()


__all__ = ["write"]
