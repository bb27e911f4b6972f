from django.apps import AppConfig


def _portfolio_rule(user):
    """A broker sees the enterprises currently assigned to them (仅本人 = 本人负责的企业)."""
    from .models import PortfolioAssignment

    return PortfolioAssignment.objects.filter(
        broker__user=user, ended_on__isnull=True).values("enterprise_id")


class BrokerageConfig(AppConfig):
    name = "kechuang.brokerage"
    label = "brokerage"
    verbose_name = "科技经纪与服务"

    def ready(self) -> None:
        from django.db.models import Q

        from kechuang.accounts.scope import register_own_rule
        from kechuang.enterprises.models import Enterprise

        register_own_rule(Enterprise, lambda user: Q(pk__in=_portfolio_rule(user)))
        from . import events  # noqa: F401 - registers the named audit actions
