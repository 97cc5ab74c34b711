"""Every lesson's handout, Markdown and LaTeX, key and sheet: its parts, ASCII numbers, balanced LaTeX, blanks."""

from __future__ import annotations

import re

import pytest
from handout_cases import CASES, lesson_of, made, sheets

from backprop_tui.handout import WITH_BLANKS, document
from backprop_tui.handout.document import answers

HEADINGS = {
    "mlp": ["Setup", "Step 1 of 11 · forward · v", "Step 10 of 11 · backward · W⁽⁰⁾", "Final gradients"],
    "graph": ["Setup", "Step 1 of 10 · forward · z₁", "Step 10 of 10 · backward · x", "Final gradients"],
    "expr": ["Setup", "Step 1 of ", "Final gradients"],
    "hostile": ["Setup", "Final gradients"],
    "chain": ["Setup", "(a) The Jacobian of f∘g", "The other order", "(b) A matrix input W"],
    "methods": ["Setup", "Five ways to the gradient", "Every partial, five ways", "The ε sweep",
                "§3.3(c): one product, two groupings"],
    "symmetry": ["Setup", "The starting parameters", "Loss and distinct hidden units over training",
                 "The parameters after 100 steps", "Predictions after 100 steps"],
}

# a number written with a Unicode minus: −0.5, 3.57e−4 (notation such as 1−z or −6z₁ is allowed)
UNICODE_NUMBER = re.compile(r"(?<![\w)\]⁾}|])−(?:\d+\.?\d*|\.\d+)(?![\w(.])|\de−\d")


@pytest.mark.parametrize("case, blank", sheets())
def test_markdown_has_its_title_setup_and_sections(case, blank):
    text = made(case, "markdown", blank)
    assert text.startswith("# ") and text.endswith("\n") and not text.endswith("\n\n")
    headings = re.findall(r"^## (.*)$", text, flags=re.M)
    for expected in HEADINGS[case]:
        assert any(h.startswith(expected) for h in headings), (expected, headings)
    assert text.count("```") % 2 == 0


@pytest.mark.parametrize("case, blank", sheets())
def test_numbers_are_ascii(case, blank):
    for fmt in ("markdown", "latex"):
        text = made(case, fmt, blank)
        assert not UNICODE_NUMBER.search(text), UNICODE_NUMBER.search(text)
    if case != "symmetry":
        assert "∂" in made(case, "markdown", blank)  # while the notation stays Unicode in Markdown


@pytest.mark.parametrize("case, blank", sheets())
def test_blanks_are_there_exactly_on_the_sheet(case, blank):
    md, tex = made(case, "markdown", blank), made(case, "latex", blank)
    assert ("____" in md) == blank
    assert (r"\blank" in tex.split(r"\begin{document}")[1]) == blank
    asks = lesson_of(case) in WITH_BLANKS
    assert (r"\answer{" in tex.split(r"\begin{document}")[1]) == (asks and not blank)  # the key frames its answers


@pytest.mark.parametrize("case", [c for c in CASES if lesson_of(c) in WITH_BLANKS])
def test_the_sheet_has_a_blank_for_every_practice_question(case):
    from handout_cases import options_of

    from backprop_tui.practice import practice_for

    doc = document(lesson_of(case), options_of(case))
    asked = {a.question for a in answers(doc.blocks) if a.question}
    practice = practice_for(lesson_of(case), options_of(case))
    wanted = {" ".join(str(k) for k in q.key if k is not None) for q in practice.questions()}
    assert asked == wanted
    assert made(case, "markdown", True).count("____") >= len(wanted)


def balanced_braces(tex: str) -> bool:
    depth = 0
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            i += 2  # an escaped character (\{, \}, \\) or the first letter of a command
            continue
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
        i += 1
    return depth == 0


@pytest.mark.parametrize("case, blank", sheets())
def test_latex_is_a_complete_ascii_document_of_the_base_packages(case, blank):
    tex = made(case, "latex", blank)
    assert tex.isascii()
    assert tex.startswith(r"\documentclass[11pt]{article}")
    assert re.findall(r"\\usepackage\{(\w+)\}", tex) == ["amsmath", "amssymb"]
    assert tex.count(r"\begin{document}") == 1 and tex.rstrip().endswith(r"\end{document}")
    assert balanced_braces(tex)
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", tex):
        if kind == "begin":
            stack.append(name)
        else:
            assert stack and stack.pop() == name
    assert stack == []
    assert tex.count("$") % 2 == tex.count(r"\$") % 2
    body = tex.split(r"\begin{document}")[1]
    assert r"\partial" in body or case == "symmetry"


