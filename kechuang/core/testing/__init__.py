"""Shared test support: factories, fixtures (registered by the root ``conftest.py``),
API/client helpers and the generic permission matrix (NetBox ``utilities/testing`` style).
"""

from .factories import (
    AnnualIndicatorFactory,
    CertificationFactory,
    EnterpriseFactory,
    RegionFactory,
    UserFactory,
    make_user,
    uscc_for,
)
from .matrix import Audience, Endpoint, check_endpoint, db_state

__all__ = [
    "AnnualIndicatorFactory",
    "Audience",
    "CertificationFactory",
    "Endpoint",
    "EnterpriseFactory",
    "RegionFactory",
    "UserFactory",
    "check_endpoint",
    "db_state",
    "make_user",
    "uscc_for",
]
