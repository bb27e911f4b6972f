"""Root conftest: shared fixtures live in ``kechuang/core/testing`` (style guide §6.9)."""

pytest_plugins = ["kechuang.core.testing.fixtures", "kechuang.core.testing.browser"]
