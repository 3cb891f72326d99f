"""The package's public surface is exactly what `__all__` lists, and it all imports."""

from __future__ import annotations

import daraja_sim


def test_all_names_exist_once() -> None:
    assert len(set(daraja_sim.__all__)) == len(daraja_sim.__all__)
    for name in daraja_sim.__all__:
        assert getattr(daraja_sim, name) is not None


def test_contract_names_are_public() -> None:
    assert {"SimConfig", "create_app", "SimController"} <= set(daraja_sim.__all__)
    config = daraja_sim.SimConfig(seed=1)
    assert config.consumer_key == "duka-sim-key"
    assert config.callback_delay_seconds == 1.0
    assert config.prompt_timeout_seconds == 60
    assert config.slow_callback_seconds == 30
    assert config.validation_timeout_seconds == 8
    assert config.token_ttl_seconds == 3599
    app = daraja_sim.create_app(config)
    assert app.state.sim.config is config
