"""Fixtures of the command-line tests."""

import pytest

from backprop_tui.cli import main


@pytest.fixture
def cli(capsys):
    """Run the command in process: cli(argv) gives (exit status, stdout, stderr)."""

    def run(argv):
        try:
            code = main(argv)
        except SystemExit as exit:  # argparse's --help and --version exit
            code = exit.code
        out, err = capsys.readouterr()
        return code, out, err

    return run
