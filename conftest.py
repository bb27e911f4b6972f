"""Root conftest: shared fixtures live in ``kechuang/core/testing`` (style guide §6.9)."""

pytest_plugins = ["kechuang.core.testing.fixtures", "kechuang.core.testing.browser"]

# Hypothesis: no wall-clock health checks or deadlines. On a loaded 2-core machine (parallel
# workers, CI) input generation can be slow for reasons unrelated to the code under test.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("kechuang", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kechuang")