def test_latex_writes_the_notation_as_latex():
    tex = made("mlp", "latex", False)
    for command in (r"\partial y/\partial v", r"W^{(0)}", r"\circ", r"x^{\top", r"\begin{bmatrix}", r"\sigma"):
        assert command in tex, command
    assert r"\num{-3.57e-4}" in tex  # ∂y/∂b⁽⁰⁾'s last entry, as a reader pastes it


def test_the_hostile_function_is_escaped_everywhere():
    tex = made("hostile", "latex", False)
    assert r"\mathit{a\_b\_\_c}" in tex and r"\mathit{theta}" in tex  # one name each, not a product of letters
    assert r"at a\_b\_\_c = 2" in tex  # the title, in words
    assert r"a\symbol{95}b\symbol{95}\symbol{95}c" in tex  # the function as typed
    md = made("hostile", "markdown", False)
    assert "`f(a_b__c, rate, theta, x_1) = a_b__c + rate*x_1^2" in md


def test_a_sheet_is_refused_for_the_lessons_that_ask_nothing(cli):
    for lesson in ("symmetry", "methods"):
        code, out, err = cli([lesson, "--export", "latex", "--blank"])
        assert code == 2 and out == "" and err.count("\n") == 1
        assert "no exercise sheet" in err and "mlp, graph, expr and chain" in err


@pytest.mark.parametrize("argv", [["--blank"], ["--export", "json", "--blank"], ["chain", "--blank"]])
def test_blank_goes_with_a_handout_only(argv, cli):
    code, out, err = cli(argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--blank goes with --export markdown or --export latex" in err


@pytest.mark.parametrize("fmt", ["markdown", "latex"])
def test_the_command_writes_the_handout_through_the_output_targets(fmt, tmp_path, cli):
    code, printed, err = cli(["graph", "--export", fmt, "--blank"])
    assert code == 0 and err == ""
    assert printed == made("graph", fmt, True)
    target = tmp_path / f"sheet.{fmt}"
    code, out, err = cli(["graph", "--export", fmt, "--blank", "-o", str(target)])
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == printed
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_the_key_and_the_sheet_differ_only_where_the_sheet_leaves_room():
    key, sheet = made("chain", "markdown", False), made("chain", "markdown", True)
    instructions = re.search(r"\*Exercise sheet.*?\*\n\n", sheet, flags=re.S)
    assert instructions is not None and instructions.group() not in key
    assert key.split("## (a)")[0] == sheet.replace(instructions.group(), "").split("## (a)")[0]  # the setup
    assert "numpy refuses" in key and "numpy refuses" not in sheet  # the wrong order answers the order question


def test_a_walkthrough_too_long_for_a_sheet_has_a_key_only(cli):
    long = "+".join(f"sin(x*{i})" for i in range(1, 200))  # about 1200 steps
    code, out, err = cli(["expr", "--expr", long, "--export", "markdown", "--blank"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "more than an exercise sheet takes" in err
    code, out, err = cli(["expr", "--expr", long, "--export", "markdown"])
    assert code == 0 and err == "" and "____" not in out and "## Step 1000 of " in out


@pytest.mark.parametrize("case", ["mlp", "hostile", "chain", "symmetry"])
def test_the_command_a_handout_names_makes_it_again(case, cli):
    import shlex

    text = made(case, "markdown", False)
    command = re.search(r"Made with `([^`]*)`", text)
    assert command is not None
    argv = shlex.split(command.group(1))
    assert argv[0] == "backprop-tui"
    code, out, err = cli([*argv[1:], "--export", "markdown"])
    assert code == 0, err
    assert out == text


def test_a_variant_names_itself_and_its_sheet_matches_its_key(cli):
    code, key, _ = cli(["chain", "--variant", "3", "--export", "markdown"])
    code2, sheet, _ = cli(["chain", "--variant", "3", "--export", "markdown", "--blank"])
    assert code == code2 == 0
    assert "Made with `backprop-tui chain --variant 3`" in key
    assert key.split("## (a)")[0] in sheet.replace(re.search(r"\*Exercise sheet.*?\*\n\n", sheet, re.S).group(), "")


def test_the_handout_package_imports_neither_textual_nor_rich():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from backprop_tui.handout import handout, chain, methods, symmetry, walkthrough, latex, markdown\n"
        "from backprop_tui.lessons import LESSONS\n"
        "handout('chain', LESSONS['chain'].options(), 'latex', blank=True)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')], sorted(sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
