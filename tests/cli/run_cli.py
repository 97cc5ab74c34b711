"""Running the command line in process, shared by the CLI tests."""

from backprop_tui.cli import main


def run(argv, capsys):
    """main(argv) in process: (exit status, stdout, stderr)."""
    try:
        code = main(argv)
    except SystemExit as exit:  # argparse's --help exits
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err
