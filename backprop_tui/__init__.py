"""backprop-tui: step through backpropagation node by node in the terminal."""

__version__ = "0.1.0"
