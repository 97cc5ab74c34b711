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
from .tex import escape_code, escape_text, tex_math, tex_text

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
\newcommand{\cell}{\fbox{\rule{0pt}{1.8ex}\hspace{1.1cm}}}
\newcommand{\answer}[1]{\boxed{#1}}
"""

BLANK_WIDTHS = {"number": "2.2cm", "shape": "1.6cm", "formula": "4.5cm", "order": "3cm", "matrix": "4.5cm"}


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
        body = r" \\[0.6ex] ".join(" & ".join([r"\cell"] * cols) for _ in range(rows))
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
            if isinstance(piece, (str, Math)):
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
                out.append(r"{\small\itshape " + text + r"\par}" if block.note else text + r"\par")
            elif isinstance(block, Display):
                rows = ["{} " + self.math(r) for r in block.rows]
                out.append(r"\begin{gather*}" + "\n" + " \\\\\n".join(rows) + "\n" + r"\end{gather*}")
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


def _join(parts: list[str]) -> str:
    return "".join(parts)


def write(doc: Document, blank: bool = False) -> str:
    """The document as LaTeX source: the answer key, or with blank=True the exercise sheet."""
    return Writer(doc, blank, doc.labels).write()


__all__ = ["escape_text", "write"]
