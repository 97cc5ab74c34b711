"""backprop-tui: step through backpropagation node by node in the terminal."""

__version__ = "0.1.0"


def main() -> int:
    """The backprop-tui command: the collector rests while the modules load (see cli.settle_imports)."""
    import gc

    gc.disable()
    from .cli import main as command

    return command()
