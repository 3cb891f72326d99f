"""The payment chime: a short two-note sound, made here so no audio file has to be shipped.

A cashier facing a customer hears the money arrive without looking at the screen; phones also
vibrate. 16-bit mono WAV at 22.05 kHz, about 0.35 s (≈15 kB).
"""

from __future__ import annotations

import io
import math
import struct
import wave

__all__ = ["chime_wav"]

_RATE = 22_050
_NOTES = ((880.0, 0.12), (1318.5, 0.23))  # A5 then E6: rising, reads as "done"


def chime_wav(volume: float = 0.5) -> bytes:
    """Return the chime as WAV bytes (deterministic: same bytes every call)."""
    frames = bytearray()
    for frequency, seconds in _NOTES:
        count = int(_RATE * seconds)
        for i in range(count):
            fade = min(1.0, i / 200, (count - i) / 600)  # no clicks at the note edges
            sample = volume * fade * math.sin(2 * math.pi * frequency * i / _RATE)
            frames += struct.pack("<h", int(sample * 32_767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()
