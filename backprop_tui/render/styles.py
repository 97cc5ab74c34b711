"""Colours for rich text inside panels; kept in one place so every panel agrees."""

VALUE = "cyan"  # forward values
GRAD = "dark_orange"  # gradients of the output
PENDING = "grey50"  # not computed yet (shown as —)
MUTED = "grey62"
HEADING = "bold"
CURRENT = "bold reverse"  # the current node in the graph
CURRENT_ROW = "bold on grey27"  # the current node in the tensors table
NOTICE = "bold yellow"
