"""The payment chime is a valid, short WAV made in code."""

from __future__ import annotations

import io
import wave

from app.sound import chime_wav


def test_chime_is_a_short_mono_wav() -> None:
    data = chime_wav()
    with wave.open(io.BytesIO(data)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
    assert 0.2 < seconds < 0.6
    assert chime_wav() == data  # deterministic: cacheable, testable
