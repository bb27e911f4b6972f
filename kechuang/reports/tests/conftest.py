from kechuang.indicators.tests.conftest import data, other_districts  # noqa: F401
