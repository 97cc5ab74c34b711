"""Numbers inside the engine's Unicode texts, made ASCII so that a reader can paste them: −3.57e−4 → -3.57e-4."""

from __future__ import annotations

import re

# a minus that belongs to a number standing on its own: −0.5, (−1)², = −3.57e−4; not 1−z, x − 1 or −6z₁
_SIGN = re.compile(r"(?<![\w)\]⁾}|])−(?=(?:\d+\.?\d*|\.\d+)(?:e[−-]?\d+)?(?![\w(.]))")
_EXPONENT = re.compile(r"(?<=\d)e−(?=\d)")
_INFINITE = re.compile(r"(?<![\w)\]⁾}|])−∞")


def ascii_numbers(text: str) -> str:
    """The text with every number's minus signs in ASCII; minus signs of notation (1−z, a − b) stay."""
    if "−" not in text:
        return text
    text = _EXPONENT.sub("e-", text)
    text = _INFINITE.sub("-inf", text)
    return _SIGN.sub("-", text)
