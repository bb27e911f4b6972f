"""Query counts pinned on list pages and API list endpoints (30+ rows; no N+1)."""

import pytest

from kechuang.core.testing import AnnualIndicatorFactory, CertificationFactory, EnterpriseFactory


def _populate(regions, n):
    streets = [regions.east, regions.west, regions.park]
    for i in range(n):
        ent = EnterpriseFactory(region=streets[i % 3])
        AnnualIndicatorFactory(enterprise=ent, year=2019)
        CertificationFactory(enterprise=ent, year=2019, number=f"GR2019330{ent.pk:05d}")


# (url, max queries for staff), as measured. Counts include session, user, roles,
# permissions, the filter form's region choices and the paginator's count. (Outside a
# transaction the unfiltered enterprise list reads the count version instead of counting.)
LISTS = [
    ("/enterprises/", 13),
    ("/enterprises/?q=shifan", 13),
    ("/enterprises/?certification=high_tech&year=2019&above_scale=true", 13),
    ("/enterprises/indicators/", 11),
    ("/enterprises/certifications/", 11),
    ("/api/enterprises/enterprises/", 12),
    ("/api/enterprises/indicators/", 11),
    ("/api/enterprises/certifications/", 11),
    ("/audit/changes/", 10),
]


@pytest.mark.parametrize(("url", "limit"), LISTS)
def test_list_query_count_is_pinned_and_independent_of_rows(url, limit, regions, staff,
                                                            audit_admin, client_for,
                                                            django_assert_max_num_queries):
    user = audit_admin if url.startswith("/audit/") else staff
    client = client_for(user)
    _populate(regions, 33)
    client.get(url)  # warm caches (content types, session)
    with django_assert_max_num_queries(limit) as small:
        assert client.get(url).status_code == 200
    _populate(regions, 30)
    with django_assert_max_num_queries(limit) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_subdistrict_list_query_count(regions, sub_east, client_for,
                                      django_assert_max_num_queries):
    _populate(regions, 36)
    client = client_for(sub_east)
    client.get("/enterprises/")
    with django_assert_max_num_queries(14):
        response = client.get("/enterprises/")
    assert response.status_code == 200
