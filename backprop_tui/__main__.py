"""python -m backprop_tui: the same as the backprop-tui command."""

from backprop_tui import main

if __name__ == "__main__":
    raise SystemExit(main())
