"""Fixtures of the handout tests."""

import pytest

from backprop_tui.cli import main


@pytest.fixture
def cli(capsys):
    def run(argv):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code
        out, err = capsys.readouterr()
        return code, out, err

    return run
